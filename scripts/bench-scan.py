#!/usr/bin/env python3
"""Benchmark `tlsprobe scan` against sslscan, testssl.sh, nmap ssl-enum-ciphers and sslyze.

Run by scripts/bench-scan.sh (which installs the tools). Starts five loopback servers, then for
each tool and server measures: median wall time directly (RUNS runs), TCP connections (counted
by a zero-delay counting relay in one extra run), and median wall time and connections through
a forwarder adding DELAY ms each way. Parses every tool's machine output into (version, suite)
pairs and compares them with sslscan's. Talks only to 127.0.0.1.

usage: bench-scan.py TLSPROBE_BIN SSLYZE_BIN RUNS DELAY_MS
"""
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
BIN, SSLYZE, RUNS, DELAY = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
WORK = tempfile.mkdtemp(prefix="bench-scan-")
PROCS = []
TOOL_TIMEOUT = 900


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, deadline=15.0):
    end = time.time() + deadline
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def start(cmd, **kw):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, **kw)
    PROCS.append(p)
    return p


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_certs():
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{WORK}/rsa.key",
       "-out", f"{WORK}/rsa.pem", "-days", "2", "-subj", "/CN=localhost",
       "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
    sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
       "-keyout", f"{WORK}/ec.key", "-out", f"{WORK}/ec.pem", "-days", "2", "-subj", "/CN=localhost",
       "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")


def s_server(args):
    port = free_port()
    start(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", f"{WORK}/rsa.pem",
           "-key", f"{WORK}/rsa.key", "-quiet", "-naccept", "100000"] + args)
    assert wait_port(port), args
    return port


def servers():
    out = {}
    out["modern"] = s_server([])
    out["legacy"] = s_server(["-min_protocol", "TLSv1", "-max_protocol", "TLSv1.2",
                              "-cipher", "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
                              "-dcert", f"{WORK}/ec.pem", "-dkey", f"{WORK}/ec.key",
                              "-provider", "legacy", "-provider", "default"])
    out["strict"] = s_server(["-tls1_2", "-cipher", "ECDHE+AESGCM", "-serverpref",
                              "-dcert", f"{WORK}/ec.pem", "-dkey", f"{WORK}/ec.key"])
    port = free_port()
    start(["gnutls-serv", "--port", str(port), "--x509certfile", f"{WORK}/rsa.pem",
           "--x509keyfile", f"{WORK}/rsa.key", "--priority", "NORMAL:-VERS-TLS1.3", "-q"])
    assert wait_port(port), "gnutls-serv"
    out["gnutls"] = port
    port = free_port()
    os.makedirs(f"{WORK}/nginx/logs", exist_ok=True)
    with open(f"{WORK}/nginx/nginx.conf", "w") as f:
        f.write(f"""worker_processes 1;
pid {WORK}/nginx/nginx.pid;
error_log {WORK}/nginx/logs/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {WORK}/rsa.pem;
    ssl_certificate_key {WORK}/rsa.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA;
    ssl_prefer_server_ciphers on;
    location / {{ return 200 "ok\\n"; }}
  }}
}}
""")
    start(["nginx", "-p", f"{WORK}/nginx", "-c", f"{WORK}/nginx/nginx.conf", "-g", "daemon off;"])
    assert wait_port(port), "nginx"
    out["nginx7"] = port
    return out


