# shellcheck shell=sh
# What `make demo` shows, sourced by the guest's /init with stdout going to
# the host's terminal (through the results port).
echo "== $(uname -sr) in QEMU: insmod uvm.ko"
if insmod /uvm/uvm.ko; then
	dmesg | grep 'uvm: uvmmod' | tail -n 1
else
	echo "@@UVM result demo.insmod FAIL insmod failed"
fi
echo "== uvm_demo"
if uvm_demo; then
	echo "@@UVM result demo.uvm_demo PASS"
else
	echo "@@UVM result demo.uvm_demo FAIL exit status $?"
fi
if [ -x /uvm/bin/uvmstat ]; then
	echo "== uvmstat"
	uvmstat
fi
echo "== rmmod uvm"
if rmmod uvm; then
	dmesg | grep 'uvm: uvmmod' | tail -n 1
	echo "@@UVM result demo.rmmod PASS"
else
	echo "@@UVM result demo.rmmod FAIL"
fi
