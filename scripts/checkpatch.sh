#!/usr/bin/env bash
# checkpatch.pl --strict, from Debian's linux-source-6.12, on every C file of
# the module (uvmmod/, compat/, kunit/). Writes build/logs/static/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
UVM_LANE=static
logs=$UVM_BUILD/logs/static
mkdir -p "$logs"
tsv=$logs/results.tsv
: >"$tsv"

# checkpatch.pl and the data files it reads, unpacked once per source version.
cp_dir=$UVM_CACHE/checkpatch/$(linux_source_version)
if [ ! -e "$cp_dir/.complete" ]; then
	step "unpacking checkpatch.pl from linux-source-6.12"
	rm -rf "$cp_dir"
	mkdir -p "$cp_dir"
	tar xJf /usr/src/linux-source-6.12.tar.xz -C "$cp_dir" --strip-components=1 \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch ||
		die "cannot unpack checkpatch.pl"
	touch "$cp_dir/.complete"
fi

step "checkpatch.pl --strict on uvmmod/ compat/ kunit/"
cd "$UVM_ROOT"
fail=0
for f in $(git ls-files 'uvmmod/*.[ch]' 'compat/*.[ch]' 'kunit/*.[ch]'); do
	# compat/ is the one place that tests the kernel version, by design.
	ignore=
	case $f in compat/*) ignore="--ignore LINUX_VERSION_CODE" ;; esac
	# Files ported from the BSD seeds carry their licence text verbatim
	# (the licence requires it), old spellings included.
	if grep -q '^/\*	Derived from \$\(NetBSD\|OpenBSD\)' "$f"; then
		ignore="$ignore --ignore TYPO_SPELLING"
	fi
	# shellcheck disable=SC2086
	out=$(perl "$cp_dir/scripts/checkpatch.pl" --no-tree --strict --quiet \
		--show-types $ignore -f "$f" 2>&1)
	if [ -z "$out" ]; then
		printf 'static\tcheckpatch.%s\tPASS\t\n' "$f" >>"$tsv"
	else
		fail=1
		printf '%s\n' "$out" | sed 's/^/    /'
		printf 'static\tcheckpatch.%s\tFAIL\t%s\n' "$f" \
			"$(printf '%s' "$out" | grep -cE '^(ERROR|WARNING|CHECK)') findings" >>"$tsv"
	fi
done
# Version tests belong in compat/ only.
vt=$(grep -rn 'LINUX_VERSION_CODE\|KERNEL_VERSION(' uvmmod kunit 2>/dev/null)
if [ -z "$vt" ]; then
	printf 'static\tno-version-tests-outside-compat\tPASS\t\n' >>"$tsv"
else
	fail=1
	printf '%s\n' "$vt" | sed 's/^/    /'
	printf 'static\tno-version-tests-outside-compat\tFAIL\t%s\n' "$(printf '%s' "$vt" | head -n1)" >>"$tsv"
fi

"$UVM_ROOT/scripts/compat-check.sh" "$tsv" || fail=1

[ "$fail" = 0 ] && step "static checks clean" || step "static check findings above"
exit "$fail"
