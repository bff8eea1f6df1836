#!/usr/bin/env bash
# Checks of what users copy: the example workflows and the repository's own
# (.github/workflows/release.yml) (actionlint, with shellcheck on their run:
# scripts), action.yml (action-validator, plus the
# README table test), the Kubernetes manifests and generator scripts (strict
# decoding into the k8s.io/api types, offline, in tools/validate), and the
# release config when asked. Installs what it needs; any failure stops it.
#
#   .ci/check-examples.sh            # everything but goreleaser
#   CHECK_GORELEASER=1 .ci/check-examples.sh
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n--> %s\n' "$*"; }

ACTIONLINT=github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
ACTION_VALIDATOR=@action-validator/cli@0.6.0
GORELEASER=github.com/goreleaser/goreleaser/v2@v2.15.1

step "tools: shellcheck (actionlint runs it on every run: script)"
if ! command -v shellcheck >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
fi
command -v shellcheck >/dev/null || { echo "missing tool: shellcheck" >&2; exit 1; }
for t in go npx bash; do
  command -v "$t" >/dev/null || { echo "missing tool: $t" >&2; exit 1; }
done

step "actionlint $ACTIONLINT"
workflows=(examples/workflows/*.yml)
if compgen -G ".github/workflows/*.y*ml" >/dev/null; then
  workflows+=(.github/workflows/*.y*ml)
fi
[ -e "${workflows[0]}" ] || { echo "no workflows found under examples/workflows" >&2; exit 1; }
go run "$ACTIONLINT" -no-color "${workflows[@]}"
echo "actionlint: ${#workflows[@]} workflows clean"

step "shellcheck examples/kubernetes/*.sh"
shellcheck examples/kubernetes/*.sh
echo "shellcheck: clean"

step "action-validator $ACTION_VALIDATOR action.yml"
npx --yes "$ACTION_VALIDATOR" action.yml
echo "action-validator: action.yml valid"

step "action.yml contract and README table (internal/actiondoc)"
go test -count=1 ./internal/actiondoc

step "Kubernetes manifests and generators, strict and offline (tools/validate)"
(cd tools/validate && go vet ./... && go test -count=1 -v ./... 2>&1 | tee /tmp/bench-action-validate.log |
  grep -E '^(=== RUN|--- (PASS|FAIL|SKIP)|PASS|FAIL|ok )|validated|manifests_test.go:[0-9]+: [^s]' || true)
grep -q '^ok ' /tmp/bench-action-validate.log || { cat /tmp/bench-action-validate.log; echo "tools/validate failed" >&2; exit 1; }
grep -h 'validated [0-9]* Kubernetes manifests' /tmp/bench-action-validate.log | sed 's/^ *//'

if [ "${CHECK_GORELEASER:-}" = 1 ]; then
  step "goreleaser check ($GORELEASER)"
  go run "$GORELEASER" check
fi

echo
echo "examples: all checks passed"
