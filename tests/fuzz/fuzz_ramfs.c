/*
 * fuzz_ramfs.c: libFuzzer harness for the initramfs tree (kernel/ramfs.c
 * over kernel/cpio.c), with kmalloc on the host's malloc
 * (tests/host/kmalloc_stub.c) so ASan and LeakSanitizer see every node.
 *
 * The input is the initrd, copied to an exact-size buffer that lives as
 * long as the tree, as the kernel's initrd does.  When ramfs_init accepts
 * it, the harness
 *  - walks the whole tree (without recursion: a tree can be 2000 deep) and
 *    checks the invariants of struct rnode in ramfs.h: parents, sorted
 *    distinct children, link counts, hard-link rings that share what they
 *    should, unique inode numbers, contents and symlink targets inside the
 *    initrd;
 *  - looks every node up by its path (and dirs by "path/." and "path/..")
 *    and expects exactly that node back;
 *  - reads every file and symlink at odd offsets and lengths;
 *  - resolves every symlink, every symlink's target from its directory,
 *    and a fixed set of symlink-heavy paths, from the root and from a
 *    subdirectory, following and not following the last link: any answer
 *    must be one ramfs.h allows, and a node found must be in the tree;
 *  - builds the tree again with allocation number k failing (k from the
 *    input), which must return -ENOMEM, leak nothing and leave the first
 *    tree in place.
 * Everything is freed with ramfs_free before returning.
 */
#include "fuzz.h"
#include <uapi/errno.h>
#include <keel/cpio.h>
#include <keel/ramfs.h>

/* kmalloc_stub.c: fail every allocation after this many; -1 never. */
extern long kmalloc_stub_fail_after;

/* At most this many nodes are looked up by path: each costs its depth. */
#define MAX_PATH_LOOKUPS	1000

static const uint8_t *ibuf;
static uint64_t ilen;

/* Every node of the tree, sorted by address, for "is this in the tree". */
static struct rnode **nodes;
static size_t nnodes, capnodes;

static int
ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(struct rnode *const *)a;
	uintptr_t y = (uintptr_t)*(struct rnode *const *)b;

	return x < y ? -1 : x > y;
}

static int
in_tree(struct rnode *n)
{
	return bsearch(&n, nodes, nnodes, sizeof(*nodes), ptr_cmp) != 0;
}

static void
add_node(struct rnode *n)
{
	/* Each node but the root is named by at least one byte of the input. */
	FUZZ_CHECK(nnodes <= ilen, "%zu nodes from %lu bytes: a cycle?", nnodes + 1, ilen);
	if (nnodes == capnodes) {
		capnodes = capnodes ? 2 * capnodes : 64;
		nodes = realloc(nodes, capnodes * sizeof(*nodes));
		FUZZ_CHECK(nodes != 0, "out of host memory");
	}
	nodes[nnodes++] = n;
}

/* [p, p + n) inside the initrd. */
static int
in_initrd(const void *p, uint64_t n)
{
	const uint8_t *b = p;

	return b >= ibuf && b <= ibuf + ilen && n <= (uint64_t)(ibuf + ilen - b);
}

