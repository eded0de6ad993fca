#!/usr/bin/env bash
# Run one QEMU lane: build uvm.ko (W=1) against the lane's kernel, pack it
# with busybox, the tools/ programs and the guest tests into an initramfs,
# boot the kernel under QEMU (TCG) with a timeout, and judge the guest:
# its test results, its KUnit results (debug lane), and its kernel log.
#
#   scripts/lane.sh stock-6.1|stock-6.12|debug
#
# Writes build/logs/<lane>/{build.log,console.log,results.log,results.tsv}.
# Exit status 0 if every result of the lane passed.
#
# Knobs (mostly for scripts/selftest.sh):
#   UVM_TESTS=glob        run only the guest test programs matching glob
#   UVM_SRC=dir           build the module from dir instead of the work tree
#   UVM_EXTRA_KO=dir      also build the external module in dir, insmod it
#   UVM_GUEST_HANG=1      make the guest hang before its tests
#   UVM_QEMU_TIMEOUT=s    QEMU time limit (default 240 stock, 900 debug)
#   UVM_DISKS=n           n virtio disks (sparse, UVM_DISK_SIZE, default 2G)
#   UVM_LOG_NAME=name     log under build/logs/name instead of the lane name
#   UVM_WORK_NAME=name    build under build/name (default: the log name):
#                         a second boot of a lane reuses its objects
#   UVM_GUEST_SCRIPT=name run scripts/guest/name.sh in the guest (default tests)
#   UVM_GUEST_ARGS=args   arguments for the guest script (as $UVM_GUEST_ARGS)
#   UVM_QEMU_MEM=MiB      guest memory (default 2048 stock, 3072 debug)
#   UVM_PROGRESS=1        echo the guest's "@@UVM progress" lines as it runs
#   UVM_QEMU_PREALLOC=1   allocate all guest memory on the host before boot
#                         (benchmarks: no host page faults in the figures)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

lane=${1:?usage: lane.sh stock-6.1|stock-6.12|debug}
UVM_LANE=${UVM_LOG_NAME:-$lane}
logs=$UVM_BUILD/logs/$UVM_LANE
work=$UVM_BUILD/${UVM_WORK_NAME:-$UVM_LANE}
rm -rf "$logs"
mkdir -p "$logs" "$work"
tsv=$logs/results.tsv
: >"$tsv"
lane_start=$SECONDS

# result NAME PASS|FAIL|SKIP [detail]
result() {
	local name=$1 verdict=$2
	shift 2
	printf '%s\t%s\t%s\t%s\n' "$UVM_LANE" "$name" "$verdict" "$*" >>"$tsv"
	[ "$verdict" = PASS ] || step "$verdict $name${*:+: $*}"
}

finish() {
	local p f
	p=$(awk -F'\t' '$3 == "PASS"' "$tsv" | wc -l)
	f=$(awk -F'\t' '$3 == "FAIL"' "$tsv" | wc -l)
	step "lane done in $((SECONDS - lane_start)) s: $p passed, $f failed (logs: ${logs#"$UVM_ROOT"/})"
	[ "$f" = 0 ]
	exit
}

lane_kernel "$lane"
step "kernel $KVER"

# --- build -----------------------------------------------------------------
src=${UVM_SRC:-$UVM_ROOT}
mod=$work/mod
mkdir -p "$mod"
# A private copy per lane keeps the objects of different kernels apart;
# rsync keeps mtimes, so kbuild rebuilds only what changed.
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--exclude='*.mod*' --exclude=Module.symvers --exclude=modules.order \
	"$src"/Kbuild "$src"/dkms.conf "$src"/uvmmod "$src"/compat "$src"/kunit "$mod"/ ||
	die "cannot copy sources from $src"
