#!/usr/bin/env python3
"""The HTTP benchmark (issue 12): ccgw through its C ABI against a hand-written libcurl C
client and raw reqwest (current-thread on the caller's thread, and multi-thread), in one
run, interleaved, against an nginx this script starts on loopback with fixed answers.

    benches/http/run.py [--rounds 5] [--requests 4000] [--no-callgrind] [--smoke]

What it does:
* installs what is missing (Debian: nginx, libcurl4-openssl-dev, valgrind);
* builds libccgw (release), the two C clients (-Wall -Wextra -Werror) and the reqwest
  clients (`cargo bench --no-run --bench http_reqwest`, the release profile);
* generates a CA and a certificate for 127.0.0.1 (openssl) and starts nginx (one worker
  process) listening for HTTPS and HTTP, answering the sign-in (with Set-GUID), and
  `batchaddparticipant` and `queryconfinfos` with the gateway's documented JSON
  (reference §5; seed page of batchaddparticipant), logging `$connection` per request;
* per round, for HTTPS and HTTP, each operation, and 1 caller / 8 threads on one session /
  8 threads with a session each, runs every client once (the order rotates each round),
  each a process of its own: set-up and warm-up, then REQUESTS requests measured
  (wall clock, and the process's CPU from getrusage: its threads and the runtime's);
* counts the connections each run opened (distinct `$connection` in nginx's log,
  sign-in included);
* with callgrind (client process only; nginx is another process), instructions per
  request: the difference between a run of 300 and one of 100 requests, one caller;
* prints Markdown tables: medians over the rounds, ratios to libcurl of the same round
  (median and min-max), and writes every sample to build/bench-http/results.json ($CCGW_BENCH_WORK).

--smoke: one round of a few hundred requests, no callgrind; fails unless every client got
every answer right (not part of scripts/test: its bench build of the library would
rebuild libccgw twice more in CI, a cdylib file name carrying no hash).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.join(ROOT, "benches", "http")
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
WORK = os.environ.get("CCGW_BENCH_WORK", os.path.join(ROOT, "build", "bench-http"))

GUID = "279fe21d-2caa-4437-84c3-ab9e9dae20f5.AgentGateway0"
# reference §3.1 (sign-in answer sample), the batchaddparticipant seed page's answer, and
# reference §5's queryconfinfos sample.
SIGN_IN = ('{"message":"","retcode":"0","result":{"vdnid":1,"workno":"153","mediatype":"TTF",'
           '"loginTime":"1471585949806","isForceChange":"false","serverName":"AgentGateway","timeRemaining":"9"}}')
BATCH = '{"result":{},"message":"success","retcode":"0"}'
QUERY = ('{"message":"","retcode":"0","result":{"confs":[{"confId":1029888,"confState":0,"startTime":1475745454000,'
         '"applyConfTime":60,"confHaveBeenTime":29,"addresses":[{"addressType":"6","address":"70005",'
         '"deviceCallType":0,"deviceType":0,"channelAttrib":3,"channelState":0,"role":0,"enterTime":1475745464000},'
         '{"addressType":"9","address":"153","deviceCallType":0,"deviceType":6,"channelAttrib":3,"channelState":0,'
         '"role":1,"enterTime":1475745454000}]}]}}')

CLIENTS = ["ccgw", "curl", "reqwest_ct", "reqwest_mt"]
OPS = ["batch", "query"]
OP_NAMES = {"batch": "batchaddparticipant", "query": "queryconfinfos"}
MODES = [("1", 1, 1), ("8x1", 8, 1), ("8x8", 8, 8)]  # name, threads, sessions
MODE_NAMES = {"1": "1 caller", "8x1": "8 threads, one session", "8x8": "8 threads, a session each"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_packages():
    need = []
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        need.append("nginx")
    if not os.path.exists("/usr/include/x86_64-linux-gnu/curl/curl.h") and not shutil.which("curl-config"):
        need.append("libcurl4-openssl-dev")
    if not shutil.which("valgrind"):
        need.append("valgrind")
    if need:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        log("installing", *need)
        run(sudo + ["apt-get", "update", "-qq"], env=env)
        run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + need, env=env)


def build(clients):
    os.makedirs(WORK, exist_ok=True)
    cargo = os.environ.get("CARGO", "cargo")
    log("building libccgw (release) and the reqwest clients")
    # One cargo invocation: a cdylib's file name carries no hash, so building the library
    # both for the bench (dev-dependency features) and on its own would make each rebuild
    # it in turn. With the reqwest clients, the bench build's library is the one measured.
    reqwest = None
    if {"reqwest_ct", "reqwest_mt"} & set(clients):
        reqwest, so = reqwest_client(cargo)
    else:
        run([cargo, "build", "--release", "-q", "-p", "ccgw"], cwd=ROOT)
        so = os.path.join(TARGET, "release", "libccgw.so")
    lib = os.path.join(WORK, "lib")
    os.makedirs(lib, exist_ok=True)
    shutil.copy2(so, os.path.join(lib, "libccgw.so.1"))
    if not os.path.lexists(os.path.join(lib, "libccgw.so")):
        os.symlink("libccgw.so.1", os.path.join(lib, "libccgw.so"))
    cc = os.environ.get("CC", "gcc")
    flags = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-g", "-pthread"]
    ccgw_bin = os.path.join(WORK, "ccgw_client")
    curl_bin = os.path.join(WORK, "curl_client")
    run([cc] + flags + ["-I", os.path.join(ROOT, "include"), os.path.join(HERE, "ccgw_client.c"), "-L", lib,
                        "-Wl,-rpath," + lib, "-lccgw", "-o", ccgw_bin])
    run([cc] + flags + [os.path.join(HERE, "curl_client.c"), "-lcurl", "-o", curl_bin])
    return {"ccgw": [ccgw_bin], "curl": [curl_bin], "reqwest_ct": [reqwest, "ct"], "reqwest_mt": [reqwest, "mt"]}


def reqwest_client(cargo):
    out = run([cargo, "bench", "--no-run", "-q", "-p", "ccgw", "--bench", "http_reqwest", "--message-format=json"],
              cwd=ROOT, stdout=subprocess.PIPE, text=True).stdout
    reqwest = so = None
    for line in out.splitlines():
        try:
            m = json.loads(line)
        except ValueError:
            continue
        if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "http_reqwest" \
                and m.get("executable"):
            reqwest = m["executable"]
        if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "ccgw" \
                and "cdylib" in m["target"].get("kind", []):
            so = next((f for f in m.get("filenames", []) if f.endswith(".so")), None)
    assert reqwest and so, "cargo did not name the http_reqwest executable and libccgw.so"
    return reqwest, so


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def certificates(d):
    q = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run(["openssl", "req", "-x509"] + ec + ["-keyout", f"{d}/ca.key", "-out", f"{d}/ca.pem", "-days", "2",
         "-subj", "/CN=ccgw bench CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"], **q)
    run(["openssl", "req"] + ec + ["-keyout", f"{d}/key.pem", "-out", f"{d}/leaf.csr", "-subj", "/CN=127.0.0.1"], **q)
    with open(f"{d}/leaf.ext", "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
                "subjectAltName=IP:127.0.0.1\n")
    run(["openssl", "x509", "-req", "-in", f"{d}/leaf.csr", "-CA", f"{d}/ca.pem", "-CAkey", f"{d}/ca.key",
         "-CAcreateserial", "-days", "2", "-extfile", f"{d}/leaf.ext", "-out", f"{d}/cert.pem"], **q)


class Nginx:
    def __init__(self, d):
        self.dir = d
        self.https, self.http = free_port(), free_port()
        self.log = f"{d}/access.log"
        for name, body in (("answer-batch.json", BATCH), ("answer-query.json", QUERY)):
            with open(f"{d}/{name}", "w") as f:
                f.write(body)
        conf = f"""daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  log_format conn '$connection $status $request_uri';
  access_log {d}/access.log conn;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  keepalive_timeout 300s;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{self.https} ssl;
    listen 127.0.0.1:{self.http};
    ssl_certificate {d}/cert.pem;
    ssl_certificate_key {d}/key.pem;
    default_type "application/json; charset=UTF-8";
    location ~ ^/agentgateway/resource/onlineagent/[0-9]+$ {{
      add_header Set-GUID "JSESSIONID={GUID}";
      return 200 '{SIGN_IN}';
    }}
    location ~ ^/agentgateway/resource/agentconf/[0-9]+/batchaddparticipant$ {{ return 200 '{BATCH}'; }}
    location ~ ^/agentgateway/resource/agentconf/[0-9]+/queryconfinfos$ {{ return 200 '{QUERY}'; }}
    location / {{ return 404; }}
  }}
}}
"""
        with open(f"{d}/nginx.conf", "w") as f:
            f.write(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([nginx, "-p", d, "-c", f"{d}/nginx.conf", "-e", f"{d}/error.log"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        for port in (self.https, self.http):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.time() > deadline or self.proc.poll() is not None:
                        raise SystemExit("nginx did not start: " + open(f"{d}/error.log").read())
                    time.sleep(0.02)

    def connections_since(self, offset):
        """Distinct connections (`$connection`) in the log after `offset`."""
        with open(self.log) as f:
            f.seek(offset)
            conns = {line.split()[0] for line in f if line.strip()}
        return len(conns)

    def log_size(self):
        return os.path.getsize(self.log)

    def stop(self):
        self.proc.send_signal(signal.SIGQUIT)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def client_cmd(bins, client, op, url, ca, requests, threads, sessions, warmup):
    return bins[client] + [op, url, ca, str(requests), str(threads), str(sessions), str(warmup)]


def measure(bins, nginx, client, op, url, ca, requests, threads, sessions, warmup):
    off = nginx.log_size()
    p = subprocess.run(client_cmd(bins, client, op, url, ca, requests, threads, sessions, warmup),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
    r = json.loads(p.stdout.strip().splitlines()[-1]) if p.stdout.strip() else {"ok": 0, "bad": -1}
    if p.returncode != 0 or r.get("bad") != 0 or r.get("ok") != r.get("requests"):
        raise SystemExit(f"{client} {op} {url} {threads}x{sessions}: wrong answers or failure "
                         f"(exit {p.returncode}): {p.stdout.strip()} {p.stderr.strip()[:2000]}")
    time.sleep(0.05)  # nginx writes the last log line once the client has gone
    r["connections"] = nginx.connections_since(off)
    return r


def callgrind(bins, client, proto, op, url, ca):
    """Instructions per request of the client process (difference of 300 and 100 requests)."""
    counts = []
    for n in (100, 300):
        p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={WORK}/callgrind.{client}.{proto}.{op}.{n}"]
                           + client_cmd(bins, client, op, url, ca, n, 1, 1, 20),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=1200)
        m = re.search(r"Collected : (\d+)", p.stderr)
        if p.returncode != 0 or not m:
            raise SystemExit(f"callgrind {client} {op}: exit {p.returncode}: {p.stderr[-2000:]}")
        counts.append(int(m.group(1)))
    return (counts[1] - counts[0]) / 200


def fmt_range(vals, scale=1.0, digits=1):
    vals = [v * scale for v in vals]
    med = statistics.median(vals)
    if len(vals) == 1:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({min(vals):.{digits}f}–{max(vals):.{digits}f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--requests", type=int, default=4000, help="requests per run (split among the threads)")
    ap.add_argument("--warmup", type=int, default=20, help="unmeasured requests per thread first")
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="1 round, 400 requests, no callgrind: answers checked")
    ap.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated subset (curl is always run)")
    ap.add_argument("--only", default="", help="comma-separated subset of https,http,batch,query,1,8x1,8x8")
    a = ap.parse_args()
    if a.smoke:
        a.rounds, a.requests, a.warmup, a.no_callgrind = 1, 400, 5, True
    clients = [c for c in CLIENTS if c == "curl" or c in a.clients.split(",")]
    ensure_packages()
    bins = build(clients)
    d = os.path.join(WORK, "nginx")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    certificates(d)
    nginx = Nginx(d)
    ca = f"{d}/ca.pem"
    urls = {"https": f"https://127.0.0.1:{nginx.https}", "http": f"http://127.0.0.1:{nginx.http}"}
    only = set(filter(None, a.only.split(",")))
    protos = [p for p in urls if not only & {"https", "http"} or p in only]
    ops = [o for o in OPS if not only & set(OPS) or o in only]
    modes = [m for m in MODES if not only & {"1", "8x1", "8x8"} or m[0] in only]
    samples = []
    try:
        for rnd in range(a.rounds):
            log(f"round {rnd + 1}/{a.rounds}")
            for proto in protos:
                for op in ops:
                    for mode, threads, sessions in modes:
                        order = clients[rnd % len(clients):] + clients[:rnd % len(clients)]
                        for client in order:
                            r = measure(bins, nginx, client, op, urls[proto], ca, a.requests, threads, sessions,
                                        a.warmup)
                            r.update(round=rnd, proto=proto, op=op, mode=mode)
                            samples.append(r)
        instr = {}
        if not a.no_callgrind:
            for proto in protos:
                for op in ops:
                    for client in clients:
                        log(f"callgrind {client} {proto} {op}")
                        instr[(proto, op, client)] = callgrind(bins, client, proto, op, urls[proto], ca)
    finally:
        nginx.stop()
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump({"samples": samples, "instructions": {"/".join(k): v for k, v in instr.items()}}, f, indent=1)
    report(samples, instr, a, clients, protos, ops, modes)


def report(samples, instr, a, clients, protos, ops, modes):
    print(f"{a.rounds} rounds × {a.requests} requests per client and case (interleaved, order rotating); "
          "medians over the rounds, (min–max); ratios are to libcurl in the same round.\n")
    for proto in protos:
        for op in ops:
            for mode, _, _ in modes:
                rows = [s for s in samples if s["proto"] == proto and s["op"] == op and s["mode"] == mode]
                if not rows:
                    continue
                print(f"**{proto.upper()}, `{OP_NAMES[op]}`, {MODE_NAMES[mode]}**\n")
                print("| client | µs/request | × curl time | CPU µs/request | × curl CPU | connections |")
                print("|---|---|---|---|---|---|")
                curl = {s["round"]: s for s in rows if s["client"] == "curl"}
                for client in clients:
                    mine = [s for s in rows if s["client"] == client]
                    t = [s["wall_ns"] / s["requests"] / 1000 for s in mine]
                    c = [s["cpu_ns"] / s["requests"] / 1000 for s in mine]
                    tr = [s["wall_ns"] / curl[s["round"]]["wall_ns"] for s in mine]
                    cr = [s["cpu_ns"] / curl[s["round"]]["cpu_ns"] for s in mine]
                    conns = sorted({s["connections"] for s in mine})
                    line = (f"| {client} | {fmt_range(t)} | {fmt_range(tr, digits=2)} | {fmt_range(c)} | "
                            f"{fmt_range(cr, digits=2)} | {'/'.join(map(str, conns))} |")
                    print(line)
                print()
    if instr:
        print("Instructions per request, client process only (callgrind; 300 minus 100 requests, one caller):\n")
        print("| client | " + " | ".join(f"{p.upper()} `{OP_NAMES[o]}`" for p in protos for o in ops) + " |")
        print("|---|" + "---|" * (len(protos) * len(ops)))
        for client in clients:
            cells = []
            for p in protos:
                for o in ops:
                    v, base = instr[(p, o, client)], instr[(p, o, "curl")]
                    cells.append(f"{v / 1000:.1f} k ({v / base:.2f}×)")
            print(f"| {client} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
