#!/usr/bin/env bash
# run.sh makes the outputs people read from the examples, by running the
# binary, and renders and checks them with visual.mjs (see there):
#   - the PR comment of the 5-node example (examples/results-pr gated with
#     examples/results as baseline and the examples' exceptions), and of a
#     62-node fleet (perf/fleetgen -n 62 -seed 1, baseline from -seed 2);
#   - the job summary, from the Action mode (no token: summary only), with
#     the trend of the history below;
#   - a tracking issue (render's golden issue body, made by its tests from
#     the module's fixtures: no command prints one without GitHub);
#   - the trend report (Markdown and HTML) of a history made by `trend
#     append` with the gate's flags: 15 daily runs of the 5-node cluster
#     "demo", the eighth of which heard from 3 of 5 nodes, and 5 runs of the
#     62-node cluster "fleet-62" that stopped 10 days before (stale).
# PNGs and the generated inputs go to $VISUAL_OUT (default /tmp/visual).
# Arguments go to visual.mjs: `run.sh --width 300` shows the checks failing.
# Needs go, node, npm and Debian's chromium; installs the pinned npm
# packages (package-lock.json) into tools/visual/node_modules and
# Mermaid's browser bundle (npm pack mermaid@$MERMAID_VERSION) into .cache/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${VISUAL_OUT:-/tmp/visual}
mermaid_version=12.3.0
start=$SECONDS

