# shellcheck shell=bash
# Common helpers for uvmmod's scripts. Source it; do not run it.

UVM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Slow artefacts (the debug kernel) live outside the repository.
UVM_CACHE=${UVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uvmmod}
# Per-run build products and logs live in the work tree, ignored by git.
UVM_BUILD=${UVM_BUILD:-$UVM_ROOT/build}
UVM_LANE=${UVM_LANE:-main}

uvm_ts() { date +%H:%M:%S; }

# step MESSAGE: one progress line per step.
step() { printf '[%s] %-10s %s\n' "$(uvm_ts)" "$UVM_LANE" "$*"; }

die() { printf '[%s] %-10s ERROR: %s\n' "$(uvm_ts)" "$UVM_LANE" "$*" >&2; exit 1; }

# The linux-source package version keys the debug kernel cache.
linux_source_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null
}

# The newest installed stock kernel of a series ("6.1" or "6.12") that has
# both its image and its headers. Prints the kernel release (uname -r form).
stock_kver() {
	local series=$1 pat k best=
	case $series in
	6.1) pat='6.1.0-*-amd64' ;;
	6.12) pat='6.12.*+deb12-amd64' ;;
	*) return 1 ;;
	esac
	for k in /lib/modules/$pat; do
		k=${k##*/}
		[ -e "/boot/vmlinuz-$k" ] && [ -e "/lib/modules/$k/build/Makefile" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$k" | sed '/^$/d' | sort -V | tail -n1)
	done
	[ -n "$best" ] && echo "$best"
}

# debug_kernel_dir: where the cached debug kernel tree for the current
# fragment and source version lives.
debug_kernel_dir() {
	local key
	key=$( { cat "$UVM_ROOT/scripts/debug-kernel.config"; linux_source_version; \
		sed -n '/^# cache-key-begin/,/^# cache-key-end/p' "$UVM_ROOT/scripts/debug-kernel.sh"; } |
		sha256sum | cut -c1-16)
	echo "$UVM_CACHE/debug-kernel/$key"
}

# gdb_minimal: the gdb the guests run (Debian's gdb-minimal: no Python, so
# no Python library to pack), unpacked into the cache, not installed (it
# conflicts with the gdb package, whose libraries it uses). Prints its path.
gdb_minimal() {
	local dir=$UVM_CACHE/gdb-minimal
	if [ ! -x "$dir/usr/bin/gdb" ]; then
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp" &&
			(cd "$dir.tmp" && apt-get download -q gdb-minimal >/dev/null 2>&1 &&
				dpkg-deb -x gdb-minimal_*.deb root) &&
			rm -rf "$dir" && mv "$dir.tmp/root" "$dir" && rm -rf "$dir.tmp" ||
			{ rm -rf "$dir.tmp"; return 1; }
	fi
	echo "$dir/usr/bin/gdb"
}

# lane_kernel LANE: sets KVER, KDIR (kbuild dir) and KIMAGE (bootable image).
lane_kernel() {
	case $1 in
	stock-6.1 | stock-6.12)
		KVER=$(stock_kver "${1#stock-}") || die "no installed Debian ${1#stock-} kernel with headers (run scripts/deps.sh)"
		KDIR=/lib/modules/$KVER/build
		KIMAGE=/boot/vmlinuz-$KVER
		;;
	debug)
		local d
		d=$(debug_kernel_dir)
		[ -e "$d/.complete" ] || die "debug kernel not built (run scripts/debug-kernel.sh)"
		KDIR=$d/linux
		KIMAGE=$KDIR/arch/x86/boot/bzImage
		KVER=$(cat "$KDIR/include/config/kernel.release")
		;;
	*) die "unknown kernel lane '$1'" ;;
	esac
	[ -r "$KIMAGE" ] || die "cannot read $KIMAGE (make check needs root: Debian's /boot/vmlinuz-* is mode 0600)"
}
