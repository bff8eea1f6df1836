#!/usr/bin/env bash
# promtool on the shipped rules, and the Mermaid charts of the trend report
# rendered by a real Mermaid renderer. (The exposition itself, the rules'
# unit tests on real fixtures and the Pushgateway round trip run in
# `go test ./metrics` with BENCH_ACTION_REQUIRE_TOOLS=1.)
set -euo pipefail
cd "$(dirname "$0")/.."
promtool check rules examples/prometheus/kube-bench-rules.yaml
(cd examples/prometheus && promtool test rules kube-bench-rules.test.yaml)
go run ./cmd/bench-action metrics --cluster demo examples/results > /tmp/bench-action.prom
# promtool lints gauge names ending in _total (the seed fixes those names); anything else fails.
out=$(promtool check metrics < /tmp/bench-action.prom 2>&1) || true
rest=$(printf '%s\n' "$out" | grep -v 'non-counter metrics should not have "_total" suffix' | grep -v '^$' || true)
[ -z "$rest" ] || { echo "$out"; echo "promtool check metrics: unexpected problems" >&2; exit 1; }
trend/testdata/check-mermaid.sh
