#!/usr/bin/env python3
"""Writes MANIFEST.tsv of the corpus: for every file, kube-bench's own totals and what a
correct reader must do with it.

usage: manifest.py CORPUS_DIR RUNS_TSV > MANIFEST.tsv
  RUNS_TSV: file, release, format, variant, how (gen.sh writes it)

Columns of MANIFEST.tsv:
  file      path under the corpus folder
  release   the kube-bench release that printed it
  format    text | json | junit
  variant   how it was printed or captured (plain, check, colour, kubectl-logs, paste-crlf ...)
  stated    the totals the output states itself, pass/fail/warn/info ("-": none; JUnit:
            tests=N failures=F), see count.py
  counted   the totals counted from its results, one per check ("-": no result in it)
  expect    read                              stated and counted agree (or only one is there):
                                              a reader must give these totals
            summary-only                      totals stated, no per-check result (--noresults):
                                              `report` can print the totals, `gate` must refuse
            refuse:input-disagrees-with-itself  the stated totals differ from the results
  totals    the totals a reader must give for "read" and "summary-only" (pass/fail/warn/info)
  how       how the file was made

A paste variant (variant paste-*) is counted twice, as pasted and as kube-bench printed it
(its source); the two must agree, or this script fails: the counter undoes every paste.
Uses count.py only, never the project's Go code.
"""
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def count(form, path):
    out = subprocess.run([sys.executable, os.path.join(HERE, "count.py"), form, path],
                         check=True, capture_output=True, text=True).stdout
    stated, counted = out.rstrip("\n").split("\t")
    return stated, counted


def expect(form, stated, counted):
    if form == "junit":
        tests = int(stated.split()[0].split("=")[1])
        failures = int(stated.split()[1].split("=")[1])
        p, f, w, i = (int(x) for x in counted.split("/"))
        if p + f + w + i != tests or f != failures:
            return "refuse:input-disagrees-with-itself", "-"
        return "read", counted
    if counted == "-" and stated == "-":
        return "refuse:no-results", "-"
    if counted == "-":
        return "summary-only", stated
    if stated == "-" or stated == counted:
        return "read", counted
    return "refuse:input-disagrees-with-itself", "-"


def main():
    corpus, runs = sys.argv[1], sys.argv[2]
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(["file", "release", "format", "variant", "stated", "counted", "expect", "totals", "how"])
    rows = list(csv.reader(open(runs, encoding="utf-8"), delimiter="\t"))
    for f, rel, form, variant, how in sorted(rows):
        stated, counted = count(form, os.path.join(corpus, f))
        if variant.startswith("paste-") or "interleaved" in variant or "prefix" in variant:
            src = how.split("DERIVED from ", 1)[1].split(":", 1)[0]
            s2, c2 = count(form, os.path.join(corpus, src))
            if (s2, c2) != (stated, counted):
                sys.exit("manifest.py: %s counts %s %s but its source %s counts %s %s" % (f, stated, counted, src, s2, c2))
        e, t = expect(form, stated, counted)
        w.writerow([f, rel, form, variant, stated, counted, e, t, how])


if __name__ == "__main__":
    main()