step "build uvm.ko with W=1"
if make -C "$KDIR" M="$mod" W=1 modules >"$logs/build.log" 2>&1; then
	warnings=$(grep -c 'warning:' "$logs/build.log")
	if [ "$warnings" = 0 ]; then
		result build.W=1 PASS
	else
		grep 'warning:' "$logs/build.log" | head -n 10
		result build.W=1 FAIL "$warnings compiler warnings (see build.log)"
	fi
else
	grep -iE 'error' "$logs/build.log" | head -n 10
	result build.W=1 FAIL "module build failed against $KVER (see build.log)"
	finish
fi

step "build tools/"
tools=$UVM_BUILD/tools
if ! make -s -C "$UVM_ROOT/tools" OUT="$tools" >"$logs/tools.log" 2>&1; then
	cat "$logs/tools.log"
	result build.tools FAIL "tools/ did not build (see tools.log)"
	finish
fi

extra=
if [ -n "${UVM_EXTRA_KO:-}" ]; then
	extra=$work/extra
	rm -rf "$extra"
	cp -r "$UVM_EXTRA_KO" "$extra"
	make -C "$KDIR" M="$extra" modules >>"$logs/build.log" 2>&1 ||
		die "extra module in $UVM_EXTRA_KO did not build"
fi

# --- initramfs ---------------------------------------------------------------
step "pack initramfs"
root=$work/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,uvm/bin,uvm/extra,proc,sys,dev,tmp}
cp /bin/busybox "$root/bin/busybox"
cp "$UVM_ROOT/scripts/guest/init" "$root/init"
cp "$UVM_ROOT/scripts/guest/${UVM_GUEST_SCRIPT:-tests}.sh" "$root/uvm/tests.sh"
cp "$mod/uvm.ko" "$root/uvm/"
[ -e "$mod/uvm_kunit.ko" ] && cp "$mod/uvm_kunit.ko" "$root/uvm/"
[ -n "$extra" ] && cp "$extra"/*.ko "$root/uvm/extra/"
cp "$tools"/* "$root/uvm/bin/"
# The loop driver, for the O_DIRECT tests, dm-delay (with dm-mod), a
# slow device for direct I/O in flight across fork, and dm-flakey, a
# failing one for swap I/O errors (modules in Debian's
# kernels, xz-compressed in 6.12: busybox's insmod takes them uncompressed;
# built in in the debug kernel).
mkdir -p "$root/uvm/kmod"
for ko in "/lib/modules/$KVER/kernel/drivers/block/loop.ko"* \
	"/lib/modules/$KVER/kernel/drivers/md/dm-mod.ko"* \
	"/lib/modules/$KVER/kernel/drivers/md/dm-delay.ko"* \
	"/lib/modules/$KVER/kernel/drivers/md/dm-flakey.ko"*; do
	name=${ko##*/}
	case $ko in
	*.xz) xz -dc "$ko" >"$root/uvm/kmod/${name%.xz}" ;;
	*.ko) cp "$ko" "$root/uvm/kmod/$name" ;;
	esac
done
# Virtio disks (UVM_DISKS=n): sparse files made per run, the guest's
# /dev/vda, /dev/vdb, ... in order, for swap (the benchmark's Linux swap and
# UVM swap side by side). The drivers, in load order: on 6.1 all are
# modules, on 6.12 only virtio_blk is.
disks=${UVM_DISKS:-0}
drive_args=()
if [ "$disks" -gt 0 ]; then
	for i in $(seq 1 "$disks"); do
		rm -f "$work/disk$i.img"
		truncate -s "${UVM_DISK_SIZE:-2G}" "$work/disk$i.img"
		drive_args+=(-drive "file=$work/disk$i.img,if=virtio,format=raw,cache=unsafe")
	done
	mkdir -p "$root/uvm/virtio"
	n=0
	for m in virtio/virtio_ring virtio/virtio virtio/virtio_pci_modern_dev \
		virtio/virtio_pci_legacy_dev virtio/virtio_pci block/virtio_blk; do
		for ko in "/lib/modules/$KVER/kernel/drivers/$m.ko"*; do
			[ -e "$ko" ] || continue
			n=$((n + 1))
			dst=$root/uvm/virtio/$n-${m##*/}.ko
			case $ko in
			*.xz) xz -dc "$ko" >"$dst" ;;
			*) cp "$ko" "$dst" ;;
			esac
		done
	done