/* The invariants of one node and its place under its parent. */
static void
check_node(struct rnode *n, struct rnode *root)
{
	uint32_t i, ndirs = 0, type = n->rn_vnode.v_mode & S_IFMT;

	FUZZ_CHECK(type == S_IFDIR || type == S_IFREG || type == S_IFLNK,
	    "mode 0%o", n->rn_vnode.v_mode);
	FUZZ_CHECK((n->rn_vnode.v_mode & ~(uint32_t)(S_IFMT | 07777)) == 0, "mode 0%o", n->rn_vnode.v_mode);
	FUZZ_CHECK(n->rn_vnode.v_refs == 0 && n->rn_gone == 0, "references in a new tree");
	FUZZ_CHECK(n->rn_cap == 0, "a new tree owns contents");
	FUZZ_CHECK(strlen(n->rn_name) == n->rn_namelen, "name length");
	if (n == root) {
		FUZZ_CHECK(n->rn_parent == n && n->rn_namelen == 0 && S_ISDIR(n->rn_vnode.v_mode),
		    "the root");
		FUZZ_CHECK(n->rn_ino == 1, "root inode %lu", n->rn_ino);
	} else {
		FUZZ_CHECK(n->rn_namelen >= 1 && n->rn_namelen <= RAMFS_NAME_MAX,
		    "name of %u bytes", n->rn_namelen);
		FUZZ_CHECK(strchr(n->rn_name, '/') == 0 && strcmp(n->rn_name, ".") != 0 &&
		    strcmp(n->rn_name, "..") != 0, "name \"%s\"", n->rn_name);
		FUZZ_CHECK(S_ISDIR(n->rn_parent->rn_vnode.v_mode), "parent not a directory");
	}
	FUZZ_CHECK(n->rn_nchild <= n->rn_childcap, "%u children, room for %u",
	    n->rn_nchild, n->rn_childcap);
	if (!S_ISDIR(n->rn_vnode.v_mode))
		FUZZ_CHECK(n->rn_nchild == 0, "a non-directory has children");
	for (i = 0; i < n->rn_nchild; i++) {
		FUZZ_CHECK(n->rn_child[i]->rn_parent == n, "child %u's parent", i);
		if (i > 0)
			FUZZ_CHECK(strcmp(n->rn_child[i - 1]->rn_name,
			    n->rn_child[i]->rn_name) < 0, "children \"%s\", \"%s\" not sorted",
			    n->rn_child[i - 1]->rn_name, n->rn_child[i]->rn_name);
		if (S_ISDIR(n->rn_child[i]->rn_vnode.v_mode))
			ndirs++;
	}
	if (S_ISDIR(n->rn_vnode.v_mode)) {
		FUZZ_CHECK(n->rn_nlink == 2 + ndirs, "directory nlink %u, %u subdirectories",
		    n->rn_nlink, ndirs);
		FUZZ_CHECK(n->rn_link == n, "a directory in a hard-link ring");
		return;
	}
	FUZZ_CHECK(n->rn_size == 0 || in_initrd(n->rn_data, n->rn_size),
	    "contents [%p, +%lu) outside the initrd", n->rn_data, n->rn_size);
	if (S_ISLNK(n->rn_vnode.v_mode))
		FUZZ_CHECK(n->rn_size >= 1 && n->rn_size < RAMFS_PATH_MAX &&
		    memchr(n->rn_data, 0, n->rn_size) == 0, "symlink target of %lu bytes",
		    n->rn_size);
}

/* The hard-link ring of a file: same file, nlink = ring length. */
static void
check_ring(struct rnode *n)
{
	struct rnode *m = n;
	uint32_t k = 0;

	do {
		FUZZ_CHECK(in_tree(m), "ring leads out of the tree");
		FUZZ_CHECK(!S_ISDIR(m->rn_vnode.v_mode), "directory in a ring");
		FUZZ_CHECK(m->rn_ino == n->rn_ino && m->rn_vnode.v_mode == n->rn_vnode.v_mode &&
		    m->rn_mtime.tv_sec == n->rn_mtime.tv_sec &&
		    m->rn_mtime.tv_nsec == n->rn_mtime.tv_nsec && m->rn_data == n->rn_data &&
		    m->rn_size == n->rn_size, "names of one file differ");
		FUZZ_CHECK(++k <= nnodes, "ring does not close");
		m = m->rn_link;
	} while (m != n);
	FUZZ_CHECK(n->rn_nlink == k, "nlink %u, %u names", n->rn_nlink, k);
}

