#!/usr/bin/env bash
# make bench: uvmmod's benchmarks, /dev/uvm against native anonymous memory
# in one QEMU boot of a stock Debian kernel.
#
#   scripts/bench.sh [stock-6.12|stock-6.1]     (make bench [LANE=...])
#
# RUNS=n (default 5) runs per backend and scenario; ONLY=glob picks
# scenarios (uvm_bench's names). Results go to build/bench/<lane>/ (or
# $UVM_BENCH_OUT): raw.csv, summary.csv, table.md, targets.md,
# machine.txt and the PNG plots.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
UVM_LANE=bench

lane=${1:-${LANE:-stock-6.12}}
case $lane in
stock-6.1 | stock-6.12) ;;
*) die "make bench runs on stock-6.12 (default) or stock-6.1, not '$lane'" ;;
esac
runs=${RUNS:-5}
case $runs in '' | *[!0-9]* | 0) die "RUNS must be a positive number, not '$runs'" ;; esac
out=${UVM_BENCH_OUT:-$UVM_BUILD/bench/$lane}
logs=$UVM_BUILD/logs/bench-$lane

"$UVM_ROOT/scripts/deps.sh" || die "cannot install dependencies"
command -v gnuplot >/dev/null || die "gnuplot not found (scripts/deps.sh installs gnuplot-nox)"

step "benchmark on $lane, $runs runs per backend${ONLY:+, scenarios $ONLY}"
UVM_GUEST_SCRIPT=bench UVM_LOG_NAME=bench-$lane UVM_QEMU_MEM=${UVM_QEMU_MEM:-3584} \
	UVM_DISKS=2 UVM_DISK_SIZE=2G \
	UVM_QEMU_TIMEOUT=${UVM_QEMU_TIMEOUT:-5400} UVM_PROGRESS=1 UVM_QEMU_PREALLOC=1 \
	UVM_GUEST_ARGS="--runs $runs${ONLY:+ --only $ONLY}" \
	"$UVM_ROOT/scripts/lane.sh" "$lane"
lane_rc=$?

rm -rf "$out"
mkdir -p "$out"
{
	echo "scenario,variant,backend,run,metric,value,unit"
	sed -n 's/^@@UVM bench //p' "$logs/results.log"
} >"$out/raw.csv"
cp "$logs/results.tsv" "$out/checks.tsv"
{
	echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
	echo "commit=$(git -C "$UVM_ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
	echo "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
	echo "host_cpus=$(nproc)"
	echo "qemu=$(qemu-system-x86_64 --version | head -n1)"
	echo "accel=tcg (software emulation), 2 vCPUs, ${UVM_QEMU_MEM:-3584} MiB preallocated"
	sed -n 's/^@@UVM info //p' "$logs/results.log"
} >"$out/machine.txt"

[ "$(wc -l <"$out/raw.csv")" -gt 1 ] || die "the guest produced no figures (see ${logs#"$UVM_ROOT"/}/)"
python3 "$UVM_ROOT/scripts/bench-report.py" "$out" || die "bench-report.py failed"
cat "$out/table.md" "$out/targets.md"
step "results in ${out#"$UVM_ROOT"/}/"
[ "$lane_rc" = 0 ] || die "some benchmark checks failed (see ${out#"$UVM_ROOT"/}/checks.tsv)"
