#!/usr/bin/env bash
# DKMS for uvmmod (Debian 12's dkms 3.0.10).
#
#   scripts/dkms.sh install [KVER]   add, build and install (default: running kernel)
#   scripts/dkms.sh remove           remove every registered version
#   scripts/dkms.sh lane             the check lane: add/build against both
#                                    installed header packages, in a private
#                                    DKMS tree, and check an unsupported
#                                    kernel is skipped (exit 77)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
UVM_LANE=dkms

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$UVM_ROOT/dkms.conf")

# copy_source DIR: the files DKMS needs, into DIR/uvm-VERSION.
copy_source() {
	local dst=$1/uvm-$version
	rm -rf "$dst"
	mkdir -p "$dst"
	(cd "$UVM_ROOT" && cp -r Kbuild Makefile dkms.conf uvmmod compat kunit "$dst"/)
}

case ${1:-} in
install)
	[ "$(id -u)" = 0 ] || die "dkms-install needs root"
	kver=${2:-$(uname -r)}
	copy_source /usr/src
	dkms remove -m uvm -v "$version" --all >/dev/null 2>&1 || true
	dkms add -m uvm -v "$version" &&
		dkms build -m uvm -v "$version" -k "$kver" &&
		dkms install -m uvm -v "$version" -k "$kver" ||
		die "DKMS install failed (see /var/lib/dkms/uvm/$version/build/make.log)"
	step "installed uvm $version for $kver: load it with 'sudo modprobe uvm'"
	;;
remove)
	[ "$(id -u)" = 0 ] || die "dkms-remove needs root"
	for d in /var/lib/dkms/uvm/*/; do
		[ -d "$d" ] || continue
		v=$(basename "$d")
		case $v in original_module | kernel-*) continue ;; esac
		dkms remove -m uvm -v "$v" --all
		rm -rf "/usr/src/uvm-$v"
	done
	step "removed"
	;;
lane)
	logs=$UVM_BUILD/logs/dkms
	rm -rf "$logs"
	mkdir -p "$logs"
	tsv=$logs/results.tsv
	: >"$tsv"
	tree=$UVM_BUILD/dkms
	rm -rf "$tree"
	mkdir -p "$tree/src" "$tree/dkms"
	opts=(--sourcetree "$tree/src" --dkmstree "$tree/dkms")
	copy_source "$tree/src"
	rc=0
	res() { printf 'dkms\t%s\t%s\t%s\n' "$1" "$2" "${3:-}" >>"$tsv"; [ "$2" = PASS ] || { step "FAIL $1: ${3:-}"; rc=1; }; }
	step "dkms add uvm/$version"
	if dkms add -m uvm -v "$version" "${opts[@]}" >"$logs/add.log" 2>&1; then
		res dkms.add PASS
	else
		res dkms.add FAIL "$(tail -n 1 "$logs/add.log")"
	fi
	for series in 6.1 6.12; do
		kver=$(stock_kver $series) || { res "dkms.build-$series" FAIL "no $series headers"; continue; }
		step "dkms build -k $kver"
		if dkms build -m uvm -v "$version" -k "$kver" "${opts[@]}" >"$logs/build-$series.log" 2>&1 &&
			ls "$tree/dkms/uvm/$version/$kver/x86_64/module/"uvm.ko* >/dev/null 2>&1; then
			res "dkms.build-$series" PASS
		else
			cat "$tree/dkms/uvm/$version/build/make.log" >>"$logs/build-$series.log" 2>/dev/null
			res "dkms.build-$series" FAIL "see $logs/build-$series.log"
		fi
	done
	step "dkms build -k 5.10.0-99-amd64 (unsupported: must be skipped)"
	dkms build -m uvm -v "$version" -k 5.10.0-99-amd64 "${opts[@]}" >"$logs/build-unsupported.log" 2>&1
	x=$?
	if [ $x = 77 ] && grep -q BUILD_EXCLUSIVE "$logs/build-unsupported.log"; then
		res dkms.skip-unsupported PASS
	else
		res dkms.skip-unsupported FAIL "exit $x, want 77 (BUILD_EXCLUSIVE skip)"
	fi
	[ $rc = 0 ] && rm -rf "$tree"
	exit $rc
	;;
*)
	echo "usage: $0 install [KVER] | remove | lane" >&2
	exit 2
	;;
esac
