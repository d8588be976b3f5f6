#!/usr/bin/env python3
"""Where one request's instructions go, by function: the difference of two callgrind runs
of the same client (run.py keeps build/bench-http/callgrind.<client>.<proto>.<op>.{100,300}),
divided by the requests between them, so set-up (sign-in, TLS handshake, runtime start)
cancels out.

    benches/http/profile.py build/bench-http/callgrind.ccgw.https.query.100 \\
        build/bench-http/callgrind.ccgw.https.query.300 --requests 200 --top 15 [--inclusive]
"""

import argparse
import re
import subprocess
from collections import defaultdict

LINE = re.compile(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(.*?)\s*$")


def per_function(path, inclusive):
    out = subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100", f"--inclusive={'yes' if inclusive else 'no'}",
                          path], check=True, stdout=subprocess.PIPE, text=True).stdout
    counts = defaultdict(int)
    started = False
    for line in out.splitlines():
        if "file:function" in line:
            started = True
            continue
        if not started:
            continue
        if not line.strip():
            if counts:
                break
            continue
        m = LINE.match(line)
        if m and ":" in m.group(2):
            counts[m.group(2)] += int(m.group(1).replace(",", ""))
    return counts


def short(name):
    fn = name.split(":", 1)[1] if ":" in name else name
    fn = re.sub(r"\s*\[.*\]$", "", fn)
    return fn if len(fn) <= 110 else fn[:107] + "..."


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("small")
    ap.add_argument("large")
    ap.add_argument("--requests", type=int, default=200, help="requests the large run made beyond the small one")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--inclusive", action="store_true")
    a = ap.parse_args()
    small, large = per_function(a.small, a.inclusive), per_function(a.large, a.inclusive)
    diff = {f: (large.get(f, 0) - small.get(f, 0)) / a.requests for f in set(large) | set(small)}
    total = sum(v for v in diff.values()) if not a.inclusive else None
    rows = sorted(diff.items(), key=lambda kv: -kv[1])[: a.top]
    print("| instructions/request | " + ("share | " if total else "") + "function |")
    print("|---|" + ("---|" if total else "") + "---|")
    for f, v in rows:
        share = f" {100 * v / total:.1f} % |" if total else ""
        print(f"| {v:,.0f} |{share} `{short(f)}` |")
    if total:
        print(f"\nTotal (every function): {total:,.0f} instructions per request.")


if __name__ == "__main__":
    main()
