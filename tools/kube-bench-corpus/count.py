#!/usr/bin/env python3
"""Counts kube-bench's OWN totals of one output, independently of the project's Go parser.

usage: count.py FORMAT FILE     prints one line: STATED<TAB>COUNTED
  FORMAT: text | json | junit   (how kube-bench printed it; a `kubectl logs` capture, colour,
          a paste: the counter undoes those first, see normalise())

STATED is what the output says its totals are, in kube-bench's own words:
  text   the "== Summary total ==" block; without one (kube-bench <= v0.4.x, --nototals), the
         sum of every "== Summary ... ==" block; "-" when there is none (--nosummary)
  json   the Totals object of the envelope; for a bare array (--nototals, v0.3.1-v0.4.x) or
         concatenated objects (<= v0.3.0), the sum of each target's total_pass/fail/warn/info;
         "-" when neither is there
  junit  "tests=N failures=F": the sums of the <testsuite> attributes
COUNTED is what the results themselves say, one per check kube-bench printed:
  text   the "[PASS]/[FAIL]/[WARN]/[INFO] <id> ..." lines, except section and group headings
         ("[INFO] 1 ...", "[INFO] 1.1 ..."): an INFO line is a heading when it is the first of
         its block (kube-bench prints the target's heading first) or when its id and a dot
         start the id of a later line of the same block; "-" when there is no result line
  json   the status of every results[] entry of every tests[] group
  junit  the "status" of the check JSON kube-bench writes into each <testcase>'s <system-out>
Totals print as pass/fail/warn/info.

Never imports or runs the project's Go code: it is the reference the parser is measured against.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

KEYS = ("pass", "fail", "warn", "info")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
PREFIX = re.compile(r"^\[pod/[^\]]*\] ")
RESULT = re.compile(r"^\[(PASS|FAIL|WARN|INFO)\] (\d+(?:\.\w+)*|[A-Z]+-\d+) ")
SUMMARY = re.compile(r"^== Summary ?(.*?) ==$")
SUMLINE = re.compile(r"^(\d+) checks (PASS|FAIL|WARN|INFO)$")


def fmt(t):
    return "-" if t is None else "/".join(str(x) for x in t)


def normalise(data):
    """Undoes what happens to kube-bench's text on its way into a file: a UTF-8 BOM, CRLF,
    terminal colour, `kubectl logs --prefix`, markdown fences, and any indentation."""
    data = data.lstrip("\ufeff")
    out = []
    for line in data.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ANSI.sub("", line)
        line = PREFIX.sub("", line, count=1)
        out.append(line.strip())
    return out


def text(data):
    lines = normalise(data)
    blocks, order, cur = {}, [], None
    results = []  # (block number, status, id): every "[STATUS] <id> ..." line
    block = 0
    for l in lines:
        if l == "":
            block += 1
        m = SUMMARY.match(l)
        if m:
            name = m.group(1) or "#%d" % len(order)  # <= v0.4.x: "== Summary ==" per target
            cur = name
            if name not in blocks:
                blocks[name] = [0, 0, 0, 0]
                order.append(name)
            continue
        m = SUMLINE.match(l)
        if m and cur is not None:
            blocks[cur][KEYS.index(m.group(2).lower())] += int(m.group(1))
            continue
        cur = None
        m = RESULT.match(l)
        if m:
            results.append((block, m.group(1), m.group(2)))
    # A heading ("[INFO] 1 Control Plane ...", "[INFO] 1.1 ...") is an INFO line whose id,
    # followed by a dot, starts the id of a later line of the same block (its checks); a
    # check's id never starts another check's.
    counted = [0, 0, 0, 0]
    for i, (b, st, id_) in enumerate(results):
        first = i == 0 or results[i - 1][0] != b  # the target's own heading comes first
        if st == "INFO" and (first or any(b2 == b and id2.startswith(id_ + ".") for b2, _, id2 in results[i + 1:])):
            continue
        counted[KEYS.index(st.lower())] += 1
    seen = bool(results)
    if "total" in blocks:
        stated = blocks["total"]
    elif blocks:
        stated = [sum(b[i] for b in blocks.values()) for i in range(4)]
    else:
        stated = None
    return stated, counted if seen else None


def json_objects(data):
    dec = json.JSONDecoder()
    i, objs = 0, []
    while True:
        while i < len(data) and data[i].isspace():
            i += 1
        if i >= len(data):
            return objs
        o, i = dec.raw_decode(data, i)
        objs.append(o)


def json_totals(data):
    # a kubectl logs capture or a paste: the document runs from the first line that opens
    # one to the last line that closes one (log lines, prompts and fences around it dropped)
    lines = [PREFIX.sub("", ANSI.sub("", l), count=1).strip()
             for l in data.lstrip("\ufeff").replace("\r\n", "\n").split("\n")]
    first = next(i for i, l in enumerate(lines) if l.startswith(("{", "[")) and not re.match(r"^\[(INFO|WARN|PASS|FAIL)\]", l))
    last = max(i for i, l in enumerate(lines) if l.endswith(("}", "]")))
    body = "\n".join(lines[first:last + 1])
    objs = json_objects(body)
    controls, stated = [], None
    if len(objs) == 1 and isinstance(objs[0], dict) and "Controls" in objs[0]:
        controls = objs[0]["Controls"] or []
        if "Totals" in objs[0]:
            t = objs[0]["Totals"]
            stated = [t.get("total_" + k, 0) for k in KEYS]
    else:
        for o in objs:
            controls.extend(o if isinstance(o, list) else [o])
        if controls and all("total_pass" in c for c in controls):
            stated = [sum(c.get("total_" + k, 0) for c in controls) for k in KEYS]
    counted = [0, 0, 0, 0]
    for c in controls:
        for g in c.get("tests") or []:
            for r in g.get("results") or []:
                counted[KEYS.index(r["status"].lower())] += 1
    return stated, counted


def junit(data):
    root = ET.fromstring(data.lstrip("\ufeff"))
    tests = failures = 0
    for s in root.iter("testsuite"):
        tests += int(s.get("tests", "0"))
        failures += int(s.get("failures", "0"))
    counted = [0, 0, 0, 0]
    for tc in root.iter("testcase"):
        so = tc.find("system-out")
        st = json.loads(so.text)["status"]
        counted[KEYS.index(st.lower())] += 1
    return "tests=%d failures=%d" % (tests, failures), counted


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    form, path = sys.argv[1], sys.argv[2]
    data = open(path, encoding="utf-8", newline="").read()
    if form == "text":
        s, c = text(data)
        print(fmt(s), fmt(c), sep="\t")
    elif form == "json":
        s, c = json_totals(data)
        print(fmt(s), fmt(c), sep="\t")
    elif form == "junit":
        s, c = junit(data)
        print(s, fmt(c), sep="\t")
    else:
        sys.exit("count.py: unknown format " + form)


if __name__ == "__main__":
    main()
