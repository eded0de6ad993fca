#!/usr/bin/env bash
# The kernel-version gates of compat/uvm_compat.h, checked by preprocessing
# it against fake <linux/version.h> headers: which kernels it accepts and
# what it says to the others. Appends to the static lane's results.tsv.
#
#   scripts/compat-check.sh RESULTS_TSV
set -uo pipefail
. "$(dirname "$0")/lib.sh"
UVM_LANE=static
tsv=${1:?usage: compat-check.sh RESULTS_TSV}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/linux"
: >"$tmp/linux/mm.h"
: >"$tmp/linux/blkdev.h"
: >"$tmp/linux/list_lru.h"
: >"$tmp/linux/shrinker.h"
: >"$tmp/linux/swap.h"
cat >"$tmp/linux/kconfig.h" <<'H'
#define IS_ENABLED(option) 1
H

# check VERSION CODE-ARGS accept|"error text"
check() {
	local name=$1 a=$2 b=$3 c=$4 want=$5 out
	# what the real header does: the sublevel clamped at 255
	[ "$c" -gt 255 ] && c=255
	cat >"$tmp/linux/version.h" <<H
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#define LINUX_VERSION_CODE KERNEL_VERSION($a, $b, $c)
H
	out=$(gcc -E -nostdinc -I"$tmp" -x c "$UVM_ROOT/compat/uvm_compat.h" -o /dev/null 2>&1)
	if [ "$want" = accept ]; then
		if [ -z "$out" ]; then
			printf 'static\tcompat.accepts-%s\tPASS\t\n' "$name" >>"$tsv"
		else
			printf 'static\tcompat.accepts-%s\tFAIL\t%s\n' "$name" "$(printf '%s' "$out" | grep -m1 error)" >>"$tsv"
			return 1
		fi
	elif printf '%s' "$out" | grep -q -- "$want"; then
		printf 'static\tcompat.refuses-%s\tPASS\t\n' "$name" >>"$tsv"
	else
		printf 'static\tcompat.refuses-%s\tFAIL\twant "#error ...%s", got: %s\n' "$name" "$want" "${out:-nothing}" >>"$tsv"
		return 1
	fi
}

step "compat/ version gates"
fail=0
check 6.1.190 6 1 190 "needs Linux 6.1.191+" || fail=1
check 6.1.94 6 1 94 "needs Linux 6.1.191+" || fail=1
check 6.1.191 6 1 191 accept || fail=1
check 6.1.300 6 1 300 accept || fail=1
check 6.12.117 6 12 117 accept || fail=1
check 6.6.60 6 6 60 "supports the Linux 6.1 and 6.12 series only" || fail=1
exit "$fail"
