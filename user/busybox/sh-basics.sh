# sh-basics.sh: ordinary shell work in Debian's busybox ash (run by
# /test/bbsh as init: /bin/busybox sh this-file), each case a TAP line and
# a summary "busybox-sh: N passed, N failed" at the end.  The same file
# runs under Debian's Linux (tools/linux-check --init /test/bbsh), so the
# expected results are Linux's.  Every external command is a busybox
# applet called through /bin/busybox.
bb=/bin/busybox
n=0
pass=0
fail=0
check() {	# check NAME GOT WANT
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
		echo "ok $n - $1"
	else
		fail=$((fail + 1))
		echo "not ok $n - $1 # got '$2', want '$3'"
	fi
}

check "command substitution" "$(echo hi)" "hi"
check "nested substitution" "$(echo $(echo a)$(echo b))" "ab"
check "arithmetic" "$((6 * 7))" "42"
check "a pipeline" "$(echo xyz | $bb tr y Y)" "xYz"
check "three stages" "$(printf 'b\na\nc\n' | $bb sort | $bb head -n 1)" "a"
check "a subshell" "$( (echo in; exit 3); echo $? )" "in
3"
got=$($bb cat <<END
here $((1 + 1))
END
)
check "a here-document" "$got" "here 2"
$bb sleep 0 &
wait
check "a background job" "$?" "0"
$bb true && $bb false || r=or
check "&& and ||" "$r" "or"
check "an external command's status" "$($bb false; echo $?)" "1"
check "two external commands in a row" "$($bb echo one; $bb echo two)" "one
two"
$bb mkdir -p /tmp/bbt && echo data > /tmp/bbt/f
check "redirection to a file" "$($bb cat /tmp/bbt/f)" "data"
echo more >> /tmp/bbt/f
check "appending" "$($bb wc -l < /tmp/bbt/f | $bb tr -d ' ')" "2"
check "ls of /dev" "$($bb ls /dev | $bb grep -c console)" "1"
check "a loop of forks" "$(for i in 1 2 3 4 5; do $bb echo $i; done | $bb wc -l | $bb tr -d ' ')" "5"
check "read from a pipe (poll)" "$(echo 'x y' | { read a b; echo $b$a; })" "yx"
$bb ln -s f /tmp/bbt/sl
check "ln -s" "$($bb readlink /tmp/bbt/sl):$($bb cat /tmp/bbt/sl | $bb head -n 1)" "f:data"
$bb ln /tmp/bbt/f /tmp/bbt/hl
check "ln" "$($bb stat -c %h /tmp/bbt/f)" "2"
$bb chmod 640 /tmp/bbt/f
check "chmod" "$($bb stat -c %a /tmp/bbt/f)" "640"
$bb touch -d '2001-02-03 04:05:06' /tmp/bbt/f
check "touch -d" "$($bb date -r /tmp/bbt/f '+%Y %m %d')" "2001 02 03"
$bb mkfifo /tmp/bbt/p
exec 3<>/tmp/bbt/p
echo through >&3
read got <&3
exec 3>&-
check "mkfifo (opened read-write: no wait)" "$got" "through"
[ -d /proc/self ] || { $bb mkdir -p /proc; $bb mount -t proc proc /proc; }
check "df" "$($bb df /tmp | $bb tail -n 1 | $bb awk '{ print ($2 > 0) }')" "1"
$bb rm -r /tmp/bbt
check "rm -r" "$($bb ls /tmp | $bb grep -c bbt)" "0"
year=$($bb date +%Y)
check "date: the real year (the RTC), 2026 or later" "$([ "$year" -ge 2026 ] && echo yes)" "yes"
# busybox time: the elapsed seconds, from wait4 and the clock.
e=$($bb time -f %e $bb sleep 1 2>&1)
check "sleep 1 takes about a second (time -f %e)" "$(case $e in 1.*) echo yes;; *) echo "$e";; esac)" "yes"

# /proc and /dev/fd as the applets use them.  Linux's bare initramfs has
# neither: mount /proc and link /dev/fd, as an init and udev would.
[ -e /proc/self/stat ] || { $bb mkdir -p /proc; $bb mount -t proc proc /proc; }
[ -e /dev/fd ] || $bb ln -s /proc/self/fd /dev/fd
check "readlink /proc/self/exe" "$($bb readlink /proc/self/exe)" "/bin/busybox"
check "/proc/self/cmdline" "$($bb cat /proc/self/cmdline | $bb tr '\0' ' ')" \
	"/bin/busybox cat /proc/self/cmdline "
$bb ps > /tmp/ps.out
check "ps lists this shell" "$($bb grep -c "^ *$$ .*sh-basics" /tmp/ps.out)" "1"
$bb top -b -n 1 > /tmp/top.out
check "top -b -n 1" "$?" "0"
$bb rm /tmp/ps.out /tmp/top.out
check "a #! script" "$(/test/bb-script arg)" "from-script arg"
check "a script without #! (busybox runs /proc/self/exe)" "$(/test/bb-noshebang arg)" "ran arg"
check "/dev/fd/0 of a pipe" "$(echo piped | $bb cat /dev/fd/0)" "piped"
check "/dev/fd/3 of a file" "$($bb head -c 14 /dev/fd/3 3</test/sh-basics.sh)" "# sh-basics.sh"

echo "busybox-sh: $pass passed, $fail failed"
[ $fail -eq 0 ]
