#!/bin/bash
# tools/fuzz.sh: run the libFuzzer harnesses of tests/fuzz/ (built by make
# into build/fuzz/fuzz_<name>).
#
#   tools/fuzz.sh ci NAME...    `make fuzz-ci`, part of `make test`: each
#                               harness for FUZZ_CI_SECONDS (default 8) or
#                               FUZZ_CI_RUNS inputs (default 2000000),
#                               whichever comes first, from the checked-in
#                               seeds; new inputs go to a scratch directory
#                               that is deleted, never to tests/fuzz/corpus
#   tools/fuzz.sh long NAME...  `make fuzz`: each for FUZZ_SECONDS (default
#                               60), growing build/fuzz/corpus/NAME across
#                               runs (seeded from tests/fuzz/corpus/NAME)
#
# Both first replay every file in tests/fuzz/regress/NAME/ (inputs that once
# crashed) and run FUZZ_JOBS harnesses at a time (default 2 for ci, 1 for
# long).  One line per harness, "fuzz NAME: N runs, no crash", or the crash
# and the file libFuzzer saved it in, with the end of the report; a last
# summary line; exit status 1 if anything crashed.  Reproduce a crash with
#   build/fuzz/fuzz_NAME FILE          (FUZZ_VERBOSE=1 shows what it prints)
set -u
cd "$(dirname "$0")/.."

mode=${1:-}
shift || true
case "$mode" in
ci)	seconds=${FUZZ_CI_SECONDS:-8}; runs=${FUZZ_CI_RUNS:-2000000}; jobs=${FUZZ_JOBS:-2} ;;
long)	seconds=${FUZZ_SECONDS:-60}; runs=-1; jobs=${FUZZ_JOBS:-1} ;;
*)	echo "usage: tools/fuzz.sh ci|long NAME..." >&2; exit 2 ;;
esac
[ $# -gt 0 ] || { echo "tools/fuzz.sh: no harness named" >&2; exit 2; }

OUT=build/fuzz
LOGS=$OUT/logs
CRASHES=$OUT/crashes
mkdir -p "$LOGS" "$CRASHES"
export UBSAN_OPTIONS=print_stacktrace=1

# Longest input per harness: room for the format's interesting cases.
max_len() {
	case "$1" in
	bootinfo)	echo 1024 ;;
	cpio|ramfs|acpi) echo 8192 ;;
	*)		echo 4096 ;;
	esac
}

# One harness: replay, then fuzz.  Prints its line; exit status 1 on a crash.
run_one() {
	local name=$1 bin=$OUT/fuzz_$1 log=$LOGS/$1.log corpus n crash
	local regress=(tests/fuzz/regress/"$name"/*)

	if [ ! -x "$bin" ]; then
		echo "fuzz $name: $bin not built"
		return 1
	fi
	: >"$log"
	if [ -e "${regress[0]}" ]; then
		if ! "$bin" "${regress[@]}" >>"$log" 2>&1; then
			crash=$(grep -o '^Running: .*' "$log" | tail -n 1 | cut -d' ' -f2-)
			echo "fuzz $name: CRASH replaying ${crash:-a regress file} (log: $log)"
			report "$log"
			return 1
		fi
	fi

	if [ "$mode" = ci ]; then
		corpus=$OUT/ci/$name
		rm -rf "$corpus"
	else
		corpus=$OUT/corpus/$name
	fi
	mkdir -p "$corpus"
	"$bin" -max_total_time="$seconds" -runs="$runs" -timeout=20 -rss_limit_mb=2048 \
	    -max_len="$(max_len "$name")" -artifact_prefix="$CRASHES/$name-" \
	    -print_final_stats=1 "$corpus" "tests/fuzz/corpus/$name" >>"$log" 2>&1
	local status=$?
	[ "$mode" = ci ] && rm -rf "$corpus"
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ $status -ne 0 ]; then
		crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		[ -n "$n" ] || n=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
		echo "fuzz $name: CRASH after ${n:-?} runs: ${crash:-no input saved}" \
		    "(exit $status, log: $log)"
		report "$log"
		return 1
	fi
	echo "fuzz $name: ${n:-?} runs, no crash"
}

# The sanitizer's or the harness's own words, and where.
report() {
	grep -E -A12 'ERROR: |runtime error|guarantee broken|PANIC|deadly signal|timeout after' \
	    "$1" | grep -v '^INFO' | head -n 20 | sed 's/^/    /'
}

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; exit 130' INT TERM
result=$(mktemp -d)
i=0
for name in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	( run_one "$name" | tee "$result/$i.out"; exit "${PIPESTATUS[0]}" ) &
	pids+=($!)
	i=$((i + 1))
done
failed=0
for p in "${pids[@]}"; do
	wait "$p" || failed=$((failed + 1))
done
total=$(sed -n 's/^fuzz [a-z]*: \([0-9]*\) runs, no crash$/\1/p' "$result"/*.out |
    awk '{ s += $1 } END { print s + 0 }')
rm -rf "$result"
if [ $failed -ne 0 ]; then
	echo "fuzz: $failed of $# harnesses crashed (reproduce: build/fuzz/fuzz_NAME FILE)"
	exit 1
fi
echo "fuzz: $# harnesses, $total runs, no crash"
