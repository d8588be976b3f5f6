#!/usr/bin/env bash
# The rendered API reference (make docs) into build/docs/ ($CCGW_DOCS_DIR):
#   c/html/       Doxygen over include/ccgw.h and include/ccgw.hpp (docs/Doxyfile)
#   python/       pdoc over the Python package (ccgw and ccgw.testing)
#   index.html    links to both
# Any Doxygen warning fails the build (WARN_AS_ERROR = FAIL_ON_WARNINGS, every member must be
# documented); pdoc runs with Python warnings turned into errors. Installs doxygen with
# apt-get (as root) when it is missing; pdoc comes from the release tools' virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${CCGW_DOCS_DIR:-$root/build/docs}
version=$(sed -n 's/^#define CCGW_VERSION_STRING "\(.*\)"$/\1/p' include/ccgw.h)

if ! command -v doxygen >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || { echo "doxygen is missing: apt-get install doxygen" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends doxygen >/dev/null
fi
# shellcheck source=packaging/tools.sh
. packaging/tools.sh

rm -rf "$out"
mkdir -p "$out/c"
echo "doxygen $(doxygen --version): C and C++ reference" >&2
CCGW_VERSION=$version CCGW_DOCS_OUT=$out/c doxygen docs/Doxyfile

echo "pdoc: Python reference" >&2
# pdoc imports the package, which loads the library: any build of it will do.
lib=${CCGW_LIBRARY:-}
if [ -z "$lib" ]; then
    for f in target/release/libccgw.so target/zig/x86_64-unknown-linux-gnu/release/libccgw.so; do
        [ -f "$f" ] && lib=$root/$f && break
    done
fi
[ -n "$lib" ] || lib=$(packaging/release-build.sh)/libccgw.so
CCGW_LIBRARY=$lib PYTHONPATH=bindings/python/src python -W error -m pdoc --docformat markdown \
    --footer-text "ccgw $version" -o "$out/python" ccgw ccgw.testing

cat >"$out/index.html" <<HTML
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ccgw $version API reference</title></head>
<body>
<h1>ccgw $version API reference</h1>
<ul>
<li><a href="c/html/index.html">C API (ccgw.h) and C++17 wrapper (ccgw.hpp)</a></li>
<li><a href="python/ccgw.html">Python package ccgw</a> (and <a href="python/ccgw/testing.html">ccgw.testing</a>)</li>
</ul>
</body></html>
HTML
echo "$out/index.html"
