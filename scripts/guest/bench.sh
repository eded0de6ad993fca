# shellcheck shell=sh
# The benchmark guest (make bench): one boot, native and /dev/uvm memory
# measured side by side by tools/uvm_bench, with transparent huge pages off
# and address-space randomisation off for both. Sourced by /init with stdout
# on the results port; $UVM_GUEST_ARGS are uvm_bench's arguments.

result() {	# result NAME PASS|FAIL|SKIP [detail]
	echo "@@UVM result $*"
}

thp=/sys/kernel/mm/transparent_hugepage
[ -e $thp/enabled ] && echo never >$thp/enabled
[ -e $thp/defrag ] && echo never >$thp/defrag
echo 0 >/proc/sys/kernel/randomize_va_space

echo "@@UVM info kernel=$(uname -r)"
echo "@@UVM info cpus=$(grep -c ^processor /proc/cpuinfo)"
echo "@@UVM info memtotal_kb=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)"

# The virtio disks (swap for the swap scenarios: Linux's on /dev/vda, UVM's
# on /dev/vdb): load the drivers in order and wait for the nodes (about 3 s
# under TCG).
if [ "${UVM_DISKS:-0}" -gt 0 ]; then
	for ko in $(ls /uvm/virtio/*.ko | sort -n -t/ -k4); do
		insmod "$ko" || result guest.virtio FAIL "insmod $ko"
	done
	last=$(echo abcdefgh | cut -c"$UVM_DISKS")
	i=0
	while [ ! -b /dev/vd$last ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -b /dev/vd$last ] || result guest.virtio FAIL "no /dev/vd$last after 30 s"
	echo "@@UVM info disks=$(ls /dev/vd? 2>/dev/null | tr '\n' ' ')"
fi

if insmod /uvm/uvm.ko; then
	result guest.insmod PASS
	# shellcheck disable=SC2086
	uvm_bench $UVM_GUEST_ARGS
	rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] || result uvm_bench FAIL "exited with status $rc"
	if rmmod uvm; then
		result guest.rmmod PASS
	else
		result guest.rmmod FAIL "rmmod uvm failed"
	fi
else
	result guest.insmod FAIL "insmod uvm.ko failed"
fi
