#!/usr/bin/env bash
# Side by side on predict's configuration sets: kube-bench's failed checks
# that the files decide (by `bench-action predict`, the real kube-bench on
# a sandbox node) against what `trivy config` reports (its KCV checks,
# mapped to kube-bench's ids by control in kcv-cis-1.10.tsv).
#
# usage: sudo tools/predict-side-by-side/run.sh BENCH_ACTION KUBE_BENCH TRIVY OUTDIR
#   BENCH_ACTION  a bench-action binary; KUBE_BENCH: kube-bench v0.14.1 with cfg/ beside it
#   TRIVY         trivy v0.58.2 (go install github.com/aquasecurity/trivy/cmd/trivy@v0.58.2)
# Prints the Markdown table (README.md holds the last one). Offline: trivy
# runs with the checks embedded in its binary (--skip-check-update).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sets="$here/../../predict/testdata/configs"
ba=${1:?usage: run.sh BENCH_ACTION KUBE_BENCH TRIVY OUTDIR}; kb=${2:?kube-bench}; trivy=${3:?trivy}; out=${4:?outdir}
mkdir -p "$out"
for d in "$sets"/*/; do
  set=$(basename "$d")
  "$ba" predict --benchmark cis-1.10 --kube-bench "$kb" --output "$out/$set" "$d" 2>"$out/$set.predict.log"
  "$trivy" config --quiet --skip-check-update --format json --output "$out/$set.trivy.json" "$d" 2>"$out/$set.trivy.log"
done
python3 "$here/compare.py" "$here/kcv-cis-1.10.tsv" "$out" $(cd "$sets" && ls -d */ | tr -d /)
