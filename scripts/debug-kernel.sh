#!/usr/bin/env bash
# Build (or find in the cache) the debug kernel for uvmmod's debug lane:
# Debian's linux-source-6.12, tinyconfig + scripts/debug-kernel.config,
# with KUnit, KASAN, lockdep and friends. Prints the tree's path on stdout.
#
# The cache key is the fragment, the linux-source package version and the
# build recipe between the cache-key markers below; a change to any of them
# builds a new tree. Set UVM_CACHE to move the cache.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
UVM_LANE=debug-kbuild

dir=$(debug_kernel_dir)
if [ -e "$dir/.complete" ]; then
	echo "$dir/linux"
	exit 0
fi
[ -e /usr/src/linux-source-6.12.tar.xz ] || die "linux-source-6.12 is not installed (run scripts/deps.sh)"

mkdir -p "$UVM_CACHE/debug-kernel"
exec 9>"$UVM_CACHE/debug-kernel/.lock"
flock 9
if [ -e "$dir/.complete" ]; then	# built by another run while we waited
	echo "$dir/linux"
	exit 0
fi

tmp=$dir.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
log=$tmp/build.log
frag=$UVM_ROOT/scripts/debug-kernel.config
start=$SECONDS

# cache-key-begin
step "unpacking linux-source-6.12 $(linux_source_version) (cold cache, about 10 min in all)" >&2
tar xJf /usr/src/linux-source-6.12.tar.xz -C "$tmp"
mv "$tmp/linux-source-6.12" "$tmp/linux"
cd "$tmp/linux"
# MAPPING_DIRTY_HELPERS (wp_shared_mapping_range(), which the pmap shim uses
# to write-protect at fork) has no prompt: only DRM's vmwgfx selects it, as
# in Debian's kernels. Give it one, so the fragment can ask for it without
# building DRM; the code it enables is unchanged.
sed -i '/^config MAPPING_DIRTY_HELPERS$/{n;s/^\([[:space:]]*\)bool$/\1bool "Mapping dirty helpers"/}' mm/Kconfig
grep -q 'bool "Mapping dirty helpers"' mm/Kconfig || die "cannot give MAPPING_DIRTY_HELPERS a prompt in mm/Kconfig"
step "configuring: tinyconfig + debug-kernel.config" >&2
make -s tinyconfig >>"$log" 2>&1
scripts/kconfig/merge_config.sh -m .config "$frag" >>"$log" 2>&1
make -s olddefconfig >>"$log" 2>&1
# cache-key-end

# Kconfig silently drops options whose dependencies are missing: check that
# every line of the fragment made it into the final .config.
missing=
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qx -- "$line" .config || missing="$missing ${line%%=*}"
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		grep -q "^$opt=" .config && missing="$missing !$opt"
		;;
	esac
done <"$frag"
[ -z "$missing" ] || die "debug kernel .config lacks:$missing (see $frag)"

step "building bzImage and modules with -j$(nproc) (log: $log)" >&2
if ! make -j"$(nproc)" bzImage modules >>"$log" 2>&1; then
	tail -n 30 "$log" >&2
	die "debug kernel build failed (log: $log)"
fi
rm -rf "$dir"
mv "$tmp" "$dir"
touch "$dir/.complete"
# Keep only the newest tree: each one is about 3 GiB.
for old in "$UVM_CACHE"/debug-kernel/*/; do
	[ "${old%/}" = "$dir" ] || rm -rf "${old%/}"
done
step "debug kernel ready in $((SECONDS - start)) s: $dir/linux" >&2
echo "$dir/linux"
