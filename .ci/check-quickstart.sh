#!/usr/bin/env bash
# Runs the README's quick start exactly as written and checks that it does
# what the README says. The quick-start section marks each output it shows:
#
#   <!-- check-quickstart: INPUT exit N -->
#   ```text
#   ...lines the command prints...
#   ```
#
# For each, the command run on INPUT (in place of examples/results-pr) must
# exit N, the section's prose must say "exit code N", and every line of the
# block must be in the output, in that order ("…" in a line stands for any
# text; blank lines and a line of "…" alone are skipped). Then: the library
# example builds and runs, and the shipped baseline is what
# `bench-action baseline` writes for examples/results.
set -uo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-quickstart: $*" >&2; exit 1; }

section=$(awk '/^## Quick start/ { q = 1; print; next } q && /^## / { exit } q' README.md)
cmd=$(printf '%s\n' "$section" | awk '/^go run \.\/cmd\/bench-action gate/ { print; exit }')
[ -n "$cmd" ] || fail "no quick-start command in README.md"
case "$cmd" in
  *" examples/results-pr") ;;
  *) fail "the quick-start command does not end with examples/results-pr: $cmd" ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One file per marked block, and "INPUT CODE" per block in $tmp/blocks.
printf '%s\n' "$section" | awk -v dir="$tmp" '
  /^<!-- check-quickstart: / { n++; print $3, $5 > (dir "/blocks"); f = dir "/want." n; want = 1; next }
  want && /^```/ { if (inblock) { close(f); want = 0; inblock = 0 } else { inblock = 1; printf "" > f }; next }
  inblock { print > f }'
[ -s "$tmp/blocks" ] || fail "no <!-- check-quickstart: INPUT exit N --> block in the quick start"

i=0
while read -r input code; do
  i=$((i + 1))
  run="${cmd% examples/results-pr} $input"
  echo "+ $run"
  bash -c "$run" </dev/null >"$tmp/out.$i" 2>&1
  got=$?
  [ "$got" -eq "$code" ] || { cat "$tmp/out.$i"; fail "exit $got on $input, the README says $code"; }
  printf '%s\n' "$section" | grep -qF "exit code $code" || fail "the quick start's prose does not say \"exit code $code\" for $input"
  awk -v out="$tmp/out.$i" '
    function matches(line,   k, pos, rest) {
      if (np == 1) return line == p[1]
      if (index(line, p[1]) != 1) return 0
      rest = substr(line, length(p[1]) + 1)
      for (k = 2; k < np; k++) {
        pos = index(rest, p[k])
        if (!pos) return 0
        rest = substr(rest, pos + length(p[k]))
      }
      return length(rest) >= length(p[np]) && substr(rest, length(rest) - length(p[np]) + 1) == p[np]
    }
    BEGIN { while ((getline l < out) > 0) o[++n] = l; i = 1 }
    /^[ \t]*$/ || $0 == "…" { next }
    {
      np = split($0, p, "…")
      found = 0
      while (i <= n) if (matches(o[i++])) { found = 1; break }
      if (!found) { print "check-quickstart: the README shows a line the output does not have (in this order):\n  " $0 > "/dev/stderr"; bad = 1; exit }
      shown++
    }
    END { if (!bad) printf "  %d lines of the README found in the output\n", shown; exit bad }' "$tmp/want.$i" ||
    { echo "--- output:" >&2; cat "$tmp/out.$i" >&2; exit 1; }
done <"$tmp/blocks"

go run ./examples/library examples/results-pr examples/.kube-bench-baseline.json examples/kube-bench-exceptions.yaml >/dev/null 2>&1
code=$?
[ "$code" -eq 1 ] || fail "examples/library exit $code, want 1"
# The shipped baseline is what `bench-action baseline` writes for examples/results.
go run ./cmd/bench-action baseline --cluster demo --output - examples/results | cmp -s - examples/.kube-bench-baseline.json ||
  fail "examples/.kube-bench-baseline.json is stale; regenerate it with: go run ./cmd/bench-action baseline --cluster demo --output examples/.kube-bench-baseline.json examples/results"
echo "check-quickstart: ok"
