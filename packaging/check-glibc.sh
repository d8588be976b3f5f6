#!/usr/bin/env bash
# Symbol-version check of Linux release binaries: fails when any file needs a newer glibc
# (or libgcc_s) than the release targets, or a shared library outside the manylinux2014
# set.
#
#   packaging/check-glibc.sh [--glibc 2.17] [--gcc 4.8.0] FILE...
#
# Reads the version-needs section (.gnu.version_r) with `readelf -V -W`: every
# GLIBC_x.y and GCC_x.y.z a file requires, per library it needs. The defaults are the
# manylinux2014 (PEP 599) limits: glibc 2.17, libgcc_s GCC_4.8.0, and NEEDED libraries
# from its list (libc, libm, libdl, libpthread, librt, libgcc_s, ld-linux). Prints, per
# file, the highest version it needs; exits 1 when a file exceeds a limit, 2 on usage.
set -euo pipefail

max_glibc=2.17
max_gcc=4.8.0
files=()
while [ $# -gt 0 ]; do
    case "$1" in
    --glibc) max_glibc=$2; shift 2 ;;
    --gcc) max_gcc=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
    esac
done
[ ${#files[@]} -gt 0 ] || { echo "usage: $0 [--glibc X.Y] [--gcc X.Y.Z] FILE..." >&2; exit 2; }

# version_gt A B: A > B, comparing dotted numbers field by field.
version_gt() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n1)" = "$1" ]; }

allowed_needed='^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libgcc_s\.so\.1|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1)$'

bad=0
for f in "${files[@]}"; do
    [ -f "$f" ] || { echo "$f: no such file" >&2; bad=1; continue; }
    needs=$(readelf -V -W "$f" | sed -n 's/.*Name: \(GLIBC\|GCC\)_\([0-9.]*\) .*/\1 \2/p' | sort -u)
    top_glibc=$(printf '%s\n' "$needs" | awk '$1 == "GLIBC" { print $2 }' | sort -V | tail -n1)
    top_gcc=$(printf '%s\n' "$needs" | awk '$1 == "GCC" { print $2 }' | sort -V | tail -n1)
    echo "$f: needs GLIBC ${top_glibc:-none} (limit $max_glibc), GCC ${top_gcc:-none} (limit $max_gcc)"
    if [ -z "$top_glibc" ]; then
        echo "  no GLIBC version needs found: not a dynamically linked glibc binary?" >&2
        bad=1
    fi
    while read -r kind ver; do
        [ -n "$kind" ] || continue
        limit=$max_glibc
        [ "$kind" = GCC ] && limit=$max_gcc
        if version_gt "$ver" "$limit"; then
            echo "  TOO NEW: ${kind}_$ver (symbols: $(objdump -T "$f" | awk -v v="(${kind}_$ver)" '$0 ~ v { print $NF }' | sort -u | paste -sd ' ' -))" >&2
            bad=1
        fi
    done <<<"$needs"
    while read -r lib; do
        [ -n "$lib" ] || continue
        if ! printf '%s\n' "$lib" | grep -Eq "$allowed_needed"; then
            echo "  NEEDED library outside the manylinux2014 set: $lib" >&2
            bad=1
        fi
    done < <(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p')
done
exit $bad
