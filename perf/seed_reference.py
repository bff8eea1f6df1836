#!/usr/bin/env python3
"""The seed's Python, as the benchmark's reference.

parse_kube_bench_json is copied from the seed's kube_bench/report.py and
filter_accepted_exceptions from its kube_bench/filter_results.py, unchanged
(docs/SEED.md, steps 7 and 5). The driver below runs them over every file
of the directories given, with the seed's two exceptions, and prints the
totals and the FAILs left after the filter.

One adaptation, in the driver only: the seed's filter reads r["status"],
which parse_kube_bench_json's failures do not carry (a KeyError as soon as
an excepted id FAILs). The driver adds "status": "FAIL" to each failure,
which is what the seed's filter evidently expects.
"""
import json
import os
import sys
from datetime import datetime
from pathlib import Path


# kube_bench/report.py
def parse_kube_bench_json(results_file: str) -> dict:
    with open(results_file) as f:
        data = json.load(f)
    totals = {"pass": 0, "fail": 0, "warn": 0, "info": 0}
    failures = []
    for section in data.get("Controls", []):
        for test in section.get("tests", []):
            for result in test.get("results", []):
                status = result["status"].lower()
                totals[status] = totals.get(status, 0) + 1
                if status == "fail":
                    failures.append({
                        "id": result["test_number"],
                        "description": result["test_desc"],
                        "remediation": result.get("remediation", "")
                    })
    return {"totals": totals, "failures": failures, "date": datetime.utcnow().isoformat()}


# kube_bench/filter_results.py
def filter_accepted_exceptions(results: list, exceptions: list) -> list:
    """Remove accepted exceptions from FAIL list before CI gate evaluation."""
    exception_ids = {e["check_id"] for e in exceptions}
    return [r for r in results if r["id"] not in exception_ids or r["status"] != "FAIL"]


# The seed's kube-bench-exceptions.yaml (step 5), as the parsed list.
SEED_EXCEPTIONS = [
    {"check_id": "1.2.11", "check_description": "AlwaysPullImages admission plugin",
     "reason": "Multi-tenant clusters require this; enabling causes issues with air-gapped nodes",
     "owner": "platform-team", "review_date": "2026-11-01", "risk_accepted_by": "security-eng"},
    {"check_id": "4.2.12", "check_description": "Ensure that the RotateKubeletServerCertificate argument is set to true",
     "reason": "Not yet supported by our managed node group upgrade process; tracked in INFRA-4821",
     "owner": "infrastructure-team", "review_date": "2026-08-01", "risk_accepted_by": "ciso"},
]


def main(args):
    files = []
    for a in args:
        if os.path.isdir(a):
            files.extend(sorted(str(p) for p in Path(a).iterdir() if p.suffix == ".json"))
        else:
            files.append(a)
    totals = {"pass": 0, "fail": 0, "warn": 0, "info": 0}
    open_fails = 0
    for path in files:
        run = parse_kube_bench_json(path)
        for k, v in run["totals"].items():
            totals[k] = totals.get(k, 0) + v
        for f in run["failures"]:
            f["status"] = "FAIL"
        open_fails += len(filter_accepted_exceptions(run["failures"], SEED_EXCEPTIONS))
    print(f"files={len(files)} pass={totals['pass']} fail={totals['fail']} warn={totals['warn']} "
          f"info={totals['info']} open_fail={open_fails}")


if __name__ == "__main__":
    main(sys.argv[1:])