/* Preorder walk with an explicit stack: fills nodes[] and checks each. */
static void
walk_tree(struct rnode *root)
{
	struct rnode **stack = 0, *n, *c;
	size_t depth = 0, cap = 0;
	uint64_t *index = 0;
	int r;

	nnodes = 0;
	check_node(root, root);
	add_node(root);
	n = root;
	for (;;) {
		if (depth == cap) {
			cap = cap ? 2 * cap : 64;
			stack = realloc(stack, cap * sizeof(*stack));
			index = realloc(index, cap * sizeof(*index));
			FUZZ_CHECK(stack && index, "out of host memory");
		}
		if (S_ISDIR(n->rn_vnode.v_mode)) {
			/* Descend into n: its children one by one. */
			stack[depth] = n;
			index[depth++] = 0;
		}
		for (;;) {
			if (depth == 0)
				goto done;
			r = ramfs_dirent(stack[depth - 1], index[depth - 1]++, &c);
			FUZZ_CHECK(r == 0 || r == 1, "ramfs_dirent %d", r);
			if (r == 1)
				break;
			FUZZ_CHECK(index[depth - 1] - 1 == stack[depth - 1]->rn_nchild,
			    "dirent ended early");
			depth--;
		}
		FUZZ_CHECK(c->rn_parent == stack[depth - 1], "dirent: wrong parent");
		check_node(c, root);
		add_node(c);
		n = c;
	}
done:
	free(stack);
	free(index);
	qsort(nodes, nnodes, sizeof(*nodes), ptr_cmp);
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Hard-link rings, and inode numbers: one per file, from 1 up. */
static void
check_inodes(void)
{
	uint64_t *ino = malloc(nnodes * sizeof(*ino));
	size_t i, k = 0;
	struct rnode *m;

	for (i = 0; i < nnodes; i++) {
		if (S_ISDIR(nodes[i]->rn_vnode.v_mode)) {
			ino[k++] = nodes[i]->rn_ino;
			continue;
		}
		check_ring(nodes[i]);
		/* Count each file once: at the lowest address of its ring. */
		for (m = nodes[i]->rn_link; m != nodes[i] && m > nodes[i]; m = m->rn_link)
			;
		if (m == nodes[i])
			ino[k++] = nodes[i]->rn_ino;
	}
	qsort(ino, k, sizeof(*ino), u64_cmp);
	for (i = 0; i < k; i++)
		FUZZ_CHECK(ino[i] >= 1 && (i == 0 || ino[i] != ino[i - 1]),
		    "inode %lu given to two files", ino[i]);
	free(ino);
}

/* A lookup's answer must be one ramfs.h allows, and a node of the tree. */
static void
check_lookup(int r, struct rnode *out, int follow, const char *path)
{
	FUZZ_CHECK(r == 0 || r == -ENOENT || r == -ENOTDIR || r == -ELOOP ||
	    r == -ENAMETOOLONG, "lookup \"%.80s\": %d", path, r);
	if (r != 0)
		return;
	FUZZ_CHECK(in_tree(out), "lookup \"%.80s\" found a node not in the tree", path);
	if (follow)
		FUZZ_CHECK(!S_ISLNK(out->rn_vnode.v_mode), "lookup \"%.80s\" ends at a symlink",
		    path);
}

/* n's absolute path into buf (RAMFS_PATH_MAX + 8 bytes): its length, or -1. */
static long
path_of(struct rnode *n, char *buf)
{
	size_t end = RAMFS_PATH_MAX + 2, len;
	struct rnode *m;

	buf[--end] = 0;
	for (m = n; m->rn_parent != m; m = m->rn_parent) {
		if (end < m->rn_namelen + 1)
			return -1;
		end -= m->rn_namelen;
		memcpy(buf + end, m->rn_name, m->rn_namelen);
		buf[--end] = '/';
	}
	if (m == n)
		buf[--end] = '/';
	len = RAMFS_PATH_MAX + 1 - end;
	memmove(buf, buf + end, len + 1);
	return (long)len;
}

static void
lookup_by_path(struct rnode *n, char *path)
{
	struct rnode *out = 0;
	long len = path_of(n, path);
	int r;

	if (len < 0 || len + 3 >= RAMFS_PATH_MAX) {
		/* Too long to name: the answer must say so. */
		if (len < 0)
			return;
		r = ramfs_lookup_at(0, path, 0, &out);
		FUZZ_CHECK(r == (len >= RAMFS_PATH_MAX ? -ENAMETOOLONG : 0),
		    "lookup of a %ld-byte path: %d", len, r);
		FUZZ_CHECK(r != 0 || out == n, "lookup of a %ld-byte path: another node",
		    len);
		return;
	}
	r = ramfs_lookup_at(0, path, 0, &out);
	FUZZ_CHECK(r == 0 && out == n, "lookup \"%.80s\": %d, another node", path, r);
	if (S_ISDIR(n->rn_vnode.v_mode)) {
		strcpy(path + len, "/.");
		r = ramfs_lookup_at(0, path, 0, &out);
		FUZZ_CHECK(r == 0 && out == n, "lookup \"%.80s\": %d", path, r);
		strcpy(path + len, "/..");
		r = ramfs_lookup(path, &out);
		FUZZ_CHECK(r == 0 && out == n->rn_parent, "lookup \"%.80s\": %d", path, r);
	} else if (S_ISREG(n->rn_vnode.v_mode)) {
		strcpy(path + len, "/");
		r = ramfs_lookup(path, &out);
		FUZZ_CHECK(r == -ENOTDIR, "lookup \"%.80s\": %d", path, r);
	} else {
		/* A symlink, followed and not: whatever it leads to. */
		r = ramfs_lookup(path, &out);
		check_lookup(r, out, 1, path);
		strcpy(path + len, "/");
		r = ramfs_lookup_at(0, path, 0, &out);
		check_lookup(r, out, 1, path);
		FUZZ_CHECK(r != 0 || S_ISDIR(out->rn_vnode.v_mode), "\"%.80s\" not a directory", path);
	}
}

static void
read_file(struct rnode *n)
{
	const uint64_t size = n->rn_size;
	const uint64_t offs[] = { 0, 1, 3, size / 2, size - 1, size, size + 1,
		(uint64_t)1 << 63, ~0UL };
	const uint64_t lens[] = { 1, 5, size, 4096, ~0UL };
	uint64_t want, len;
	size_t i, j;
	int64_t got;
	uint8_t *b;

	for (i = 0; i < ARRAY_LEN(offs); i++) {
		for (j = 0; j < ARRAY_LEN(lens); j++) {
			len = lens[j];
			want = offs[i] >= size ? 0 : (len < size - offs[i] ? len : size - offs[i]);
			/* Exactly the bytes that may be written: ASan sees more. */
			b = malloc(want ? want : 1);
			got = ramfs_read(n, offs[i], b, len);
			FUZZ_CHECK(got >= 0 && (uint64_t)got == want,
			    "read %lu at %lu of %lu: %ld", len, offs[i], size, got);
			FUZZ_CHECK(want == 0 ||
			    memcmp(b, (const uint8_t *)n->rn_data + offs[i], want) == 0,
			    "read wrong bytes");
			free(b);
		}
	}
	FUZZ_CHECK(ramfs_readlink(n, 0, 0) == -EINVAL, "readlink of a file");
}

/* Reads the target and resolves it from the link's directory. */
static void
read_symlink(struct rnode *n, char *tmp)
{
	struct rnode *out;
	uint8_t *b = malloc(n->rn_size);
	int64_t got;
	int r;

	got = ramfs_readlink(n, b, n->rn_size);
	FUZZ_CHECK(got == (int64_t)n->rn_size && memcmp(b, n->rn_data, n->rn_size) == 0,
	    "readlink: %ld", got);
	got = ramfs_readlink(n, b, n->rn_size / 2);
	FUZZ_CHECK(got == (int64_t)(n->rn_size / 2), "short readlink: %ld", got);
	free(b);
	FUZZ_CHECK(ramfs_read(n, 0, 0, 1) == -EINVAL, "read of a symlink");

	memcpy(tmp, n->rn_data, n->rn_size);
	tmp[n->rn_size] = 0;
	r = ramfs_lookup_at(n->rn_parent, tmp, 1, &out);
	check_lookup(r, out, 1, tmp);
	r = ramfs_lookup_at(n->rn_parent, tmp, 0, &out);
	check_lookup(r, out, 0, tmp);
}

static const char *const fixed_paths[] = {
	"/", "", ".", "..", "/..", "//", "/./", "/../..", "a", "/a", "/a/", "a/.",
	"/a/b", "/a/b/c", "/a/b/c/", "/a/../a/./b//c/", "/a/b/../../a/b",
	"/bin/sh", "/sbin/init", "/init", "/usr/bin/env", "/etc/passwd", "/dev",
	"/l", "/l/", "/l/.", "/l/..", "/l/l", "/l/l/l/l/l/l/l/l/l/l/l/l", "/a/l/../l",
	"l/./l/../l/", "/x/y/z/..", "x/../y/./z", "/b/c/d/e", "c/d", "d/e/f/",
	"/proc/self", "/tmp/../tmp/", "/lib64/ld-linux-x86-64.so.2",
};

static void
fixed_lookups(struct rnode *root, char *tmp)
{
	struct rnode *cwd = root, *out;
	size_t i, k;
	int r, f;

	/* A subdirectory to start relative paths from, if there is one. */
	for (i = 0; i < root->rn_nchild; i++)
		if (S_ISDIR(root->rn_child[i]->rn_vnode.v_mode))
			cwd = root->rn_child[i];
	for (i = 0; i < ARRAY_LEN(fixed_paths); i++) {
		for (f = 0; f < 2; f++) {
			r = ramfs_lookup_at(0, fixed_paths[i], f, &out);
			check_lookup(r, out, f, fixed_paths[i]);
			r = ramfs_lookup_at(cwd, fixed_paths[i], f, &out);
			check_lookup(r, out, f, fixed_paths[i]);
		}
	}
	r = ramfs_lookup("/", &out);
	FUZZ_CHECK(r == 0 && out == root, "lookup \"/\": %d", r);
	r = ramfs_lookup("", &out);
	FUZZ_CHECK(r == -ENOENT, "lookup \"\": %d", r);

	/* Long paths: 4095 bytes may resolve, 4096 may not. */
	for (k = 0; k + 2 <= RAMFS_PATH_MAX - 1; k += 2)
		memcpy(tmp + k, "l/", 2);
	tmp[RAMFS_PATH_MAX - 1] = 0;
	tmp[RAMFS_PATH_MAX - 2] = 'l';
	r = ramfs_lookup(tmp, &out);
	check_lookup(r, out, 1, tmp);
	tmp[RAMFS_PATH_MAX - 1] = 'l';
	tmp[RAMFS_PATH_MAX] = 0;
	r = ramfs_lookup(tmp, &out);
	FUZZ_CHECK(r == -ENAMETOOLONG, "4096-byte path: %d", r);
	/* A 256-byte component. */
	tmp[0] = '/';
	memset(tmp + 1, 'a', RAMFS_NAME_MAX + 1);
	tmp[RAMFS_NAME_MAX + 2] = 0;
	r = ramfs_lookup(tmp, &out);
	FUZZ_CHECK(r == -ENAMETOOLONG, "256-byte component: %d", r);
}

static void
check_tree(struct rnode *root)
{
	char *tmp = malloc(RAMFS_PATH_MAX + 8);
	struct rnode *c;
	size_t i;

	walk_tree(root);
	check_inodes();
	for (i = 0; i < nnodes; i++) {
		struct rnode *n = nodes[i];

		if (i < MAX_PATH_LOOKUPS)
			lookup_by_path(n, tmp);
		if (S_ISREG(n->rn_vnode.v_mode))
			read_file(n);
		else if (S_ISLNK(n->rn_vnode.v_mode))
			read_symlink(n, tmp);
		else {
			FUZZ_CHECK(ramfs_read(n, 0, 0, 1) == -EISDIR, "read of a directory");
			FUZZ_CHECK(ramfs_dirent(n, n->rn_nchild, &c) == 0, "dirent past the end");
		}
		if (!S_ISDIR(n->rn_vnode.v_mode))
			FUZZ_CHECK(ramfs_dirent(n, 0, &c) == -ENOTDIR, "dirent of a file");
	}
	fixed_lookups(root, tmp);
	free(tmp);
}

/* FNV-1a, to pick the allocation that fails from the input. */
static uint64_t
hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rnode *root;
	uint8_t *buf = malloc(size ? size : 1);
	long nalloc;
	int r;

	if (size)
		memcpy(buf, data, size);
	ibuf = buf;
	ilen = size;

	/* First build: count the allocations it makes. */
	kmalloc_stub_fail_after = 1L << 62;
	r = ramfs_init(buf, size);
	nalloc = (1L << 62) - kmalloc_stub_fail_after;
	kmalloc_stub_fail_after = -1;
	FUZZ_CHECK(r == 0 || r == -EINVAL, "ramfs_init: %d", r);
	root = ramfs_root();
	FUZZ_CHECK((r == 0) == (root != 0), "ramfs_init %d, root %p", r, (void *)root);
	if (r == 0)
		check_tree(root);

	/* Again, with allocation number k failing: nothing leaks or changes. */
	kmalloc_stub_fail_after = (long)(hash(data, size) % (uint64_t)nalloc);
	r = ramfs_init(buf, size);
	kmalloc_stub_fail_after = -1;
	FUZZ_CHECK(r == -ENOMEM, "ramfs_init with allocation failing: %d", r);
	FUZZ_CHECK(ramfs_root() == root, "a failed ramfs_init changed the tree");

	ramfs_free();
	FUZZ_CHECK(ramfs_root() == 0, "ramfs_free left a root");
	free(buf);
	free(nodes);
	nodes = 0;
	nnodes = capnodes = 0;
	return 0;
}
