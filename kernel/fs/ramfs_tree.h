/*
 * ramfs_tree.h: the ramfs tree's operations shared by ramfs.c (the file
 * system) and initramfs.c (filling it from the archive); private to fs/.
 */
#ifndef FS_RAMFS_TREE_H
#define FS_RAMFS_TREE_H

#include <keel/cpio.h>
#include <keel/ramfs.h>

/* What st_mode keeps of an archive's 32-bit mode. */
#define RAMFS_MODE_BITS	(S_IFMT | 07777)

/*
 * A hard-linked file of the archive: the key cpio gives all its names and
 * one of its names in the tree (kept valid when that name is replaced).
 */
struct hlink {
	struct hlink *hl_next;
	uint32_t hl_archive;
	uint32_t hl_ino;
	uint32_t hl_devmajor;
	uint32_t hl_devminor;
	uint32_t hl_mode;
	struct rnode *hl_node;
};

/* The state of one ramfs_init: a tree that is not yet the tree. */
struct build {
	struct rnode *b_root;
	uint64_t b_nextino;
	struct hlink *b_links;
};

/* A fresh node's vnode: ramfs's operations, the root mount, mode. */
void rn_init_vnode(struct rnode *n, uint32_t mode);
/* The archive's owner and modification time (also atime and ctime, as Linux's unpacker leaves them). */
void rn_archive_attrs(struct rnode *n, const struct cpio_entry *e);
int rn_isdir(const struct rnode *n);
struct rnode *rn_child_find(const struct rnode *dir, const char *name, uint64_t len);
/* A new child of dir, attributes to be filled in; 0 when out of memory. */
struct rnode *rn_new(struct build *b, struct rnode *dir, const char *name, uint64_t len,
    uint32_t mode);
/* Removes a non-directory or an empty directory from the tree and frees it. */
void rn_unlink(struct build *b, struct rnode *n);
void rn_free(struct rnode *n);
/* Frees the tree under top, top included. */
void rn_tree_free(struct rnode *top);
/* The node after n in a walk of the tree below its top (0 at the end). */
struct rnode *rn_tree_next(struct rnode *n);
/* The tree ramfs serves from now on, and the next inode number. */
void ramfs_set_tree(struct rnode *top, uint64_t nextino);

#endif