# npm packages, exactly as locked; again only when the lock changed.
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.bench-action-lock" 2>/dev/null; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  cp "$here/package-lock.json" "$here/node_modules/.bench-action-lock"
fi
mermaid="$here/.cache/mermaid-$mermaid_version.min.js"
if [ ! -s "$mermaid" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "mermaid@$mermaid_version" >/dev/null && tar -xzf ./*.tgz package/dist/mermaid.min.js)
  mkdir -p "$here/.cache"
  mv "$tmp/package/dist/mermaid.min.js" "$mermaid"
  rm -rf "$tmp"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The checks can fail: a table that wraps a date, an owner and a flag at
# 400 px must be rejected, each by name.
if node "$here/visual.mjs" --out "$work/self" --width 400 "$here/testdata/wraps.md" >"$work/self.log" 2>&1; then
  echo "visual: the checks passed testdata/wraps.md at 400 px: they cannot fail" >&2; exit 1
fi
for want in 'date "2026-11-01" wraps' 'owner "infrastructure-team" wraps' 'flag "--profiling=false" wraps'; do
  grep -qF "$want" "$work/self.log" || { echo "visual: self-test: no \"$want\" for testdata/wraps.md:" >&2; cat "$work/self.log" >&2; exit 1; }
done
echo "visual: self-test: testdata/wraps.md at 400 px is rejected, date, owner and flag named"

in="$out/inputs"
mkdir -p "$in"
rm -f "$in"/*.md "$in"/*.html "$in"/*.jsonl
cd "$root"
bin="$work/bench-action"
go build -o "$bin" ./cmd/bench-action
ex=examples # relative, as a workflow gives them (the comment prints the path)
exc="$ex/kube-bench-exceptions.yaml"
now=2026-11-26
# gate: exit 1 is the gate failing, which the examples are made to do.
gate() { "$bin" gate "$@" || [ $? -eq 1 ]; }

# The 5-node example and the 62-node fleet.
"$bin" baseline --cluster demo --output "$work/baseline-5.json" "$ex/results" 2>/dev/null
gate --format markdown --cluster demo --exceptions "$exc" --baseline "$work/baseline-5.json" --now $now --output "$in/comment-5.md" "$ex/results-pr" 2>/dev/null
go run ./perf/fleetgen -n 62 -seed 1 -out "$work/fleet-62"
go run ./perf/fleetgen -n 62 -seed 2 -out "$work/fleet-62-base"
"$bin" baseline --cluster fleet-62 --output "$work/baseline-62.json" "$work/fleet-62-base" 2>/dev/null
gate --format markdown --cluster fleet-62 --exceptions "$exc" --baseline "$work/baseline-62.json" --now $now --output "$in/comment-62.md" "$work/fleet-62" 2>/dev/null

# The history, by trend append with the gate's flags.
h="$in/history.jsonl"
for d in $(seq 0 14); do
  inputs=("$ex/results")
  [ "$d" -eq 7 ] && inputs=("$ex/results/cp-1.json" "$ex/results/worker-1.json" "$ex/results/worker-2.json")
  [ "$d" -eq 14 ] && inputs=("$ex/results-pr")
  "$bin" trend append --history "$h" --cluster demo --exceptions "$exc" --baseline "$work/baseline-5.json" \
    --time "$(date -u -d "2026-11-12 06:00 UTC + $d days" +%Y-%m-%dT%H:%M:%SZ)" "${inputs[@]}" 2>>"$work/append.log" || { cat "$work/append.log" >&2; exit 1; }
done
for d in 0 1 2 3 4; do
  fleet="$work/fleet-62"; [ $((d % 2)) -eq 1 ] && fleet="$work/fleet-62-base"
  "$bin" trend append --history "$h" --cluster fleet-62 --exceptions "$exc" --baseline "$work/baseline-62.json" \
    --time "$(date -u -d "2026-11-12 06:00 UTC + $d days" +%Y-%m-%dT%H:%M:%SZ)" "$fleet" 2>>"$work/append.log" || { cat "$work/append.log" >&2; exit 1; }
done
"$bin" trend report --history "$h" --output "$in/trend.md"
"$bin" trend report --history "$h" --format html --output "$in/trend.html"

# The job summary of the Action (no token: summary and annotations only).
cp "$h" "$work/summary-history.jsonl"
env -i PATH="$PATH" HOME="${HOME:-/root}" RUNNER_TEMP="$work" GITHUB_EVENT_NAME=push GITHUB_REPOSITORY=example/fleet \
  GITHUB_STEP_SUMMARY="$in/summary.md" GITHUB_OUTPUT="$work/outputs" \
  INPUT_RESULTS="$ex/results-pr" INPUT_EXCEPTIONS="$exc" INPUT_BASELINE="$work/baseline-5.json" INPUT_CLUSTER=demo \
  INPUT_HISTORY="$work/summary-history.jsonl" INPUT_COMMENT=false INPUT_ISSUES=false \
  "$bin" action >/dev/null 2>&1 || [ $? -eq 1 ]
[ -s "$in/summary.md" ] || { echo "visual: the Action wrote no job summary" >&2; exit 1; }
# The sticky PR comments and an owner's tracking issue as the Action posts
# them: render's golden files, made by its tests from the module's fixtures
# (5 nodes, 62 nodes, a PR that changes exceptions); no command prints them
# without GitHub. `gate --format markdown` above is the report a CLI user reads.
for f in comment-5-nodes comment-62-nodes comment-exception-changes issue-platform-team; do
  cp "$root/render/testdata/golden/visual/$f.md" "$in/pr-$f.md"
done
cp "$root/render/testdata/golden/issue-platform-team.md" "$in/issue-platform-team.md"

for f in "$in"/*.md; do printf 'visual: %s: %d characters\n' "$(basename "$f")" "$(wc -m <"$f")"; done
echo "visual: inputs made in $((SECONDS - start)) s"
node "$here/visual.mjs" --out "$out" --mermaid "$mermaid" "$@" \
  "$in/comment-5.md" "$in/comment-62.md" "$in/pr-comment-5-nodes.md" "$in/pr-comment-62-nodes.md" \
  "$in/pr-comment-exception-changes.md" "$in/pr-issue-platform-team.md" \
  "$in/summary.md" "$in/issue-platform-team.md" "$in/trend.md" \
  "$in/trend.html@900,1920,print"
