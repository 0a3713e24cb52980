# jobs.sh: background jobs, wait, signals and traps, timeouts and sleeping.

sleep 0 &
pid=$!
wait $pid
check "wait for a background job" "$?" "0"
check "\$! is a pid" "$([ $pid -gt 1 ] && echo yes)" "yes"
(exit 5) &
wait $!
check "wait returns the job's status" "$?" "5"
for j in 1 2 3; do (echo $j > job$j) & done
wait
check "wait for every job" "$(cat job1 job2 job3 | tr '\n' ' ')" "1 2 3 "
sleep 10 &
kill $!
wait $!
check "a killed job's status is 128+15" "$?" "143"
sleep 10 &
kill -9 $!
wait $!
check "SIGKILL: 128+9" "$?" "137"
check "a background job's output" "$( (sleep 0.1; echo late) & echo early; wait)" "early
late"

# ---- traps ----
got=
trap 'got=caught' USR1
kill -USR1 $$
trap - USR1
check "a trap on a signal to the shell itself" "$got" "caught"
check "a trap in sh -c" "$(sh -c 'trap "echo caught" USR1; kill -USR1 $$; echo after')" "caught
after"
check "an EXIT trap" "$( (trap 'echo bye' EXIT; echo hi) )" "hi
bye"
check "an EXIT trap on exit N keeps N" "$( (trap 'echo bye' EXIT; exit 3); echo $?)" "bye
3"
check "trap '' ignores" "$(sh -c 'trap "" TERM; kill -TERM $$; echo survived')" "survived"
check "trap - resets" "$(sh -c 'trap "echo t" TERM; trap - TERM; kill -TERM $$; echo not-here'; echo $?)" "143"
check "a trap runs after the foreground job" "$(sh -c 'trap "echo int" INT; (sleep 0.2; kill -INT $$) & sleep 0.5; echo done')" "int
done"
check "a trap interrupts wait" "$(sh -c 'trap "echo usr2" USR2; (sleep 0.2; kill -USR2 $$) & sleep 5 & wait $!; echo $?; kill $!')" "usr2
$((128 + $(kill -l USR2)))"
check "kill -l" "$(kill -l 15) $(kill -l TERM)" "TERM 15"
check "kill -0 of a live process" "$(kill -0 $$ && echo alive)" "alive"
check "kill of nothing fails" "$(kill -0 999999 2>/dev/null || echo gone)" "gone"
check "trap in a subshell" "$(sh -c 'trap "echo hup; exit 1" HUP; kill -HUP $$; echo no'; echo $?)" "hup
1"

# ---- timeouts and sleeping ----
t0=$(uptime_cs)
timeout 1 sleep 5
st=$?
t1=$(uptime_cs)
check "timeout 1 sleep 5 fails" "$([ $st -ne 0 ] && echo failed)" "failed"
check "timeout 1 sleep 5 takes about a second" "$(between 80 300 $((t1 - t0)))" "in-range"
timeout 5 true
check "timeout of a quick command" "$?" "0"
t0=$(uptime_cs)
sleep 1
t1=$(uptime_cs)
check "sleep 1 takes a second" "$(between 95 300 $((t1 - t0)))" "in-range"
t0=$(uptime_cs)
sleep 1 & sleep 1 & wait
t1=$(uptime_cs)
check "two sleeps in parallel take a second" "$(between 95 300 $((t1 - t0)))" "in-range"
