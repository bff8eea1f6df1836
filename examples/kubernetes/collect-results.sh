#!/usr/bin/env bash
# collect-results.sh: wait for the kube-bench Jobs of one run and write each
# node's JSON to OUTDIR/<node>.json, the file name bench-action takes the node
# name from.
#
#   collect-results.sh [--run-id ID] [--namespace kube-bench] [--timeout SECONDS] OUTDIR
#
# It reads the log of the "results" container of each Job's succeeded pod
# (that container prints only the JSON file kube-bench wrote; kube-bench's own
# messages stay in the "kube-bench" init container's log). Jobs are found by
# the labels that generate-jobs.sh sets. A Job that failed or did not finish
# in time is reported with its kube-bench log, and the script exits 1 after
# collecting the others: a node that was not checked must not pass silently.
# With the CronJob variant several runs of a node may be kept: the newest
# Job is read last, so its output wins.
set -euo pipefail

run_id=manual
namespace=kube-bench
timeout=900
outdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --run-id) run_id="${2:?}"; shift 2 ;;
    --namespace) namespace="${2:?}"; shift 2 ;;
    --timeout) timeout="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    -*) echo "collect-results.sh: unknown flag $1" >&2; exit 2 ;;
    *) outdir="$1"; shift ;;
  esac
done
[ -n "$outdir" ] || { echo "collect-results.sh: OUTDIR is required" >&2; exit 2; }
mkdir -p "$outdir"
selector="app.kubernetes.io/name=kube-bench,bench-action.io/run=$run_id"

# Wait until every Job has a Complete or Failed condition.
deadline=$(( $(date +%s) + timeout ))
while :; do
  states="$(kubectl get jobs -n "$namespace" -l "$selector" \
    -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.status=="True")].type}{"\n"}{end}')"
  [ -n "$states" ] || { echo "collect-results.sh: no Jobs match $selector in $namespace" >&2; exit 1; }
  pending="$(printf '%s\n' "$states" | awk 'NF && $0 !~ / (.* )?(Complete|Failed)( |$)/ { print $1 }')"
  [ -z "$pending" ] && break
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "collect-results.sh: still running after ${timeout}s: $(printf '%s' "$pending" | tr '\n' ' ')" >&2
    break
  fi
  sleep 5
done

failed=0
count=0
while read -r job; do
  [ -n "$job" ] || continue
  node="$(kubectl get job "$job" -n "$namespace" -o jsonpath='{.metadata.annotations.bench-action\.io/node-name}')"
  [ -n "$node" ] || node="${job#kube-bench-}"
  pod="$(kubectl get pods -n "$namespace" -l "job-name=$job" --field-selector=status.phase=Succeeded -o name | head -n 1)"
  if [ -z "$pod" ]; then
    echo "::error title=kube-bench::node $node was not checked (Job $job did not succeed)" >&2
    last="$(kubectl get pods -n "$namespace" -l "job-name=$job" -o name | tail -n 1)"
    if [ -n "$last" ]; then
      kubectl logs -n "$namespace" "$last" -c kube-bench --tail=50 >&2 || true
    fi
    failed=$((failed + 1))
    continue
  fi
  kubectl logs -n "$namespace" "$pod" -c results > "$outdir/$node.json"
  if [ ! -s "$outdir/$node.json" ]; then
    echo "::error title=kube-bench::node $node: empty output from $pod" >&2
    failed=$((failed + 1))
    continue
  fi
  count=$((count + 1))
  echo "$node -> $outdir/$node.json"
done < <(kubectl get jobs -n "$namespace" -l "$selector" --sort-by=.metadata.creationTimestamp \
  -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')

echo "collected $count node(s), $failed not checked"
[ "$failed" -eq 0 ]