def forwarder(backend, delay_ms):
    port = free_port()
    count = f"{WORK}/count-{port}"
    p = subprocess.Popen([sys.executable, f"{HERE}/servers/counting_forwarder.py", str(port),
                          "127.0.0.1", str(backend), str(delay_ms), count],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    PROCS.append(p)
    assert p.stdout.readline().strip() == "READY"
    return port, count


def read_count(path):
    with open(path) as f:
        return int(f.read().strip() or 0)


def reset_count(path):
    with open(path, "w") as f:
        f.write("0")


# --- the registry, from tlsprobe itself: OpenSSL name / code point -> IANA name ---------------
REG = json.loads(subprocess.run([BIN, "ciphers", "--format", "json"], capture_output=True,
                                text=True, check=True).stdout)["cipher_suites"]
BY_OPENSSL = {s["openssl"]: s["iana"] for s in REG if s.get("openssl")}
BY_ID = {int(s["id"], 16): s["iana"] for s in REG}
VERS = {"SSLv2": "SSL2.0", "SSLv3": "SSL3.0", "TLSv1.0": "TLS1.0", "TLSv1": "TLS1.0",
        "TLSv1.1": "TLS1.1", "TLSv1.2": "TLS1.2", "TLSv1.3": "TLS1.3"}


def run_tlsprobe(port, out):
    return [BIN, "scan", f"127.0.0.1:{port}", "--format", "json", "--output", out] \
        if False else [BIN, "scan", f"127.0.0.1:{port}", "--format", "json"]


def parse_tlsprobe(stdout, _path):
    doc = json.loads(stdout)
    pairs = set()
    for ep in doc["targets"][0]["endpoints"]:
        for p in ep["protocols"]:
            if p["supported"]:
                for c in p.get("ciphers") or ([p["cipher"]] if p.get("cipher") else []):
                    pairs.add((p["version"], c))
    return pairs


def parse_sslscan(_stdout, path):
    pairs = set()
    root = ET.parse(path).getroot()
    for c in root.iter("cipher"):
        if c.get("status") in ("accepted", "preferred"):
            v = VERS.get(c.get("sslversion"), c.get("sslversion"))
            name = c.get("cipher")
            pairs.add((v, BY_OPENSSL.get(name, name)))
    return pairs


def parse_nmap(_stdout, path):
    pairs = set()
    root = ET.parse(path).getroot()
    for script in root.iter("script"):
        if script.get("id") != "ssl-enum-ciphers":
            continue
        for vt in script.findall("table"):
            v = VERS.get(vt.get("key"), vt.get("key"))
            for ct in vt.findall("table"):
                if ct.get("key") != "ciphers":
                    continue
                for c in ct.findall("table"):
                    for e in c.findall("elem"):
                        if e.get("key") == "name":
                            # nmap spells the TLS 1.3 suites TLS_AKE_WITH_...
                            pairs.add((v, (e.text or "").replace("TLS_AKE_WITH_", "TLS_")))
    return pairs


def parse_testssl(_stdout, path):
    pairs = set()
    with open(path) as f:
        doc = json.load(f)
    items = doc if isinstance(doc, list) else doc.get("scanResult", [{}])[0].get("cipherTests", [])
    for it in items:
        m = re.match(r"cipher-(ssl3|tls1|tls1_1|tls1_2|tls1_3)_x([0-9a-fA-F]+)$", it.get("id", ""))
        if not m:
            continue
        v = {"ssl3": "SSL3.0", "tls1": "TLS1.0", "tls1_1": "TLS1.1", "tls1_2": "TLS1.2",
             "tls1_3": "TLS1.3"}[m.group(1)]
        code = int(m.group(2), 16)
        if code > 0xFFFF:
            continue
        pairs.add((v, BY_ID.get(code, f"0x{code:04X}")))
    return pairs


def parse_sslyze(_stdout, path):
    pairs = set()
    with open(path) as f:
        doc = json.load(f)
    keys = {"ssl_2_0_cipher_suites": "SSL2.0", "ssl_3_0_cipher_suites": "SSL3.0",
            "tls_1_0_cipher_suites": "TLS1.0", "tls_1_1_cipher_suites": "TLS1.1",
            "tls_1_2_cipher_suites": "TLS1.2", "tls_1_3_cipher_suites": "TLS1.3"}
    for srv in doc.get("server_scan_results", []):
        res = srv.get("scan_result") or {}
        for k, v in keys.items():
            r = (res.get(k) or {}).get("result") or {}
            for c in r.get("accepted_cipher_suites", []):
                pairs.add((v, c["cipher_suite"]["name"]))
    return pairs


def tools():
    tl = [("tlsprobe scan", lambda port, out: [BIN, "scan", f"127.0.0.1:{port}", "--format", "json"],
           parse_tlsprobe)]
    if shutil.which("sslscan"):
        tl.append(("sslscan", lambda port, out: ["sslscan", "--no-colour", f"--xml={out}",
                                                 f"127.0.0.1:{port}"], parse_sslscan))
    if shutil.which("nmap"):
        tl.append(("nmap ssl-enum-ciphers",
                   lambda port, out: ["nmap", "-Pn", "-n", "-p", str(port), "--script",
                                      "ssl-enum-ciphers", "-oX", out, "127.0.0.1"], parse_nmap))
    testssl = shutil.which("testssl") or shutil.which("testssl.sh")
    if testssl:
        tl.append(("testssl.sh -p -E",
                   lambda port, out: [testssl, "--quiet", "--warnings", "off", "--color", "0",
                                      "-p", "-E", "--jsonfile", out, f"127.0.0.1:{port}"],
                   parse_testssl))
    if SSLYZE and os.path.exists(SSLYZE):
        tl.append(("sslyze (ciphers)",
                   lambda port, out: [SSLYZE, "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1",
                                      "--tlsv1_2", "--tlsv1_3", f"--json_out={out}",
                                      f"127.0.0.1:{port}"], parse_sslyze))
    return tl


def selected(tl):
    """BENCH_TOOLS=tlsprobe,nmap keeps only the tools whose name starts with one of those."""
    want = [w.strip() for w in os.environ.get("BENCH_TOOLS", "").split(",") if w.strip()]
    return [t for t in tl if not want or any(t[0].startswith(w) for w in want)]


def timed(cmd, out=None):
    if out and os.path.exists(out):
        os.remove(out)  # testssl.sh refuses to overwrite its JSON file
    t = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=TOOL_TIMEOUT)
    return time.time() - t, r.stdout