fi
# gdb (gdb-minimal and the host's libraries it links), for the tests that
# print and poke /dev/uvm memory with it; not in the benchmark's guest.
gdb_env=
if [ "${UVM_GUEST_SCRIPT:-tests}" = tests ]; then
	gdb_bin=$(gdb_minimal) || die "no gdb-minimal for the guest (run scripts/deps.sh)"
	mkdir -p "$root/usr/bin"
	cp "$gdb_bin" "$root/usr/bin/gdb"
	for lib in $(ldd "$gdb_bin" | awk '/=>/ { print $3; next } $1 ~ /^\// { print $1 }'); do
		[ -e "$lib" ] || die "gdb needs $lib, missing on this machine (run scripts/deps.sh)"
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	gdb_env=/usr/bin/gdb
fi
cat >"$root/uvm/lane.env" <<ENV
UVM_LANE='$UVM_LANE'
UVM_TESTS='${UVM_TESTS:-*}'
UVM_GUEST_HANG='${UVM_GUEST_HANG:-0}'
UVM_SANITIZERS='$([ "$lane" = debug ] && echo 1 || echo 0)'
UVM_GUEST_ARGS='${UVM_GUEST_ARGS:-}'
UVM_GDB='$gdb_env'
UVM_DISKS='$disks'
ENV
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.gz"

# --- boot ------------------------------------------------------------------
append="console=ttyS0 loglevel=7 log_buf_len=4M panic=-1 oops=panic nokaslr"
mem=2048	# a test keeps 1 GiB resident across a fork
timeout=240
if [ "$lane" = debug ]; then
	append="$append page_table_check=on"
	mem=3072	# KASAN's shadow takes 1/8
	timeout=900
fi
timeout=${UVM_QEMU_TIMEOUT:-$timeout}
mem=${UVM_QEMU_MEM:-$mem}
# One QEMU at a time on this 2-core machine: wait for any other lane's guest.
mkdir -p "$UVM_BUILD"
exec 8>"$UVM_BUILD/.qemu.lock"
flock 8
prealloc=
[ "${UVM_QEMU_PREALLOC:-0}" = 1 ] && prealloc=-mem-prealloc
# A stock kernel under TCG now and then oopses while booting, before the
# guest's /init runs (seen: an int3 in sched_clock_cpu while static keys
# are patched): then the guest is booted once more, and the first console
# is kept as console.boot-crash.log.
for attempt in 1 2; do
step "boot in QEMU (TCG, 2 CPUs, ${mem} MiB, timeout ${timeout} s)"
boot_start=$SECONDS
: >"$logs/results.log"
timeout -k 5 "$timeout" qemu-system-x86_64 \
	-machine pc -accel tcg -smp 2 -m "$mem" $prealloc \
	-kernel "$KIMAGE" -initrd "$work/initramfs.gz" -append "$append" \
	"${drive_args[@]}" \
	-display none -monitor none -no-reboot \
	-serial file:"$logs/console.log" -serial file:"$logs/results.log" \
	</dev/null >"$logs/qemu.log" 2>&1 &
qemu_pid=$!
if [ "${UVM_PROGRESS:-0}" = 1 ]; then
	# Until QEMU exits: echo the guest's progress lines.
	tail -n +1 -F --pid="$qemu_pid" "$logs/results.log" 2>/dev/null |
		sed -un 's/\r$//; s/^@@UVM progress \(.*\)$/\1/p' |
		while IFS= read -r line; do step "guest: $line"; done
