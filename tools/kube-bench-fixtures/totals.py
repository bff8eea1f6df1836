#!/usr/bin/env python3
"""Prints kube-bench's OWN totals of one output file, as kube-bench itself counted them.

usage: totals.py FORMAT FILE      -> prints "pass<TAB>fail<TAB>warn<TAB>info"

FORMAT (what kube-bench printed, and how it reached the file):
  json           --json envelope {"Controls":[...],"Totals":{...}}   -> the Totals object
  json-array     --json --nototals: bare [Controls...]               -> sum of per-Controls total_*
  json-concat    one Controls object per line (kube-bench <= v0.3.0)  -> sum of per-Controls total_*
  json-logs      `kubectl logs` of a --json run: stderr lines, then the JSON (optionally every
                 line prefixed "[pod/x/container] ")                  -> the Totals object
  text           default text output                                 -> "== Summary total ==" block,
                 or, with --nototals, the sum of the "== Summary <target> ==" blocks
  text-logs      `kubectl logs` of a text run (stderr lines mixed in, optionally prefixed)
  junit          --junit                                              -> count "status" in each
                 testcase's <system-out> (the check marshalled as JSON by kube-bench)

This deliberately never uses the project's Go code: it is the independent reference the Go
parser is tested against. It only reads numbers kube-bench wrote (or statuses it wrote).
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

PREFIX = re.compile(r"^\[pod/[^\]]*\] ")
KEYS = ("pass", "fail", "warn", "info")


def die(msg):
    sys.exit("totals.py: %s: %s" % (sys.argv[2] if len(sys.argv) > 2 else "?", msg))


def from_totals(obj):
    t = obj["Totals"]
    return [t["total_" + k] for k in KEYS]


def sum_controls(controls):
    out = [0, 0, 0, 0]
    for c in controls:
        for i, k in enumerate(KEYS):
            out[i] += c["total_" + k]
    return out


def strip_prefix(lines):
    return [PREFIX.sub("", l, count=1) for l in lines]


def text_totals(lines):
    lines = strip_prefix(lines)
    blocks = {}
    cur = None
    for l in lines:
        m = re.match(r"^== Summary (.+) ==\s*$", l)
        if m:
            cur = m.group(1)
            blocks.setdefault(cur, [0, 0, 0, 0])
            continue
        m = re.match(r"^(\d+) checks (PASS|FAIL|WARN|INFO)\s*$", l)
        if m and cur is not None:
            blocks[cur][KEYS.index(m.group(2).lower())] += int(m.group(1))
            continue
        if cur is not None and l.strip() == "":
            cur = None
    if not blocks:
        die("no '== Summary ... ==' block")
    if "total" in blocks:
        return blocks["total"]
    out = [0, 0, 0, 0]
    for v in blocks.values():
        out = [a + b for a, b in zip(out, v)]
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    fmt, path = sys.argv[1], sys.argv[2]
    data = open(path, encoding="utf-8").read()
    if fmt == "json":
        r = from_totals(json.loads(data))
    elif fmt == "json-array":
        arr = json.loads(data)
        if not isinstance(arr, list):
            die("not a JSON array")
        r = sum_controls(arr)
    elif fmt == "json-concat":
        dec = json.JSONDecoder()
        i, objs = 0, []
        while True:
            while i < len(data) and data[i].isspace():
                i += 1
            if i >= len(data):
                break
            o, i = dec.raw_decode(data, i)
            objs.append(o)
        if len(objs) < 2:
            die("expected several concatenated objects")
        r = sum_controls(objs)
    elif fmt == "json-logs":
        lines = strip_prefix(data.splitlines())
        js = [l for l in lines if l.startswith("{")]
        if len(js) != 1:
            die("expected exactly one JSON line, got %d" % len(js))
        r = from_totals(json.loads(js[0]))
    elif fmt in ("text", "text-logs"):
        r = text_totals(data.splitlines())
    elif fmt == "junit":
        root = ET.fromstring(data)
        r = [0, 0, 0, 0]
        n = 0
        for tc in root.iter("testcase"):
            so = tc.find("system-out")
            if so is None or not so.text:
                die("testcase without system-out: %s" % tc.get("name"))
            st = json.loads(so.text)["status"]
            r[KEYS.index(st.lower())] += 1
            n += 1
        tests = sum(int(s.get("tests")) for s in root.iter("testsuite"))
        if n != tests:
            die("testcase count %d != sum of testsuite tests= %d" % (n, tests))
    else:
        die("unknown format " + fmt)
    print("\t".join(str(x) for x in r))


if __name__ == "__main__":
    main()
