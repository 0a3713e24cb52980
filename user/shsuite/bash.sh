# bash.sh: what only bash has: process substitution (/dev/fd), [[ ]],
# arrays, here-strings, brace expansion, PIPESTATUS and pipefail.

check "<(...) process substitution" "$(cat <(echo from-a-process))" "from-a-process"
check "diff of two process substitutions" "$(cmp <(seq 1 5) <(seq 1 5) && echo same)" "same"
check ">(...) process substitution" "$(echo into > >(tr a-z A-Z > psub); sleep 0.3; cat psub)" "INTO"
check "while read from <(...)" "$(n=0; while read -r l; do n=$((n + l)); done < <(seq 1 10); echo $n)" "55"
check "[[ ]] with patterns and &&" "$([[ abc == a* && 5 -gt 3 ]] && echo yes)" "yes"
check "[[ =~ ]] and BASH_REMATCH" "$([[ key=42 =~ ^([a-z]+)=([0-9]+)$ ]] && echo ${BASH_REMATCH[2]})" "42"
arr=(zero one "two words")
check "arrays" "${#arr[@]} ${arr[2]}" "3 two words"
arr+=(three)
check "array append and slices" "${arr[*]:1:2}" "one two words"
declare -A map=([k]=v [x]=y)
check "associative arrays" "${map[k]}${map[x]} ${#map[@]}" "vy 2"
check "here-string" "$(tr a-z A-Z <<< "here string")" "HERE STRING"
check "brace expansion" "$(echo {1..5} x{a,b}y)" "1 2 3 4 5 xay xby"
s="hello world"
check "\${v//p/r}, \${v:o:l}, \${v^^}" "${s//o/0} ${s:6:3} ${s^^}" "hell0 w0rld wor HELLO WORLD"
true | false | true
check "PIPESTATUS" "${PIPESTATUS[*]}" "0 1 0"
check "set -o pipefail" "$(set -o pipefail; true | false | true; echo $?)" "1"
check "\$'...' quoting" $'a\tb' "a	b"
check "\$BASHPID in a subshell" "$( [ "$(echo $BASHPID)" != "$$" ] && echo differs)" "differs"
check "mapfile" "$(mapfile -t lines < <(printf 'p\nq\n'); echo ${#lines[@]}${lines[1]})" "2q"
check "&> redirects both" "$( { echo o; echo e >&2; } &> both2; sort both2 | tr '\n' ' ')" "e o "
check "read -a" "$(read -ra parts <<< 'x y z'; echo ${parts[1]} ${#parts[@]})" "y 3"
# A fresh bash: a $(...) keeps its parent's job table, and a job the suite
# left done but not yet reported would be wait -n's answer.  The second job
# ends a second in, while bash waits: one ending at once (exit 4) can end,
# with several CPUs, between wait -n's scan of its dead jobs and its
# blocking wait, and bash (5.2) then reported the first job's 3 (seen once
# in four clean runs at -smp 4, and once at -smp 1 with a loaded host).
check "wait -n" "$(bash -c '(sleep 3; exit 3) & (sleep 1; exit 4) & wait -n; echo $?; wait')" "4"
check "coproc" "$(coproc { read -r l; echo "got $l"; }; echo ping >&${COPROC[1]}; read -r r <&${COPROC[0]}; echo $r)" "got ping"
check "printf -v" "$(printf -v out '%03d' 5; echo $out)" "005"
check "declare -i" "$(declare -i n; n=6*7; echo $n)" "42"
check "\$RANDOM varies" "$( [ $RANDOM != $RANDOM ] || [ $RANDOM != $RANDOM ]; echo $?)" "0"
check "time keyword" "$( { time sleep 0.1; } 2>&1 | grep -c real)" "1"
