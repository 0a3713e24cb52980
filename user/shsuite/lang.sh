# lang.sh: the shell language: pipelines, subshells, substitutions,
# arithmetic, here-documents, functions, loops, case, read, printf, test,
# parameter expansion and exit statuses.

# ---- pipelines ----
check "a pipeline" "$(echo abc | tr a-c A-C)" "ABC"
check "four stages" "$(printf '3\n1\n2\n1\n' | sort | uniq | tr '\n' ' ')" "1 2 3 "
false | true
check "a pipeline's status is its last command's" "$?" "0"
true | false
check "a failing last stage" "$?" "1"
! false
check "! inverts a status" "$?" "0"
check "a pipe into a compound command" "$(printf 'a\nb\n' | while read -r l; do printf '<%s>' "$l"; done)" "<a><b>"

# ---- subshells ----
x=1
(x=2; exit 0)
check "a subshell's assignments stay in it" "$x" "1"
(exit 7)
check "a subshell's exit status" "$?" "7"
check "a subshell's cd stays in it" "$( (cd /; pwd); pwd)" "/
$T"
check "nested subshells" "$( ( (echo deep) ) )" "deep"
check "a { } group in the current shell" "$({ y=3; }; echo $y)" "3"

# ---- command substitution ----
check "\$(...)" "$(echo hi)" "hi"
check "nested \$(...)" "$(echo $(echo a)$(echo b))" "ab"
check "backquotes" "`echo bq`" "bq"
check "nested backquotes" "`echo \`echo inner\``" "inner"
check "trailing newlines dropped" "$(printf 'a\n\n\n')" "a"
v=$(exit 4)
check "an assignment takes the substitution's status" "$?" "4"
check "word splitting of a substitution" "$(set -- $(echo 'a b  c'); echo $#)" "3"
check "no splitting when quoted" "$(set -- "$(echo 'a b  c')"; echo $#)" "1"

# ---- arithmetic ----
check "\$((...))" "$((6 * 7))" "42"
check "precedence and parentheses" "$(( (1 + 2) * 3 % 4 ))" "1"
check "shifts and bit operators" "$(( (1 << 10) | 3 ^ 1 ))" "1026"
i=5
check "variables in arithmetic" "$((i * i + $i))" "30"
: $((i += 2))
check "assignment operators" "$i" "7"
check "division truncates toward zero" "$((-7 / 2)) $((-7 % 2))" "-3 -1"
check "hex and octal constants" "$((0x1f + 010))" "39"
check "comparisons and ?:" "$((3 > 2)) $((2 >= 3)) $((1 ? 5 : 6))" "1 0 5"
check "64-bit arithmetic" "$((1 << 62))" "4611686018427387904"

# ---- here-documents ----
who=world
got=$(cat <<END
hello $who $((1 + 1))
END
)
check "a here-document expands" "$got" "hello world 2"
got=$(cat <<'END'
hello $who $((1 + 1))
END
)
check "a quoted delimiter keeps it literal" "$got" 'hello $who $((1 + 1))'
got=$(cat <<-END
	tab-stripped
		twice
	END
)
check "<<- strips leading tabs" "$got" "tab-stripped
twice"
got=$(while read -r a b; do printf '%s=%s;' "$a" "$b"; done <<END
x 1
y 2
END
)
check "a here-document into a loop" "$got" "x=1;y=2;"

# ---- functions ----
greet() { echo "hi $1 ($#)"; }
check "a function and its arguments" "$(greet you two)" "hi you (2)"
ret() { return $1; }
ret 9
check "return's status" "$?" "9"
fact() {
	if [ $1 -le 1 ]; then echo 1; else echo $(($1 * $(fact $(($1 - 1))))); fi
}
check "recursion" "$(fact 10)" "3628800"
set -- a b c
args() { echo $#; }
args x > /dev/null
check "positional parameters come back after a call" "$# $1" "3 a"
scope() { local v=inner; echo $v; }
v=outer
check "local" "$(scope) $v" "inner outer"
check "\"\$@\" keeps words" "$(args "1 2" "" 3)" "3"

# ---- loops ----
got=
for w in one two three; do got="$got$w,"; done
check "for" "$got" "one,two,three,"
got=
k=0
while [ $k -lt 5 ]; do k=$((k + 1)); [ $k -eq 2 ] && continue; [ $k -eq 4 ] && break; got="$got$k"; done
check "while, continue, break" "$got" "13"
k=3
got=
until [ $k -eq 0 ]; do got="$got$k"; k=$((k - 1)); done
check "until" "$got" "321"
got=
for a in 1 2 3; do for b in x y; do [ $a = 2 ] && break 2; got="$got$a$b"; done; done
check "break 2" "$got" "1x1y"
got=
for f in $S/l*.sh; do got="$got${f##*/}"; done
check "a glob in for" "$got" "lang.sh"

# ---- case ----
kind() {
	case $1 in
	[0-9]*) echo number ;;
	*.sh | *.bash) echo script ;;
	"") echo empty ;;
	?) echo char ;;
	*) echo other ;;
	esac
}
check "case patterns" "$(kind 42) $(kind a.sh) $(kind x.bash) $(kind '') $(kind q) $(kind word)" \
	"number script script empty char other"

