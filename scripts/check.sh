#!/usr/bin/env bash
# make check: every lane and static check, one tally.
#
#   scripts/check.sh [LANE]
#
# Lanes, in order: static (checkpatch), dkms, stock-6.1, stock-6.12, debug,
# selftest (the pipeline's own failure injection). LANE runs one of them.
# TESTS=glob (make check TESTS=uvm_devtest) runs only matching guest test
# programs ("kunit" for the KUnit module). Logs: build/logs/<lane>/.
# Ends with the line "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
UVM_LANE=check
all_lanes=(static dkms stock-6.1 stock-6.12 debug selftest)
if [ -n "${1:-}" ]; then
	lanes=("$1")
	case " ${all_lanes[*]} " in *" $1 "*) ;; *) die "unknown lane '$1' (lanes: ${all_lanes[*]})" ;; esac
else
	lanes=("${all_lanes[@]}")
fi
export UVM_TESTS=${TESTS:-${UVM_TESTS:-*}}
start=$SECONDS

"$UVM_ROOT/scripts/deps.sh" || die "cannot install dependencies"

need_debug=
for l in "${lanes[@]}"; do
	case $l in debug | selftest) need_debug=1 ;; esac
done
if [ -n "$need_debug" ]; then
	"$UVM_ROOT/scripts/debug-kernel.sh" >/dev/null || die "debug kernel build failed"
fi

tsvs=()
# record LOGNAME STATUS: the lane's results.tsv joins the tally.
record() {
	local l=$1 x=$2 t=$UVM_BUILD/logs/$1/results.tsv
	if [ ! -s "$t" ]; then
		# A lane that died before recording anything still counts.
		mkdir -p "${t%/*}"
		printf '%s\tlane\tFAIL\texited %d without results\n' "$l" "$x" >"$t"
	elif [ "$x" != 0 ] && ! grep -q $'\tFAIL\t' "$t"; then
		printf '%s\tlane\tFAIL\texited %d\n' "$l" "$x" >>"$t"
	fi
	tsvs+=("$t")
}
for l in "${lanes[@]}"; do
	UVM_LANE=$l step "=== lane $l ==="
	case $l in
	static) "$UVM_ROOT/scripts/checkpatch.sh" ;;
	dkms) "$UVM_ROOT/scripts/dkms.sh" lane ;;
	selftest) "$UVM_ROOT/scripts/selftest.sh" ;;
	*) "$UVM_ROOT/scripts/lane.sh" "$l" ;;
	esac
	record "$l" $?
	# The QEMU lanes boot a second time with little RAM and a virtio disk
	# for UVM's swap: working sets larger than RAM, paged by global
	# reclaim (uvm_overramtest).
	# Stock lanes only for now: the debug kernel's over-RAM boot hung
	# after /dev/vda appeared (seen once, not yet understood).
	case $l in
	stock-*)
		if [[ uvm_overramtest == $UVM_TESTS ]]; then
			mem=384 size=2G to=600
			UVM_LANE=$l step "=== lane $l-overram (${mem} MiB, a ${size} virtio disk) ==="
			UVM_LOG_NAME=$l-overram UVM_WORK_NAME=$l UVM_TESTS=uvm_overramtest \
				UVM_QEMU_MEM=$mem UVM_DISKS=1 UVM_DISK_SIZE=$size \
				UVM_QEMU_TIMEOUT=$to \
				"$UVM_ROOT/scripts/lane.sh" "$l"
			record "$l-overram" $?
		fi
		;;
	esac
done

all=$(cat "${tsvs[@]}")
passed=$(printf '%s\n' "$all" | awk -F'\t' '$3 == "PASS"' | wc -l)
failed=$(printf '%s\n' "$all" | awk -F'\t' '$3 == "FAIL"' | wc -l)
skipped=$(printf '%s\n' "$all" | awk -F'\t' '$3 == "SKIP"' | wc -l)
echo
echo "Summary by lane (logs in ${UVM_BUILD#"$UVM_ROOT"/}/logs/):"
for t in "${tsvs[@]}"; do
	awk -F'\t' '{n[$3]++; l=$1} END {printf "  %-12s %4d passed %4d failed %4d skipped\n", l, n["PASS"], n["FAIL"], n["SKIP"]}' "$t"
done
if [ "$failed" != 0 ]; then
	echo "Failures:"
	printf '%s\n' "$all" | awk -F'\t' '$3 == "FAIL" {printf "  %s: %s: %s\n", $1, $2, $4}'
fi
echo "Total time: $((SECONDS - start)) s"
if [ "$skipped" != 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
