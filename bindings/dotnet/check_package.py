#!/usr/bin/env python3
"""Layout test of the NuGet package: check_package.py Ccgw.Net.<version>.nupkg [--windows]

Checks, and lists every failure (exit 1):
  - the entries are exactly the expected set (OPC parts, nuspec, README, LICENSE, the two
    lib folders with Ccgw.Net.dll/.xml/.dll.config, build and buildTransitive targets,
    runtimes/linux-x64/native/libccgw.so.1, and runtimes/win-x64/native/ccgw.dll exactly when
    --windows is given);
  - the nuspec: id Ccgw.Net, the version of Cargo.toml, license expression Apache-2.0,
    dependency groups for .NETStandard2.0 and net8.0;
  - no managed and native file share a name case-insensitively (ccgw.dll vs Ccgw.Net.dll);
  - the Linux library is ELF with soname libccgw.so.1 and passes packaging/check-glibc.sh;
    the Windows one (when present) is a PE file.
Prints "N passed, M failed".
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
results: list[tuple[str, str | None]] = []


def check(name: str, problem: str | None) -> None:
    results.append((name, problem))


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    windows = "--windows" in sys.argv[1:]
    pkg = Path(args[0])
    version = re.search(r'^\[package\][^\[]*?^version\s*=\s*"([^"]+)"', (ROOT / "Cargo.toml").read_text(), re.M | re.S)
    assert version, "no version in Cargo.toml"
    version_s = version.group(1)
    z = zipfile.ZipFile(pkg)
    names = set(z.namelist())
    expected = {
        "[Content_Types].xml", "_rels/.rels", "Ccgw.Net.nuspec", "README.md", "LICENSE.txt",
        "build/net461/Ccgw.Net.targets", "buildTransitive/net461/Ccgw.Net.targets",
        "runtimes/linux-x64/native/libccgw.so.1",
    }
    for tfm in ("netstandard2.0", "net8.0"):
        expected |= {f"lib/{tfm}/Ccgw.Net.dll", f"lib/{tfm}/Ccgw.Net.xml", f"lib/{tfm}/Ccgw.Net.dll.config"}
    if windows:
        expected.add("runtimes/win-x64/native/ccgw.dll")
    check("entries", None if names == expected else
          f"missing {sorted(expected - names)}, unexpected {sorted(names - expected)}")
    check("package file name", None if pkg.name == f"Ccgw.Net.{version_s}.nupkg" else f"named {pkg.name}")

    ns = {"n": "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"}
    meta = ET.fromstring(z.read("Ccgw.Net.nuspec")).find("n:metadata", ns)
    assert meta is not None
    text = {k: (meta.findtext(f"n:{k}", namespaces=ns) or "") for k in ("id", "version", "license", "readme")}
    groups = sorted(g.get("targetFramework", "") for g in meta.iterfind("n:dependencies/n:group", ns))
    check("nuspec id/version/license/readme",
          None if text == {"id": "Ccgw.Net", "version": version_s, "license": "Apache-2.0", "readme": "README.md"}
          else f"{text}")
    check("nuspec dependency groups", None if groups == [".NETStandard2.0", "net8.0"] else f"{groups}")

    by_lower: dict[str, set[str]] = {}
    for n in names:
        by_lower.setdefault(Path(n).name.lower(), set()).add(Path(n).parent.as_posix())
    clash = [n for n in ("ccgw.dll",) if n in by_lower and any(p.startswith("lib/") for p in by_lower[n])]
    check("no managed/native name clash", None if not clash and "ccgw.net.dll" in by_lower else f"{clash}")
    check("managed assemblies identical across lib folders",
          None if z.read("lib/netstandard2.0/Ccgw.Net.dll") == z.read("lib/net8.0/Ccgw.Net.dll") else "differ")

    with tempfile.TemporaryDirectory() as tmp:
        so = Path(tmp) / "libccgw.so.1"
        so.write_bytes(z.read("runtimes/linux-x64/native/libccgw.so.1"))
        dyn = subprocess.run(["readelf", "-d", str(so)], capture_output=True, text=True).stdout
        soname = re.search(r"\(SONAME\).*\[(.*)\]", dyn)
        check("linux-x64 soname", None if soname and soname.group(1) == "libccgw.so.1" else f"soname {soname and soname.group(1)}")
        glibc = subprocess.run([str(ROOT / "packaging/check-glibc.sh"), str(so)], capture_output=True, text=True)
        check("linux-x64 glibc 2.17", None if glibc.returncode == 0 else glibc.stdout + glibc.stderr)
    if windows:
        check("win-x64 is a PE file", None if z.read("runtimes/win-x64/native/ccgw.dll")[:2] == b"MZ" else "no MZ header")

    failed = [(n, p) for n, p in results if p]
    for n, p in failed:
        print(f"FAIL {n}: {p}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