def version_of(tool):
    cmds = {"sslscan": ["sslscan", "--version"], "nmap ssl-enum-ciphers": ["nmap", "--version"],
            "testssl.sh -p -E": [shutil.which("testssl") or "testssl", "--version"],
            "sslyze (ciphers)": [SSLYZE, "--help"], "tlsprobe scan": [BIN, "--version"]}
    try:
        out = subprocess.run(cmds[tool], capture_output=True, text=True, timeout=60).stdout
    except Exception:
        return "?"
    m = re.search(r"(\d+\.\d+(\.\d+)?)", re.sub(r"\x1b\[[0-9;]*m", "", out))
    if tool.startswith("sslyze"):
        try:
            out = subprocess.run([os.path.join(os.path.dirname(SSLYZE), "pip"), "show", "sslyze"],
                                 capture_output=True, text=True).stdout
            m = re.search(r"Version: (\S+)", out)
            return m.group(1) if m else "?"
        except Exception:
            return "?"
    return m.group(1) if m else "?"


def short(v):
    return {"SSL2.0": "S2", "SSL3.0": "S3"}.get(v, v.replace("TLS", ""))


def summarize(pairs):
    vs = sorted({v for v, _ in pairs})
    per = {v: len([1 for x, _ in pairs if x == v]) for v in vs}
    detail = " ".join(f"{short(v)}:{n}" for v, n in per.items())
    return ",".join(short(v) for v in vs), f"{len({c for _, c in pairs})} ({detail})"


