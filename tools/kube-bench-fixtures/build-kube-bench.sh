#!/usr/bin/env bash
# Builds a real kube-bench binary from the Go module proxy (adapted from the workspace tools it started from; self-contained).
# usage: build-kube-bench.sh VERSION [OUTDIR]     e.g. build-kube-bench.sh v0.14.1
# Prints the path of the binary; the benchmark definitions (cfg/) are in the
# module cache at $(go env GOMODCACHE)/github.com/aquasecurity/kube-bench@VERSION/cfg.
# Versions served here: v0.8.0 v0.9.1 v0.9.2 v0.9.4 v0.10.4 v0.10.7 v0.11.1 v0.11.2 v0.12.0 v0.13.0 v0.14.0 v0.14.1
# Takes about 2 minutes on 2 cores the first time; later calls reuse the binary.
set -euo pipefail
version=${1:?usage: build-kube-bench.sh VERSION [OUTDIR]}
out=${2:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-bench-fixtures}
bin="$out/kube-bench-$version"
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/go.mod" <<MOD
module kubebenchbuild
go 1.26
require github.com/aquasecurity/kube-bench $version
MOD
printf '//go:build tools\npackage kubebenchbuild\nimport _ "github.com/aquasecurity/kube-bench"\n' > "$work/tools.go"
# The module's list endpoint is not served here, so build it as a requirement
# of a throwaway module instead of `go install pkg@version`.
(cd "$work" && GONOSUMDB=github.com/aquasecurity GOFLAGS=-mod=mod go build -o "$bin" github.com/aquasecurity/kube-bench) >&2
echo "$bin"
