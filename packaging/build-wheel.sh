#!/usr/bin/env bash
# Builds the Python platform wheels (make wheel) into dist/ ($CCGW_DIST_DIR):
#
#  - Linux: setuptools-rust drives cargo-zigbuild for x86_64-unknown-linux-gnu.2.17 (the
#    release build's target directory is reused), giving
#    ccgw-<version>-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl with
#    ccgw/_lib/libccgw.so.1 inside; `auditwheel show` must find the wheel consistent with
#    the tag it carries, and packaging/check-glibc.sh must pass on the library inside.
#  - Windows, only when a Windows build is present ($CCGW_WINDOWS_TARGET_DIR, default
#    target/, holding x86_64-pc-windows-gnu/release/ccgw.dll, i.e. the mingw-w64 cross
#    toolchain is installed): the same setup.py with CARGO_BUILD_TARGET=x86_64-pc-windows-gnu
#    gives ccgw-<version>-py3-none-win_amd64.whl with ccgw/_lib/ccgw.dll. Otherwise it is
#    skipped with a note.
# Prints the paths of the wheels it built, one per line, last.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=packaging/tools.sh
. packaging/tools.sh

dist=${CCGW_DIST_DIR:-$root/dist}
mkdir -p "$dist"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' bindings/python/pyproject.toml)
work=$(mktemp -d "${TMPDIR:-/tmp}/ccgw-wheel.XXXXXX")
trap 'rm -rf "$work"; rm -rf "$root/bindings/python/build" "$root"/bindings/python/src/*.egg-info "$root/bindings/python/LICENSE"' EXIT
# The wheel carries the license text (setuptools takes LICENSE* next to pyproject.toml into
# the .dist-info/licenses folder, PEP 639); the one copy of it lives at the root.
cp LICENSE bindings/python/LICENSE

build_one() { # build_one ENV... : one wheel into $work, echoes its path
    rm -rf "$root/bindings/python/build"
    env "$@" python -m pip wheel -q --no-deps --no-build-isolation --disable-pip-version-check \
        -w "$work/out" ./bindings/python >&2
    ls "$work"/out/*.whl
}

built=()

linux_target=${CCGW_RELEASE_TARGET:-x86_64-unknown-linux-gnu.2.17}
rm -rf "$work/out"
whl=$(build_one CARGO=cargo-zigbuild CARGO_BUILD_TARGET="$linux_target" \
    CARGO_TARGET_DIR="${CCGW_ZIG_TARGET_DIR:-$root/target/zig}")
name=$(basename "$whl")
case "$name" in
"ccgw-$version-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl") ;;
*) echo "unexpected wheel name $name" >&2; exit 1 ;;
esac
# The library inside must pass the symbol check, and auditwheel must agree with the tag.
mkdir -p "$work/unpacked" && (cd "$work/unpacked" && python -m zipfile -e "$whl" .)
packaging/check-glibc.sh "$work/unpacked/ccgw/_lib/libccgw.so.1" >&2
[ -f "$work/unpacked/ccgw-$version.dist-info/licenses/LICENSE" ] ||
    { echo "$name carries no LICENSE in its .dist-info/licenses" >&2; exit 1; }
verdict=$(auditwheel show "$whl")
echo "$verdict" >&2
policy=$(printf '%s\n' "$verdict" | tr '\n' ' ' | sed -n 's/.*consistent with the following platform tag: *"\([^"]*\)".*/\1/p')
plat=${name#ccgw-"$version"-py3-none-}
plat=${plat%.whl}
case ".$plat." in
*".$policy."*) echo "auditwheel agrees: $policy" >&2 ;;
*) echo "auditwheel says '$policy', the wheel is tagged '$plat'" >&2; exit 1 ;;
esac
mv "$whl" "$dist/"
built+=("$dist/$name")

win_dir=${CCGW_WINDOWS_TARGET_DIR:-$root/target}
if [ -f "$win_dir/x86_64-pc-windows-gnu/release/ccgw.dll" ]; then
    rm -rf "$work/out"
    whl=$(build_one CARGO_BUILD_TARGET=x86_64-pc-windows-gnu CARGO_TARGET_DIR="$win_dir")
    name=$(basename "$whl")
    [ "$name" = "ccgw-$version-py3-none-win_amd64.whl" ] || { echo "unexpected wheel name $name" >&2; exit 1; }
    wlisting=$(python -m zipfile -l "$whl")
    grep -q "ccgw-$version.dist-info/licenses/LICENSE" <<<"$wlisting" || { echo "$name carries no LICENSE" >&2; exit 1; }
    grep -q 'ccgw/_lib/ccgw.dll' <<<"$wlisting" || { echo "$name has no ccgw/_lib/ccgw.dll" >&2; exit 1; }
    mv "$whl" "$dist/"
    built+=("$dist/$name")
else
    echo "no Windows build in $win_dir/x86_64-pc-windows-gnu/release: the win_amd64 wheel is skipped" >&2
fi
printf '%s\n' "${built[@]}"
