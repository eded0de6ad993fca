#!/usr/bin/env bash
# Install what uvmmod's build, lanes and benchmarks need on Debian 12, with
# apt, only if something is missing. Needs root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
UVM_LANE=deps

pkgs=(linux-image-amd64 linux-headers-amd64 linux-source-6.12
	qemu-system-x86 busybox-static dkms kmod cpio gzip xz-utils rsync
	gcc make libc6-dev bc flex bison libelf-dev libssl-dev dwarves
	python3 perl gnuplot-nox gdb)

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done
need_612=
stock_kver 6.12 >/dev/null || need_612=1
stock_kver 6.1 >/dev/null || missing+=(linux-image-amd64 linux-headers-amd64)

if [ ${#missing[@]} = 0 ] && [ -z "$need_612" ]; then
	gdb_minimal >/dev/null || die "cannot fetch gdb-minimal (apt-get download) for the guests"
	step "all packages present"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}${need_612:+ 6.12 kernel}); run as root to install them"

step "apt-get update"
apt-get update -qq
if [ -n "$need_612" ]; then
	# The newest 6.12 LTS kernel Debian 12 offers, with its headers.
	v=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{print $1}' | sed 's/^linux-image-//' | sort -V | tail -n1)
	[ -n "$v" ] || die "apt offers no linux-image-6.12.*+deb12-amd64"
	missing+=("linux-image-$v" "linux-headers-$v")
fi
step "apt-get install ${missing[*]}"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	"${missing[@]}" >"${TMPDIR:-/tmp}/uvmmod-apt.log" 2>&1 ||
	{ tail -n 20 "${TMPDIR:-/tmp}/uvmmod-apt.log"; die "apt-get install failed"; }
gdb_minimal >/dev/null || die "cannot fetch gdb-minimal (apt-get download) for the guests"
step "installed"
