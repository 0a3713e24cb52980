# text.sh: the text utilities on files: sort, uniq, wc, head, tail, cut,
# tr, sed, awk, grep; find, xargs, env, umask, ulimit; nproc.

printf 'pear 3\napple 10\nfig 2\napple 10\nkiwi 7\n' > fruit
check "sort" "$(sort fruit | tr '\n' ,)" "apple 10,apple 10,fig 2,kiwi 7,pear 3,"
check "sort -n -k2" "$(sort -n -k2 fruit | cut -d' ' -f1 | tr '\n' ,)" "fig,pear,kiwi,apple,apple,"
check "sort -r -u" "$(sort -r -u fruit | head -n 1)" "pear 3"
check "uniq -c" "$(sort fruit | uniq -c | head -n 1 | tr -s ' ')" " 2 apple 10"
check "uniq -d" "$(sort fruit | uniq -d)" "apple 10"
check "wc -l -w -c" "$(wc -l -w -c < fruit | tr -s ' ' | sed 's/^ //')" "5 10 38"
check "wc of a named file" "$(wc -l fruit | tr -s ' ' | sed 's/^ //')" "5 fruit"
check "head -n 2" "$(head -n 2 fruit | tr '\n' ,)" "pear 3,apple 10,"
check "tail -n 2" "$(tail -n 2 fruit | tr '\n' ,)" "apple 10,kiwi 7,"
check "tail -c" "$(tail -c 3 fruit)" " 7"
check "cut -d: -f1,7 /etc/passwd" "$(head -n 1 /etc/passwd | cut -d: -f1,7)" "root:/bin/sh"
check "cut -c" "$(echo abcdef | cut -c 2-4)" "bcd"
check "tr ranges" "$(echo Hello | tr a-z A-Z)" "HELLO"
check "tr -d and -s" "$(echo 'a  b--c' | tr -d - | tr -s ' ')" "a bc"
check "sed s///g" "$(echo aaa | sed 's/a/b/g')" "bbb"
check "sed -n Np" "$(sed -n '2p' fruit)" "apple 10"
check "sed with a regex and &" "$(echo 'x=12' | sed -E 's/([a-z])=([0-9]+)/\2:\1 [&]/')" "12:x [x=12]"
check "sed d and addresses" "$(sed '1,3d' fruit | tr '\n' ,)" "apple 10,kiwi 7,"
check "sed -i" "$(cp fruit f2; sed -i 's/kiwi/KIWI/' f2; grep -c KIWI f2)" "1"
check "awk sums a column" "$(awk '{ s += $2 } END { print s }' fruit)" "32"
check "awk -F and printf" "$(awk -F: '$3 == 0 { printf "%s@%s\n", $1, $6 }' /etc/passwd)" "root@/root"
check "awk arrays" "$(awk '{ n[$1]++ } END { print n["apple"], length(n) }' fruit)" "2 4"
check "awk string functions" "$(echo 'Hello World' | awk '{ print toupper(substr($2, 1, 3)), index($0, "W"), length($1) }')" "WOR 7 5"
check "grep" "$(grep apple fruit | head -n 1)" "apple 10"
check "grep -c, -v" "$(grep -c apple fruit) $(grep -v -c apple fruit)" "2 3"
check "grep -E and -o" "$(grep -E -o '[0-9]{2}' fruit | head -n 1)" "10"
check "grep -i -n" "$(grep -i -n FIG fruit)" "3:fig 2"
grep -q nothing-like-this fruit
check "grep's status when nothing matches" "$?" "1"
check "grep -r -l" "$(mkdir -p g/h; echo needle > g/h/x; echo hay > g/y; grep -r -l needle g)" "g/h/x"

# ---- find and xargs ----
mkdir -p tree/a/b tree/c
touch tree/a/one.txt tree/a/b/two.txt tree/c/three.dat
check "find -name" "$(find tree -name '*.txt' | sort | tr '\n' ' ')" "tree/a/b/two.txt tree/a/one.txt "
check "find -type d" "$(find tree -type d | sort | tr '\n' ' ')" "tree tree/a tree/a/b tree/c "
check "find -type f | wc" "$(find tree -type f | wc -l | tr -d ' ')" "3"
check "find -exec" "$(find tree -name '*.dat' -exec basename {} \;)" "three.dat"
check "find | xargs" "$(find tree -type f | sort | xargs basename -a | tr '\n' ' ')" "two.txt one.txt three.dat "
check "xargs -n 1" "$(echo 1 2 3 | xargs -n 1 echo x | tr '\n' ,)" "x 1,x 2,x 3,"
check "xargs builds one command line" "$(seq 1 100 | xargs echo | wc -w | tr -d ' ')" "100"
check "xargs -I" "$(printf 'a\nb\n' | xargs -I{} echo '<{}>' | tr -d '\n')" "<a><b>"

# ---- env, umask, ulimit ----
check "env VAR=value cmd" "$(env GREETING=hi sh -c 'echo $GREETING')" "hi"
check "env -i" "$(env -i FOO=1 env)" "FOO=1"
export EXPORTED=yes
check "an exported variable reaches a child" "$(env | grep '^EXPORTED=')" "EXPORTED=yes"
check "a prefix assignment is for one command" "$(X=1 sh -c 'echo $X'; echo "[$X]")" "1
[]"
check "env -u" "$(env -u EXPORTED sh -c 'echo ${EXPORTED-unset}')" "unset"
old=$(umask)
umask 027
: > masked
mkdir masked.d
check "umask 027 on a file and a directory" "$(stat -c %a masked masked.d | tr '\n' ' ')" "640 750 "
check "umask prints it" "$(umask)" "0027"
umask $old
check "umask in a subshell stays there" "$( (umask 077); umask)" "$old"
check "ulimit -n" "$(ulimit -n)" "1024"
check "ulimit -n lowered in a subshell" "$( (ulimit -n 16; ulimit -n) )" "16"
check "a descriptor past ulimit -n fails" "$( (ulimit -n 16; exec 20>/dev/null) 2>/dev/null && echo opened || echo refused)" "refused"
check "a descriptor under it works" "$( (ulimit -n 16; exec 9>/dev/null) 2>/dev/null && echo opened || echo refused)" "opened"
# nproc (sched_getaffinity's count) and /proc/cpuinfo agree on the CPUs online, one or several.
check "nproc agrees with /proc/cpuinfo" "$(n=$(nproc); [ "$n" -ge 1 ] && [ "$n" = "$(grep -c '^processor' /proc/cpuinfo)" ] && echo same)" "same"
