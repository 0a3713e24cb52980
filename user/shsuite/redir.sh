# redir.sh: redirections and descriptors.

echo data > f
check "> to a file" "$(cat f)" "data"
echo more >> f
check ">> appends" "$(wc -l < f | tr -d ' ')" "2"
check "< from a file" "$(tr a-z A-Z < f | head -n 1)" "DATA"
check "2>&1 into a pipe" "$( { echo out; echo err >&2; } 2>&1 | sort | tr '\n' ' ')" "err out "
check "2>&1 >/dev/null keeps only stderr" "$( { echo out; echo err >&2; } 2>&1 >/dev/null)" "err"
check ">/dev/null 2>&1 drops both" "$( { echo out; echo err >&2; } >/dev/null 2>&1)" ""
{ echo o; echo e >&2; } > both 2>&1
check "> file 2>&1" "$(sort both | tr '\n' ' ')" "e o "
ls /no/such/dir 2> errs
check "2> to a file" "$([ -s errs ] && echo has-error)" "has-error"
exec 3> fd3
echo via-3 >&3
exec 3>&-
check "exec 3> and >&3" "$(cat fd3)" "via-3"
exec 4< f
read -r first <&4
read -r second <&4
exec 4<&-
check "exec 4< reads on" "$first $second" "data more"
echo closed 2>/dev/null >&4
check "a closed descriptor fails" "$?" "1"
echo abcdef > rw
exec 5<> rw
read -r line <&5
exec 5>&-
check "<> opens for reading and writing" "$line" "abcdef"
check "a here-string-like <<" "$(tr a b <<X
aaa
X
)" "bbb"
set -C
(echo x > f) 2>/dev/null
st=$?
check "noclobber refuses to overwrite" "$([ $st -ne 0 ] && head -n 1 f)" "data"
echo forced >| f
set +C
check ">| overwrites under noclobber" "$(cat f)" "forced"
: > f
check ": > truncates" "$(wc -c < f | tr -d ' ')" "0"
check "redirection of a loop" "$(for i in 1 2 3; do echo $i; done > loop; cat loop | tr '\n' ' ')" "1 2 3 "
check "duplicating stdout to 3 in a group" "$( { echo g >&3; } 3>&1)" "g"