fi
wait "$qemu_pid"
qemu_rc=$?
if [ "$attempt" = 1 ] && [ "$qemu_rc" != 124 ] && [ "$qemu_rc" != 137 ] &&
	! grep -q '^@@UVM' "$logs/results.log" &&
	grep -qE 'Oops|Kernel panic' "$logs/console.log"; then
	mv "$logs/console.log" "$logs/console.boot-crash.log"
	step "the kernel crashed while booting, before the tests: $(grep -m1 -E 'Oops|Kernel panic' "$logs/console.boot-crash.log" | tr -d '\r'); booting again"
	continue
fi
break
done
flock -u 8
tr -d '\r' <"$logs/results.log" >"$logs/results.tmp" && mv "$logs/results.tmp" "$logs/results.log"
step "guest ran $((SECONDS - boot_start)) s"

# --- judge -----------------------------------------------------------------
if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
	result guest.completed FAIL "timeout: guest still running after ${timeout} s (hung?); console.log tail: $(tail -n 3 "$logs/console.log" | tr '\n' '|')"
elif ! grep -q '^@@UVM done' "$logs/results.log"; then
	result guest.completed FAIL "guest stopped before finishing its tests (qemu exit $qemu_rc: panic or crash? see console.log)"
else
	result guest.completed PASS
fi

# Results the guest reported.
sed -n 's/^@@UVM result \([^ ]*\) \(PASS\|FAIL\|SKIP\) *\(.*\)$/\1\t\2\t\3/p' "$logs/results.log" |
	while IFS=$'\t' read -r name verdict detail; do
		result "$name" "$verdict" "$detail"
	done

# KUnit: the guest's kernel log holds the KTAP of every suite it ran.
if [ -e "$mod/uvm_kunit.ko" ] || [ -n "$extra" ] && [ "$lane" = debug ]; then
	sed -n '/^@@UVM dmesg-begin/,/^@@UVM dmesg-end/p' "$logs/results.log" >"$logs/dmesg.log"
	kunit_py=$KDIR/tools/testing/kunit/kunit.py
	rm -f "$logs"/kunit*
	python3 "$UVM_ROOT/scripts/kunit-results.py" "$kunit_py" "$logs/dmesg.log" "$logs" >"$logs/kunit.tsv"
	while IFS=$'\t' read -r name verdict; do
		result "kunit.$name" "$verdict"
	done <"$logs/kunit.tsv"
	if [ -e "$mod/uvm_kunit.ko" ] && [[ kunit == ${UVM_TESTS:-*} ]] &&
		! grep -v '^uvm_selftest' "$logs/kunit.tsv" | grep -q '^uvm_'; then
		result kunit.ran FAIL "no KTAP from uvm_kunit.ko in the guest's kernel log"
	fi
fi

# Splats: any of these in the kernel log fails the lane. Each kind has a
# headline line of its own; a bare stack dump is not one (the OOM killer's
# report, which the memcg test provokes on purpose, has one too).
splat_re='BUG:|kernel BUG at|WARNING:|Oops|general protection fault|Kernel panic|KASAN|UBSAN|kmemleak: .*suspected memory leak|unreferenced object|possible circular locking|possible recursive locking|inconsistent lock state|DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator|INFO: task .* blocked for more than|rcu_.*detected stall|watchdog: BUG'
# Benign lines that contain those words.
benign_re='KASAN: (initialized|.*enabled)|kasan: KernelAddressSanitizer initialized|kmemleak: Kernel memory leak detector initialized|kmemleak: Automatic memory scanning thread started'
splats=$(grep -E "$splat_re" "$logs/console.log" | grep -Ev "$benign_re" | head -n 20)
if [ -z "$splats" ]; then
	result guest.no-splat PASS
else
	printf '%s\n' "$splats" | sed 's/^/    guest: /'
	result guest.no-splat FAIL "splat in the guest kernel log: $(printf '%s' "$splats" | head -n 1)"
fi

finish
