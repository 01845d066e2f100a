#!/usr/bin/env bash
# Checks the module layering (docs/architecture.md): reads every `crate::` / `super::` path in
# src/**/*.rs (comments and string literals skipped, `use crate::{a, b::c}` groups expanded) and
# fails on an import the layer rules forbid. No dependencies beyond python3.
#
#   scripts/check-layers.sh          # exit 0 when clean, 1 with one line per violation
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "$@" <<'PY'
import pathlib
import re
import sys

# Layer rules. A module listed in ALLOWED may import only the named top-level modules (and
# itself); a module listed in FORBIDDEN may import anything but the named ones. Modules in
# neither (main, the command modules of UPPER, and new top-level modules) are unconstrained.
# UPPER: the command line, the scheduler and the commands built on it (`azure-backup`,
# `simulate`, `serve`, `watch`, `registry`), which nothing below them may import.
UPPER = {"cli", "config", "app", "commands", "azure", "simulation", "serve", "watch", "regcmd"}
ALLOWED = {
    # Sans-I/O codec and IANA tables: nothing above them.
    "registry": set(),
    "wire": {"registry"},
    # Leaf utilities: target parsing and the user-facing error.
    "target": set(),
    "error": set(),
    # The serialised tlsprobe/v1 types: plain data over the registry.
    "model": {"registry"},
    # DNS, TCP, proxies: returns its own types, never the output model.
    "net": {"target", "registry"},
    # Client profiles as data: the hello a client sends, built with the codec.
    "clients": {"registry", "wire"},
    # .reg export files: decoding and parsing only.
    "winreg": set(),
}
FORBIDDEN = {
    # Probes observe; they never judge, print or read the command line.
    "probe": {"diagnose", "report"} | UPPER,
    # Diagnosis reads observations (crate::model), never sockets, probe code or output.
    "diagnose": {"net", "probe", "report"} | UPPER,
    # Reports only format model and diagnosis data.
    "report": {"net", "probe"} | UPPER,
}

# Known violations still being removed (importer, imported). Empty when the layering holds.
ALLOW_TODAY = {
}

SRC = pathlib.Path("src")


def module_path(path):
    """`src/probe/cert.rs` -> ["probe", "cert"]; `src/net/mod.rs` -> ["net"]."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


def strip(text):
    """Removes comments, string and char literals, keeping line breaks for line numbers."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and not (i and (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            end = text.find('"' + m.group(1), i + len(m.group(0)))
            j = n if end < 0 else end + 1 + len(m.group(1))
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append("\n" * text.count("\n", i, j))
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]) or text.startswith("'\\u{", i):
            j = text.find("'", i + 1)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand(text, start):
    """Top-level names reached by the path at `start` (`crate::{a, b::c}` -> a, b)."""
    rest = text[start:]
    m = re.match(r"\s*\{", rest)
    if not m:
        m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", rest)
        return [m.group(1)] if m else []
    depth, j, names, item = 1, m.end(), [], ""
    while j < len(rest) and depth:
        ch = rest[j]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if depth == 1 and ch == ",":
            names.append(item)
            item = ""
        elif depth >= 1 and not (depth == 1 and ch == "{"):
            item += ch
        j += 1
    names.append(item)
    out = []
    for it in names:
        m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", it)
        if m and m.group(1) != "self":
            out.append(m.group(1))
    return out


violations, stale = [], set(ALLOW_TODAY)
for path in sorted(SRC.rglob("*.rs")):
    mod = module_path(path)
    if not mod:
        continue
    layer = mod[0]
    text = strip(path.read_text(encoding="utf-8"))
    # Inline `mod name { ... }` blocks: each adds one level for `super::` inside it.
    inline = []
    for im in re.finditer(r"\bmod\s+[A-Za-z_][A-Za-z0-9_]*\s*\{", text):
        depth, j = 1, im.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        inline.append((im.end(), j))
    for m in re.finditer(r"\b(crate|(?:super::)+)", text):
        token = m.group(1)
        if token == "crate":
            if not text.startswith("::", m.end(1)):
                continue
            targets = expand(text, m.end(1) + 2)
        else:
            depth = len(mod) + sum(1 for a, b in inline if a <= m.start() < b)
            if depth - token.count("super") >= 1:
                continue  # stays inside the layer
            targets = expand(text, m.end(0))
        line = text.count("\n", 0, m.start()) + 1
        for t in targets:
            if t == layer:
                continue
            bad = (layer in ALLOWED and t not in ALLOWED[layer]) or (
                layer in FORBIDDEN and t in FORBIDDEN[layer]
            )
            if not bad:
                continue
            if (layer, t) in ALLOW_TODAY:
                stale.discard((layer, t))
                continue
            violations.append(f"{path}:{line}: {layer} must not import crate::{t}")

for v in violations:
    print(v)
for layer, t in sorted(stale):
    print(f"scripts/check-layers.sh: allowlisted {layer} -> {t} no longer occurs; remove it")
if violations or stale:
    sys.exit(1)
print("layering ok")
PY
