#!/usr/bin/env bash
# Runs the README's quick start exactly as written and checks what it promises:
# the gate fails (exit 1) on examples/results-pr, passes (exit 0) on
# examples/results; the library example builds and runs.
set -uo pipefail
cd "$(dirname "$0")/.."
cmd=$(awk '/^## Quick start/{q=1} q && /^go run \.\/cmd\/bench-action gate/{print; exit}' README.md)
[ -n "$cmd" ] || { echo "check-quickstart: no quick-start command in README.md" >&2; exit 1; }
echo "+ $cmd"
bash -c "$cmd" >/tmp/quickstart.out 2>&1; code=$?
[ "$code" -eq 1 ] || { cat /tmp/quickstart.out; echo "check-quickstart: exit $code, the README promises 1" >&2; exit 1; }
grep -q '1.2.15' /tmp/quickstart.out || { echo "check-quickstart: the new FAIL 1.2.15 is not reported" >&2; exit 1; }
pass=${cmd%examples/results-pr}examples/results
echo "+ $pass"
bash -c "$pass" >/dev/null 2>&1 || { echo "check-quickstart: the gate on examples/results does not pass" >&2; exit 1; }
go run ./examples/library examples/results-pr examples/.kube-bench-baseline.json examples/kube-bench-exceptions.yaml >/dev/null 2>&1; code=$?
[ "$code" -eq 1 ] || { echo "check-quickstart: examples/library exit $code, want 1" >&2; exit 1; }
# The shipped baseline is what `bench-action baseline` writes for examples/results.
go run ./cmd/bench-action baseline --cluster demo --output - examples/results | cmp -s - examples/.kube-bench-baseline.json ||
  { echo "check-quickstart: examples/.kube-bench-baseline.json is stale; regenerate it with: go run ./cmd/bench-action baseline --cluster demo --output examples/.kube-bench-baseline.json examples/results" >&2; exit 1; }
echo "check-quickstart: ok"
