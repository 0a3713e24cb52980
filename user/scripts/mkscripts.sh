#!/bin/sh
# mkscripts.sh DIR: the "#!" scripts utest's execve tests run (t_exec.c),
# written into DIR byte for byte.  Each is executable but sc-noexec.
# Those named *hash* end up in echoargs's hash mode (argv[1] or the
# script's own path contains "hash"), which exits with argv's checksum.
set -eu
d=$1
mkdir -p "$d"
w() {	# w NAME FORMAT [ARGS]: the file, mode 755
	n=$1; shift
	printf "$@" > "$d/$n"
	chmod 755 "$d/$n"
}
w sc-hash '#!/test/echoargs hash\nexit 99\n'
w sc-hash-noarg '#!/test/echoargs\n'
w sc-hash-spaces '#!  /test/echoargs \t hash  with\tspaces \t \n'
w sc-hash-nested '#!/test/sc-hash x\n'
w sc-hash-nul '#!/test/echoargs\0hash\n'
w sc-hash-crlf '#!/test/echoargs hash\r\n'
w sc-hash-noeol '#!/test/echoargs hash'
w sc-chain1 '#!/test/echoargs hash\n'
for i in 2 3 4 5 6; do
	w sc-chain$i '#!/test/sc-chain%d\n' $((i - 1))
done
w sc-self '#!/test/sc-self\n'
w sc-missing '#!/test/no-such-interpreter\n'
w sc-noexec '#!/test/echoargs hash\n'
chmod 644 "$d/sc-noexec"
w sc-empty '#!\n'
w sc-blank '#! \t \n'
w sc-dir '#!/test\n'
w sc-text '#!/test/notelf\n'
# An interpreter name that runs past the 256 bytes Linux reads: ENOEXEC.
w sc-longname '#!/%0300d\n' 0
# Blanks only, past the 256 bytes: ENOEXEC.
w sc-longblank '#!%0300s/test/echoargs\n' ''
# A whole name, then an argument cut at byte 255: runs.
w sc-hash-longarg "#!/test/echoargs hash$(for i in $(seq 150); do printf ' x'; done)\n"
# For t_procfs: /proc/self/exe is the interpreter, comm the script's name.
w sc-procself '#!/test/echoargs procself\n'
# For user/busybox/sh-basics.sh: a "#!" script busybox runs, and a script
# without one, which busybox ash runs by executing itself again through
# /proc/self/exe.
w bb-script '#!/bin/busybox sh\necho from-script "$1"\n'
w bb-noshebang 'echo ran "$1"\n'
