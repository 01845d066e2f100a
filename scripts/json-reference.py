#!/usr/bin/env python3
"""Writes docs/reference.md: every JSON field of schema/tlsprobe-v1.json (path, type, allowed
values, description) and every finding ID of data/findings.toml (severity, title), on one page.

    scripts/json-reference.py           # rewrite docs/reference.md
    scripts/json-reference.py --check   # exit 1 when docs/reference.md is out of date

Needs python3 >= 3.11 (tomllib). Reads only files of this repository.
"""

import json
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "tlsprobe-v1.json"
FINDINGS = ROOT / "data" / "findings.toml"
OUT = ROOT / "docs" / "reference.md"

schema = json.loads(SCHEMA.read_text())
defs = schema.get("$defs", {})

# Field descriptions the schema leaves out come from the doc comments of src/model.rs: the
# serialised types *are* the schema. struct -> field -> (doc, type name).
MODEL = ROOT / "src" / "model.rs"
DEF_STRUCT = {
    "": "Run",
    "target": "TargetReport",
    "endpoint": "EndpointReport",
    "protocol": "ProtocolReport",
    "certificate": "CertificateReport",
    "finding": "Finding",
    "os_error": "OsError",
    "error_info": "ErrorInfo",
    "watch_change": "WatchChange",
    "change_item": "ChangeItem",
}


def parse_model():
    structs, current, doc = {}, None, []
    for line in MODEL.read_text().splitlines():
        t = line.strip()
        m = re.match(r"pub struct (\w+)", t)
        if m:
            current, doc = m.group(1), []
            structs[current] = {}
            continue
        if t.startswith("///"):
            doc.append(t[3:].strip())
            continue
        m = re.match(r"pub (\w+): (.+),$", t)
        if m and current:
            ty = m.group(2)
            inner = re.findall(r"[A-Z]\w+", ty)
            inner = [x for x in inner if x not in ("Option", "Vec", "Box", "String")]
            structs[current][m.group(1)] = (" ".join(doc), inner[-1] if inner else None)
        if not t.startswith("#[") and not t.startswith("///"):
            doc = []
        if t == "}":
            current = None
    return structs


STRUCTS = parse_model()
# Document-level fields written outside the model types.
STRUCTS.setdefault("Run", {})["readiness"] = (
    "azure-backup only: readiness per purpose; overall is the worst endpoint",
    "ReadinessSummary",
)
STRUCTS["Run"]["errors"] = ("Inputs that were not valid targets: skipped, and the run exits 3.", None)
FLATTENED = ["AzureBackupTarget", "CatalogueInfo"]


def model_doc(struct, key):
    """(doc, type of the field) of `key` in `struct` (or a struct flattened into it)."""
    for name in [struct] + FLATTENED:
        field = STRUCTS.get(name or "", {}).get(key)
        if field:
            return field
    return ("", None)


def resolve(node):
    """Follows a local $ref; returns (node, name of the definition or None)."""
    ref = node.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        name = ref[len("#/$defs/"):]
        return defs.get(name, {}), name
    return node, None


def type_of(node):
    node, name = resolve(node)
    if name and name not in ("version", "ms", "readiness"):
        return f"[{name}](#{name.replace('_', '-')})"
    for key in ("oneOf", "anyOf"):
        if key in node:
            return " or ".join(type_of(n) for n in node[key])
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in node["enum"])
    t = node.get("type")
    if isinstance(t, list):
        t = " or ".join(t)
    if t == "array" and "items" in node:
        return f"array of {type_of(node['items'])}"
    return t or "any"


def rows(node, prefix, out, struct):
    """Table rows for the properties of `node`, nested objects flattened with dotted paths."""
    node, _ = resolve(node)
    required = set(node.get("required", []))
    for key, sub in node.get("properties", {}).items():
        path = f"{prefix}{key}"
        target, name = resolve(sub)
        doc, child = model_doc(struct, key)
        desc = sub.get("description") or doc or (target.get("description") if name else "") or ""
        desc = desc.replace("\n", " ").replace("|", "\\|")
        mark = "yes" if key in required else ""
        out.append(f"| `{path}` | {type_of(sub)} | {mark} | {desc} |")
        inline = target if name is None else None
        if inline is not None:
            if inline.get("type") == "object" or "properties" in inline:
                rows(inline, path + ".", out, child)
            items = inline.get("items")
            if isinstance(items, dict):
                it, iname = resolve(items)
                if iname is None and "properties" in it:
                    rows(it, path + "[].", out, child)


def table(node, struct, prefix=""):
    out = ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
    rows(node, prefix, out, struct)
    return "\n".join(out)


def main():
    parts = [
        "# tlsprobe reference: JSON fields and finding IDs",
        "",
        "Generated from [`schema/tlsprobe-v1.json`](../schema/tlsprobe-v1.json) and "
        "[`data/findings.toml`](../data/findings.toml) by `scripts/json-reference.py`; "
        "do not edit by hand. `tlsprobe schema` prints the schema. Field names, outcome "
        "spellings and finding IDs are stable: fields are only ever added.",
        "",
        "## Run document",
        "",
        schema.get("description", ""),
        "",
        table(schema, DEF_STRUCT[""]),
    ]
    for name, node in defs.items():
        if "properties" not in node:
            continue
        parts += ["", f"## {name}", ""]
        if node.get("description"):
            parts += [node["description"].replace("\n", " "), ""]
        parts.append(table(node, DEF_STRUCT.get(name)))
    findings = tomllib.loads(FINDINGS.read_text()).get("finding", [])
    parts += [
        "",
        "## Finding IDs",
        "",
        "Causes and fixes of each: `tlsprobe explain ID`, or [docs/findings.md](findings.md).",
        "",
        "| id | severity | what it means |",
        "| --- | --- | --- |",
    ]
    for f in sorted(findings, key=lambda f: f["id"]):
        title = f.get("title", "").replace("|", "\\|")
        parts.append(f"| `{f['id']}` | {f.get('severity', '')} | {title} |")
    text = "\n".join(parts) + "\n"
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run scripts/json-reference.py", file=sys.stderr)
            sys.exit(1)
        return
    OUT.write_text(text)
    print(f"json-reference: wrote {OUT.relative_to(ROOT)}")


main()
