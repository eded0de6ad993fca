#!/usr/bin/env bash
# The pipeline's own test: inject each kind of failure into a lane and check
# the lane fails, saying which. Each injection that is caught counts as a
# pass of the "selftest" lane; one that slips through is a failure.
#
#   build   a compile error in uvmmod/        -> build.W=1 FAIL "build failed"
#   kunit   a failing KUnit case (debug lane) -> kunit.<suite>.<case> FAIL
#   warn    a WARN_ON in the guest kernel     -> guest.no-splat FAIL "WARNING:"
#   crash   a BUG() in the guest kernel       -> guest.completed FAIL "stopped"
#   hang    a guest that never finishes       -> guest.completed FAIL "timeout"
set -uo pipefail
. "$(dirname "$0")/lib.sh"
UVM_LANE=selftest
logs=$UVM_BUILD/logs/selftest
rm -rf "$logs"
mkdir -p "$logs"
tsv=$logs/results.tsv
: >"$tsv"
rc=0
st=$UVM_ROOT/scripts/selftest

# expect CASE LOGNAME PATTERN -- LANE-ARGS: run the lane, which must fail
# with a results.tsv line matching PATTERN.
expect() {
	local case=$1 name=$2 pat=$3 got
	shift 4
	step "inject $case failure"
	if UVM_LOG_NAME=$name "$UVM_ROOT/scripts/lane.sh" "$@" >"$logs/$case.log" 2>&1; then
		printf 'selftest\tselftest.%s\tFAIL\tlane passed despite the injected failure\n' "$case" >>"$tsv"
		step "FAIL: injected $case failure was not caught"
		rc=1
		return
	fi
	got=$(grep -E "$pat" "$UVM_BUILD/logs/$name/results.tsv" | head -n 1 | cut -f2-)
	if [ -n "$got" ]; then
		printf 'selftest\tselftest.%s\tPASS\t\n' "$case" >>"$tsv"
		step "caught: $(printf '%s' "$got" | tr '\t' ' ' | cut -c1-110)"
	else
		printf 'selftest\tselftest.%s\tFAIL\tlane failed, but not with /%s/\n' "$case" "$pat" >>"$tsv"
		step "FAIL: $case lane failed without the expected message /$pat/"
		rc=1
	fi
}

broken=$UVM_BUILD/selftest-src
rm -rf "$broken"
mkdir -p "$broken"
cp -r "$UVM_ROOT"/{Kbuild,dkms.conf,uvmmod,compat,kunit} "$broken"/
echo '#error "pipeline self-test: injected build break"' >>"$broken/uvmmod/uvm_dev.c"

UVM_SRC=$broken expect build selftest-build \
	$'\tbuild.W=1\tFAIL\tmodule build failed' -- stock-6.12
UVM_EXTRA_KO=$st/kunit_fail UVM_TESTS=kunit expect kunit selftest-kunit \
	$'\tkunit.uvm_selftest.uvm_selftest_fails\tFAIL' -- debug
UVM_EXTRA_KO=$st/warn UVM_TESTS=none expect warn selftest-warn \
	$'\tguest.no-splat\tFAIL\t.*WARNING:' -- stock-6.12
UVM_EXTRA_KO=$st/crash UVM_TESTS=none expect crash selftest-crash \
	$'\tguest.completed\tFAIL\tguest stopped before finishing' -- stock-6.12
UVM_GUEST_HANG=1 UVM_QEMU_TIMEOUT=30 UVM_TESTS=none expect hang selftest-hang \
	$'\tguest.completed\tFAIL\ttimeout' -- stock-6.1
rm -rf "$broken"
exit $rc