def main():
    make_certs()
    srv = servers()
    only = [w for w in os.environ.get("BENCH_SERVERS", "").split(",") if w]
    srv = {k: v for k, v in srv.items() if not only or k in only}
    rows = []
    the_tools = selected(tools())
    versions = {name: version_of(name) for name, _, _ in the_tools}
    for sname, sport in srv.items():
        direct_relay, direct_count = forwarder(sport, 0)
        slow_port, slow_count = forwarder(sport, DELAY)
        ref = None
        results = {}
        for name, mk, parse in the_tools:
            out = f"{WORK}/{name.split()[0]}-{sname}.out"
            runs = 1 if name.startswith("testssl") else RUNS
            times, pairs = [], set()
            for _ in range(runs):
                dt, stdout = timed(mk(sport, out), out)
                times.append(dt)
                try:
                    pairs = parse(stdout, out)
                except Exception as e:  # a tool that wrote nothing parseable
                    print(f"  {name} on {sname}: cannot parse output ({e})", file=sys.stderr)
            reset_count(direct_count)
            timed(mk(direct_relay, out), out)
            conns = read_count(direct_count)
            stimes, sconns = [], 0
            # testssl.sh over the delayed path takes minutes per server: set SLOW_TESTSSL=1.
            slow_runs = 0 if name.startswith("testssl") and not os.environ.get("SLOW_TESTSSL") \
                else max(1, RUNS // 2)
            for _ in range(slow_runs):
                reset_count(slow_count)
                dt, _ = timed(mk(slow_port, out), out)
                stimes.append(dt)
                sconns = read_count(slow_count)
            if not stimes:
                stimes, sconns = [float("nan")], -1
            results[name] = (statistics.median(times), conns, statistics.median(stimes), sconns,
                             pairs)
            if name == "sslscan":
                ref = pairs
        for name, (t, c, st, sc, pairs) in results.items():
            vers, suites = summarize(pairs)
            if ref is None:
                agree = "n/a"
            elif pairs == ref:
                agree = "= sslscan"
            else:
                agree = f"-{len(ref - pairs)} +{len(pairs - ref)} vs sslscan"
            rows.append((name, sname, t, c, st, sc, vers, suites, agree, pairs, ref))
            print(f"{name:24} {sname:8} {t:7.3f}s {c:4} conns | +{DELAY:.0f}ms: {st:7.3f}s {sc:4} conns "
                  f"| {vers:12} {suites:28} {agree}", file=sys.stderr, flush=True)
    print()
    print("Tool versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print()
    print(f"| tool | server | median s (loopback) | conns | median s (+{DELAY:.0f} ms each way) | conns | "
          "versions | suites (per version) | agreement |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, sname, t, c, st, sc, vers, suites, agree, _, _ in rows:
        print(f"| {name} | {sname} | {t:.3f} | {c} | {st:.3f} | {sc} | {vers} | {suites} | {agree} |")
    print()
    print("Goals per server (tlsprobe scan vs the fastest of sslscan and nmap; connections vs every peer):")
    for sname in srv:
        r = {row[0]: row for row in rows if row[1] == sname}
        tp = r.get("tlsprobe scan")
        peers = [r[k] for k in ("sslscan", "nmap ssl-enum-ciphers") if k in r]
        if not tp or not peers:
            continue
        fast = min(p[2] for p in peers)
        slow = min(p[4] for p in peers)
        fewest = min(row[3] for k, row in r.items() if k != "tlsprobe scan")
        fewest_slow = min(row[5] for k, row in r.items() if k != "tlsprobe scan" and row[5] >= 0)
        missed = len(tp[10] - tp[9]) if tp[10] is not None else "n/a"
        print(f"- {sname}: loopback {fast / tp[2]:.1f}x faster (goal 10x), +{DELAY:.0f} ms {slow / tp[4]:.1f}x "
              f"faster; connections {tp[3]} vs fewest peer {fewest} (+{DELAY:.0f} ms: {tp[5]} vs "
              f"{fewest_slow}); suites missed vs sslscan: {missed}")


try:
    main()
finally:
    for p in PROCS:
        try:
            p.kill()
        except Exception:
            pass
    for p in PROCS:
        try:
            p.wait(timeout=5)
        except Exception:
            pass
    shutil.rmtree(WORK, ignore_errors=True)
