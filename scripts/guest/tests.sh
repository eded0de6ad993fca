# shellcheck shell=sh
# The tests uvmmod runs inside every QEMU guest, sourced by /init with stdout
# on the results port. Programs come from tools/ (in /uvm/bin), modules from
# the lane's build (in /uvm). UVM_TESTS, a shell glob, selects test programs
# by name ("kunit" names the KUnit module).

result() {	# result NAME PASS|FAIL|SKIP [detail]
	echo "@@UVM result $*"
}

selected() {
	case $1 in
	$UVM_TESTS) return 0 ;;
	esac
	return 1
}

# run PROGRAM [ARGS]: a tools/ test program that prints its own results.
run() {
	selected "$1" || return 0
	"$@"
	rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] || result "$1" FAIL "exited with status $rc"
}

if [ -e /sys/kernel/debug/kmemleak ]; then
	# Forget what boot left behind; report only leaks made from here on.
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
fi

# A block device for the O_DIRECT tests: a loop device over a tmpfs file.
[ -e /uvm/kmod/loop.ko ] && insmod /uvm/kmod/loop.ko 2>/dev/null
[ -e /uvm/kmod/dm-mod.ko ] && insmod /uvm/kmod/dm-mod.ko 2>/dev/null
[ -e /uvm/kmod/dm-delay.ko ] && insmod /uvm/kmod/dm-delay.ko 2>/dev/null
[ -e /uvm/kmod/dm-flakey.ko ] && insmod /uvm/kmod/dm-flakey.ko 2>/dev/null
if dd if=/dev/zero of=/tmp/uvm-disk bs=1M count=4 2>/dev/null &&
	losetup /dev/loop0 /tmp/uvm-disk 2>/dev/null; then
	export UVM_DIRECTIO_DEV=/dev/loop0
fi

# A reclaimable file for uvm_pressuretest: a block device's page cache is
# dropped by reclaim without swap (tmpfs pages would need swap).
if dd if=/dev/zero of=/tmp/uvm-reclaim bs=1M count=64 2>/dev/null &&
	losetup /dev/loop1 /tmp/uvm-reclaim 2>/dev/null; then
	export UVM_RECLAIM_DEV=/dev/loop1
fi

# A virtio disk (the lanes' over-RAM boot, UVM_DISKS=1): UVM's swap for
# uvm_overramtest, in a guest with less RAM than its working sets. Drivers
# in load order, then wait for the node (about 3 s under TCG).
if [ "${UVM_DISKS:-0}" -gt 0 ]; then
	for ko in $(ls /uvm/virtio/*.ko | sort -n -t/ -k4); do
		insmod "$ko" || result guest.virtio FAIL "insmod $ko"
	done
	i=0
	while [ ! -b /dev/vda ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -b /dev/vda ]; then
		export UVM_SWAP_DISK=/dev/vda
	else
		result guest.virtio FAIL "no /dev/vda after 30 s"
	fi
fi

# The gdb the lane packed, for uvm_guptest.gdb_*.
[ -n "$UVM_GDB" ] && export UVM_GDB

# Module life cycle first, while uvm.ko is not loaded.
run uvm_modtest /uvm/uvm.ko

if insmod /uvm/uvm.ko; then
	result guest.insmod PASS
else
	result guest.insmod FAIL "insmod uvm.ko failed"
fi

run uvm_devtest
run uvm_cowtest
run uvm_maptest
run uvm_mremaptest
run uvm_madvtest
run uvm_guptest
run uvm_diotest
run uvm_accttest
run uvm_coretest
run uvm_dirtycowtest
run uvm_threadtest
run uvm_wiretest
run uvm_pressuretest
run uvm_forkracetest
run uvm_swaptest
# Only in the over-RAM boot, which has the disk and little RAM.
[ -n "${UVM_SWAP_DISK:-}" ] && run uvm_overramtest
# The benchmark's quick mode (tiny sizes, data checked, no time judged), in
# the stock lanes: it keeps `make bench` working.
[ "$UVM_SANITIZERS" = 1 ] || run uvm_bench --quick
# The counters after the memory tests, for the console log.
uvmstat >&2

if [ -e /uvm/uvm_kunit.ko ] && selected kunit; then
	# Results appear as KTAP in the kernel log, parsed on the host.
	insmod /uvm/uvm_kunit.ko || result kunit.insmod FAIL "insmod uvm_kunit.ko failed"
	rmmod uvm_kunit
fi

for ko in /uvm/extra/*.ko; do
	[ -e "$ko" ] || continue
	insmod "$ko" || result "extra.$(basename "$ko" .ko)" FAIL "insmod failed"
done

if rmmod uvm; then
	result guest.rmmod PASS
else
	result guest.rmmod FAIL "rmmod uvm failed"
fi

if [ -e /sys/kernel/debug/kmemleak ]; then
	# kmemleak reports only objects older than 5 s, found by two scans.
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak)
	if [ "$leaks" = 0 ]; then
		result guest.kmemleak PASS
	else
		cat /sys/kernel/debug/kmemleak >&2
		result guest.kmemleak FAIL "$leaks unreferenced objects (see console.log)"
	fi
fi
