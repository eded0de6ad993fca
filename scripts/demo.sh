#!/usr/bin/env bash
# make demo: on a fresh Debian 12 machine, install what is needed, build
# uvm.ko against Debian's stock 6.12 kernel, boot that kernel in QEMU, load
# the module, run tools/uvm_demo and show what happened.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
UVM_LANE=demo
lane=${DEMO_LANE:-stock-6.12}

"$UVM_ROOT/scripts/deps.sh" || die "cannot install dependencies"
UVM_GUEST_SCRIPT=demo UVM_LOG_NAME=demo "$UVM_ROOT/scripts/lane.sh" "$lane"
rc=$?
log=$UVM_BUILD/logs/demo/results.log
echo
echo "---- guest output ----"
sed -n '/^@@UVM boot/,/^@@UVM dmesg-begin/p' "$log" | grep -v '^@@UVM'
echo "----------------------"
if [ $rc = 0 ]; then
	step "demo ran cleanly (logs: build/logs/demo/)"
else
	step "demo FAILED: see build/logs/demo/"
fi
exit $rc
