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
$bb rm -r /tmp/bbt
check "rm -r" "$($bb ls /tmp | $bb grep -c bbt)" "0"
year=$($bb date +%Y)
check "date: the real year (the RTC), 2026 or later" "$([ "$year" -ge 2026 ] && echo yes)" "yes"
# busybox time: the elapsed seconds, from wait4 and the clock.
e=$($bb time -f %e $bb sleep 1 2>&1)
check "sleep 1 takes about a second (time -f %e)" "$(case $e in 1.*) echo yes;; *) echo "$e";; esac)" "yes"

echo "busybox-sh: $pass passed, $fail failed"
[ $fail -eq 0 ]