# ---- read ----
read -r a b <<END
first second third
END
check "read splits into the last variable" "$a|$b" "first|second third"
IFS=: read -r u p id rest <<END
root:x:0:0:root
END
check "read with IFS" "$u $id" "root 0"
read -r raw <<'END'
a\tb\\c
END
check "read -r keeps backslashes" "$raw" 'a\tb\\c'
read cooked <<'END'
a\b\\c
END
check "read without -r" "$cooked" 'ab\c'
printf 'x\ny\nz\n' > lines
k=0
while read -r l; do k=$((k + 1)); done < lines
check "read lines from a file" "$k" "3"
printf 'no newline' | { read -r l; check "read of a last line without newline" "$? $l" "1 no newline"; }

# ---- printf ----
check "printf widths" "$(printf '[%5s][%-5s][%03d]' ab cd 7)" "[   ab][cd   ][007]"
check "printf bases and chars" "$(printf '%x %o %c %%' 255 8 zed)" "ff 10 z %"
check "printf reuses its format" "$(printf '%s-' a b c)" "a-b-c-"
check "printf escapes" "$(printf 'a\tb\\n' | tr '\t\\' TB)" "aTbBn"
check "printf %b" "$(printf '%b' 'x\ny')" "x
y"

# ---- test and [ ] ----
: > empty
mkdir -p dir
ok "test -f, -d, -e" '[ -f empty -a -d dir -a -e /dev/null ]'
ok "[ -s ] of an empty file is false" 'test ! -s empty'
ok "-z and -n" '[ -z "" ] && [ -n x ]'
ok "= and !=" '[ abc = abc ] && [ abc != abd ]'
ok "numeric comparisons" '[ 10 -gt 9 ] && [ -3 -lt 2 ] && [ 5 -ge 5 ] && [ 4 -ne 5 ]'
ok "-x of a program" '[ -x /bin/busybox ]'
ok "! -e of nothing" '[ ! -e /no/such/file ]'
[ 1 -eq 2 ]
check "a false test's status" "$?" "1"
[ 1 -eq ] 2>/dev/null
st=$?
check "a broken test's status" "$([ $st -gt 1 ] && echo error)" "error"

# ---- parameter expansion ----
p=/usr/local/lib/libc.so.6
check "\${#v}" "${#p}" "24"
check "\${v#p} and \${v##p}" "${p#*/} ${p##*/}" "usr/local/lib/libc.so.6 libc.so.6"
check "\${v%p} and \${v%%p}" "${p%.*} ${p%%.*}" "/usr/local/lib/libc.so /usr/local/lib/libc"
unset nope
check "\${v:-d}, \${v-d}" "${nope:-d1} ${nope-d2}" "d1 d2"
e=
check "\${v:-d} on empty vs \${v-d}" "${e:-d1}|${e-d2}" "d1|"
check "\${v:=d} assigns" "${nope:=set}$nope" "setset"
check "\${v:+alt}" "${p:+alt}|${e:+alt}" "alt|"
check "\${v?} on a set variable" "$(echo ${p?unset})" "$p"
(: ${undefined_v?gone}) 2>/dev/null
check "\${v?msg}'s status is not 0" "$([ $? -ne 0 ] && echo failed)" "failed"
set -- one two three
check "\$#, \$*, \$@" "$# $* $2" "3 one two three two"
shift
check "shift" "$#:$1" "2:two"
check "\$\$ in a subshell is the shell's" "$(echo $$)" "$$"
check "IFS joins \$*" "$(IFS=,; echo "$*")" "two,three"

# ---- exit statuses ----
sh -c 'exit 3'
check "exit status of sh -c" "$?" "3"
no-such-command-here 2>/dev/null
check "command not found is 127" "$?" "127"
printf 'echo x\n' > notexec
chmod 644 notexec
./notexec 2>/dev/null
check "not executable is 126" "$?" "126"
sh -c 'kill -9 $$'
check "death by SIGKILL is 137" "$?" "137"
check "set -e stops a subshell" "$( (set -e; false; echo not-here); echo $?)" "1"
check "exit in a function in a subshell" "$( (f() { exit 6; }; f; echo no); echo $?)" "6"
check "&& and ||" "$(true && echo a || echo b; false && echo c || echo d)" "a
d"
