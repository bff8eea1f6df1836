#!/usr/bin/env python3
"""Counts, per configuration set, kube-bench's failed checks that the files
decide (predict's output: a check without predict's "not predictable" mark
whose status is FAIL, or WARN of an automated check, i.e. a failed test of a
check that is not scored) against trivy's findings mapped to kube-bench ids.

usage: compare.py MAP.tsv OUTDIR SET...
"""
import json, os, sys

def kcv_map(path):
    m = {}
    for line in open(path):
        if line.startswith('#') or not line.strip():
            continue
        k, v = line.split()
        m[k] = None if v == '-' else v
    return m

def failed(outdir, s, only_fail=False):
    ids = set()
    for node in ('control-plane', 'worker'):
        p = os.path.join(outdir, s, node + '.json')
        if not os.path.exists(p):
            continue
        d = json.load(open(p))
        for c in d['Controls']:
            for g in c['tests']:
                for r in g['results']:
                    if 'predict' in r:
                        continue
                    if r['status'] == 'FAIL' or (not only_fail and r['status'] == 'WARN' and r.get('type', '') == ''):
                        ids.add(r['test_number'])
    return ids

def trivy(outdir, s, m):
    d = json.load(open(os.path.join(outdir, s + '.trivy.json')))
    mapped, unmapped = set(), set()
    for res in d.get('Results') or []:
        for f in res.get('Misconfigurations') or []:
            if f.get('Status', 'FAIL') != 'FAIL':
                continue
            i = f.get('ID', '')
            if i in m:
                (mapped.add(m[i]) if m[i] else unmapped.add(i))
            elif i.startswith('KCV'):
                unmapped.add(i)
    return mapped, unmapped

def key(i):
    return [int(x) for x in i.split('.')]

def main():
    m = kcv_map(sys.argv[1])
    outdir = sys.argv[2]
    print('| set | kube-bench failed, decided by the files | predict finds (false) | trivy finds | trivy false | trivy misses | KCV findings without a cis-1.10 control |')
    print('|---|---|---|---|---|---|---|')
    tot = [0, 0, 0, 0, 0]
    for s in sys.argv[3:]:
        kb = failed(outdir, s)
        tv, un = trivy(outdir, s, m)
        found, false, missed = kb & tv, tv - kb, kb - tv
        fmt = lambda x: ', '.join(sorted(x, key=key)) or '-'
        print(f'| {s} | {len(kb)} ({fmt(kb)}) | {len(kb)} (0) | {len(found)} | {len(false)} ({fmt(false)}) | {len(missed)} ({fmt(missed)}) | {", ".join(sorted(un)) or "-"} |')
        tot = [a + b for a, b in zip(tot, [len(kb), len(found), len(false), len(missed), len(un)])]
    print(f'| **total** | {tot[0]} | {tot[0]} (0) | {tot[1]} | {tot[2]} | {tot[3]} | {tot[4]} |')
    kb = tv = hit = 0
    for s in sys.argv[3:]:
        f = failed(outdir, s, only_fail=True)
        t, _ = trivy(outdir, s, m)
        kb, hit, tv = kb + len(f), hit + len(f & t), tv + len(t - f)
    print(f'\nCounting FAIL only (not the failed tests of checks that are not scored): kube-bench {kb}, '
          f'trivy finds {hit}, and flags {tv} controls kube-bench does not FAIL.')

main()
