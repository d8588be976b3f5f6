#!/usr/bin/env bash
# The release build of libccgw and ccgw-sim for Linux: linked by zig against glibc 2.17
# (manylinux2014), so the library loads on RHEL/CentOS 7 and every later distribution.
#
#   packaging/release-build.sh            (make release)
#
# Builds with cargo-zigbuild for $CCGW_RELEASE_TARGET (default x86_64-unknown-linux-gnu.2.17)
# into its own target directory, $CCGW_ZIG_TARGET_DIR (default target/zig), which later
# runs reuse; then checks the symbol versions (packaging/check-glibc.sh). Prints the
# directory holding libccgw.so, libccgw.a and ccgw-sim (with a libccgw.so.1 link) last.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=packaging/tools.sh
. packaging/tools.sh

target=${CCGW_RELEASE_TARGET:-x86_64-unknown-linux-gnu.2.17}
target_dir=${CCGW_ZIG_TARGET_DIR:-$root/target/zig}
if [[ ! $target =~ ^(.*-linux-gnu)\.([0-9]+\.[0-9]+)$ ]]; then
    echo "CCGW_RELEASE_TARGET must name a glibc version (e.g. x86_64-unknown-linux-gnu.2.17)" >&2
    exit 2
fi
triple=${BASH_REMATCH[1]}
glibc=${BASH_REMATCH[2]}

# The library with exactly the crate types and arguments setuptools-rust passes for the wheel
# plus the static library, so that the wheel build (packaging/build-wheel.sh) and this one
# share the compiled crate instead of rebuilding it in turn; the simulator separately.
cargo-zigbuild rustc --release --target "$target" -p ccgw --lib --crate-type cdylib --crate-type staticlib \
    --target-dir "$target_dir" >&2
cargo-zigbuild zigbuild --release --target "$target" -p ccgw-sim --target-dir "$target_dir" >&2
out=$target_dir/$triple/release
ln -sf libccgw.so "$out/libccgw.so.1"
packaging/check-glibc.sh --glibc "$glibc" "$out/libccgw.so" "$out/ccgw-sim" >&2
echo "$out"
