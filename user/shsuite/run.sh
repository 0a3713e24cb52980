# run.sh: the shell-script suite.  /test/shrun runs it as init under
# Debian's busybox ash (`/test/shrun ash`) or bash-static (`/test/shrun
# bash`), on keel and under Linux (tools/linux-check --init /test/shrun
# --args ash), so the expected results are Linux's.  It sources each topic
# file below; every case prints its own TAP line, and the run ends with
# "shsuite-SHELL: N passed, N failed".  External commands are busybox's
# applets, found through PATH (/bin/ls -> busybox, ...).
S=/test/shsuite
T=/tmp/shsuite.$$
name=shsuite-${SHSUITE:-sh}
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

ok() {		# ok NAME 'COMMANDS': passes when COMMANDS succeed
	if eval "$2"; then
		check "$1" 0 0
	else
		check "$1" "status $?" 0
	fi
}

# Hundredths of a second since boot, from /proc/uptime ("12.34 ...").
uptime_cs() {
	read -r up rest < /proc/uptime
	cs=${up%.*}${up#*.}
	while [ ${#cs} -gt 1 ] && [ "${cs#0}" != "$cs" ]; do
		cs=${cs#0}
	done
	echo "$cs"
}

# between LOW HIGH VALUE: LOW <= VALUE <= HIGH, or the value for the log.
between() {
	if [ "$3" -ge "$1" ] && [ "$3" -le "$2" ]; then
		echo in-range
	else
		echo "$3 not in [$1, $2]"
	fi
}

mkdir -p $T || exit 1
cd $T || exit 1
echo "# $name${BASH_VERSION:+ (bash $BASH_VERSION)}: scratch directory $T"
for topic in lang redir jobs text files; do
	. $S/$topic.sh
done
if [ -n "$BASH_VERSION" ]; then
	. $S/bash.sh
fi
cd /
rm -rf $T
echo "$name: $pass passed, $fail failed"
[ $fail -eq 0 ]
