#!/usr/bin/env bash
# Regenerates the catalog's embedded data (catalog.bin.gz) from kube-bench's
# own cfg/ of every release the generator lists, into a temporary folder,
# and fails when it differs from the committed file. Needs the Go module
# proxy (go mod download of github.com/aquasecurity/kube-bench@VERSION).
#
# The payloads are compared uncompressed: a Go release that compresses
# differently does not make the data stale.
set -euo pipefail
cd "$(dirname "$0")"
export GONOSUMDB=github.com/aquasecurity
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go run ./internal/gen -out "$tmp/catalog.bin.gz"
gzip -dc catalog.bin.gz >"$tmp/committed"
gzip -dc "$tmp/catalog.bin.gz" >"$tmp/generated"
if ! cmp -s "$tmp/committed" "$tmp/generated"; then
  echo "catalog/catalog.bin.gz is stale: kube-bench's definitions generate different data." >&2
  echo "Run 'go generate ./catalog', review 'go test ./catalog' (census, testdata/version-pairs.md) and commit." >&2
  exit 1
fi
if ! cmp -s catalog.bin.gz "$tmp/catalog.bin.gz"; then
  echo "catalog/catalog.bin.gz: same data, compressed differently by this Go release (not stale)"
fi
echo "catalog/catalog.bin.gz is up to date ($(wc -c <catalog.bin.gz) bytes)"
