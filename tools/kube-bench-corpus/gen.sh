#!/usr/bin/env bash
# Generates the acceptance corpus of issue 14 in benchresult/testdata/corpus/:
# what every kube-bench release that still builds prints, with each flag variant, in each
# format it has, as files, `kubectl logs` captures and terminal captures; paste variants of
# some of them (paste/); a few outputs from kube-bench's own test data; BUILDS.tsv (which
# releases were built, which not and why) and MANIFEST.tsv (kube-bench's own totals of every
# file, from count.py, an independent counter).
#
# usage: sudo tools/kube-bench-corpus/gen.sh               every release below, into the corpus
#        sudo tools/kube-bench-corpus/gen.sh VERSION...    only those, into a temporary folder
#                                                          (printed; the corpus is not touched)
#
# Needs what tools/kube-bench-fixtures/ needs (root, unshare, cc, go reaching the module proxy,
# python3) and util-linux `script`. Each release is built once (build-kube-bench.sh) and cached
# in $KUBE_BENCH_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/kube-bench-corpus), outside the
# repository; then every run takes a few seconds on the fake node (fakenode.sh, profile mixed).
# Everything is staged in a temporary folder; the corpus is replaced only when all went well.
set -Eeuo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fx=$root/tools/kube-bench-fixtures
cache=${KUBE_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-bench-corpus}
dest=$root/benchresult/testdata/corpus
die() { echo "gen.sh: FAILED: $*" >&2; exit 1; }
trap 'echo "gen.sh: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
[[ $(id -u) == 0 ]] || die "must run as root (fakenode.sh uses unshare --mount --pid)"
for c in unshare cc go python3 script sed; do command -v "$c" >/dev/null || die "missing tool: $c"; done
start_ts=$(date +%s)
export GONOSUMDB=github.com/aquasecurity

# One release per minor, oldest first: VERSION BENCHMARK CLI CHECK SKIP
#   CLI  v0   kube-bench v0.0.x: `master`/`node` commands, --json, --check; ./cfg only
#        sub  v0.1.x: `master`/`node` commands with --benchmark, --noresults & co, no JUnit
#        run  v0.2.x-v0.4.x: `run --targets`, --junit; no --skip, no --nototals
#        run5 v0.5.0 and later: also --skip, --nototals
#   CHECK, SKIP: ids for --check and --skip on the node target
RELEASES=(
  "v0.0.1  -        v0   2.1.1,2.1.2 -"
  "v0.1.0  cis-1.4  sub  2.1.1,2.1.2 -"
  "v0.2.3  cis-1.5  run  4.1.1,4.2.1 -"
  "v0.3.0  cis-1.5  run  4.1.1,4.2.1 -"
  "v0.3.1  cis-1.5  run  4.1.1,4.2.1 -"
  "v0.4.0  cis-1.6  run  4.1.1,4.2.1 -"
  "v0.5.0  cis-1.6  run5 4.1.1,4.2.1 4.1,4.2.1"
  "v0.6.17 cis-1.24 run5 4.1.1,4.2.1 4.1,4.2.1"
  "v0.8.0  cis-1.8  run5 4.1.1,4.2.1 4.1,4.2.1"
  "v0.9.4  cis-1.9  run5 4.1.1,4.2.1 4.1,4.2.1"
  "v0.10.7 cis-1.10 run5 4.1.1,4.2.1 4.1,4.2.1"
  "v0.11.2 cis-1.10 run5 4.1.1,4.2.1 4.1,4.2.1"
  "v0.12.0 cis-1.10 run5 4.1.1,4.2.1 4.1,4.2.1"
  "v0.13.0 cis-1.11 run5 4.1.1,4.2.1 4.1,4.2.1"
  "v0.14.1 cis-1.11 run5 4.1.1,4.2.1 4.1,4.2.1"
  "v0.15.6 cis-1.12 run5 4.1.1,4.2.1 4.1,4.2.1"
)
# Releases of the minors above that the module proxy refuses (403 "This module version is not
# available"), as far as they were tried; catalog/internal/gen/main.go lists the ones of
# v0.4.0 ... v0.15.6. Every minor has a release that is served, except v0.7.x.
REFUSED="v0.0.10 v0.0.34 v0.2.0 v0.7.0 v0.7.1 v0.7.2 v0.7.3"
# Sources of paste variants (paste/): full text runs and one node JSON, by release
PASTE_TEXT="v0.4.0 v0.6.17 v0.15.6"
PASTE_JSON="v0.15.6"

want=("$@")
tmp=$(mktemp -d)
ok=0
trap 'if [[ $ok == 1 ]]; then rm -rf "$tmp"; else echo "gen.sh: staged corpus kept in $tmp" >&2; fi' EXIT
S=$tmp/corpus; mkdir -p "$S/run" "$S/paste" "$S/kube-bench-testdata"
runs=$tmp/runs.tsv; : > "$runs"   # file release format variant how
builds=$S/BUILDS.tsv
printf 'release\tbuilt\tnote\n' > "$builds"

PREFIX='[pod/kube-bench-x7k2p/kube-bench] '
GLOGTIME='s/^([IWEF])[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}/\11201 12:00:00.000000/'

# kb FILE FORMAT VARIANT MODE ARGS...   one real run; MODE: out (stdout), logs (2>&1), tty
kb() {
  local file=$1 form=$2 variant=$3 mode=$4; shift 4
  local -a env=()
  [[ $cli == v0 ]] && env=(FAKENODE_OLD_CLI=1 FAKENODE_KUBE_VERSION=v1.6.0)
  echo "  $file  <- kube-bench $* ($mode)" >&2
  case $mode in
  out)  env "${env[@]}" timeout 300 "$fx/fakenode.sh" mixed "$kb" "$@" > "$S/run/$file" 2> "$tmp/stderr" ;;
  logs) env "${env[@]}" timeout 300 "$fx/fakenode.sh" mixed "$kb" "$@" > "$tmp/logs" 2>&1
        sed -E "$GLOGTIME" "$tmp/logs" > "$S/run/$file" ;;
  tty)  # a pseudo-terminal, as `docker run -t` gives: kube-bench colours its output
        local cmd; cmd=$(printf '%q ' env "${env[@]}" timeout 300 "$fx/fakenode.sh" mixed "$kb" "$@")
        script -qec "stty -onlcr; $cmd 2>/dev/null" /dev/null < /dev/null > "$S/run/$file" ;;
  esac || { cat "$tmp/stderr" "$tmp/logs" 2>/dev/null | tail -20 >&2; die "kube-bench $ver $* for $file"; }
  [[ -s $S/run/$file ]] || die "$file is empty"
  printf 'run/%s\t%s\t%s\t%s\t%s\n' "$file" "$ver" "$form" "$variant" \
    "kube-bench $* on the fake node (mixed)$( [[ $mode == logs ]] && echo ', stderr and stdout as kubectl logs shows them')$( [[ $mode == tty ]] && echo ', under a pseudo-terminal (script -qc)')" >> "$runs"
}
derive() {  # derive SRC DST FORMAT VARIANT HOW -- CMD...: DST = CMD < SRC
  local src=$1 dst=$2 form=$3 variant=$4 how=$5 rel; shift 6
  rel=$(awk -F'\t' -v f="$src" '$1==f{print $2}' "$runs")
  "$@" < "$S/$src" > "$S/$dst"
  [[ -s $S/$dst ]] || die "derived $dst is empty"
  printf '%s\t%s\t%s\t%s\t%s\n' "$dst" "$rel" "$form" "$variant" "DERIVED from $src: $how" >> "$runs"
}

(cd "$root" && go build -o "$tmp/paste" ./tools/kube-bench-corpus/paste) || die "build of the paste tool"

for entry in "${RELEASES[@]}"; do
  read -r ver bench cli chk skip <<< "$entry"
  if [[ ${#want[@]} -gt 0 && ! " ${want[*]} " == *" $ver "* ]]; then continue; fi
  echo "gen.sh: kube-bench $ver" >&2
  t0=$(date +%s)
  if ! kb=$("$fx/build-kube-bench.sh" "$ver" "$cache" 2> "$tmp/build.log"); then
    why=$(grep -m1 -E '403|error|cannot|undefined' "$tmp/build.log" | sed 's/\t/ /g' | cut -c1-300)
    printf '%s\tno\t%s\n' "$ver" "${why:-build failed}" >> "$builds"
    echo "  not built: $why" >&2
    continue
  fi
  printf '%s\tyes\tbenchmark %s, built in %ss (0 when cached)\n' "$ver" "$bench" "$(( $(date +%s) - t0 ))" >> "$builds"
  b=(--benchmark "$bench")
  case $cli in
  v0)  full=(master); node=(node) ;;
  sub) full=(master "${b[@]}"); node=(node "${b[@]}") ;;
  *)   full=(run "${b[@]}"); node=(run "${b[@]}" --targets node) ;;
  esac
  n=$ver-$bench; [[ $bench == - ]] && n=$ver
  # --- text ------------------------------------------------------------------------------
  kb "$n-full.txt" text plain out "${full[@]}"
  kb "$n-node.txt" text plain out "${node[@]}"
  kb "$n-node-check.txt" text check out "${node[@]}" --check "$chk"
  kb "$n-node-colour.txt" text colour tty "${node[@]}"
  kb "$n-full-colour.txt" text colour tty "${full[@]}"
  kb "$n-node-kubectl-logs.log" text kubectl-logs logs "${node[@]}"
  if [[ $cli != v0 ]]; then
    kb "$n-node-noremediations.txt" text noremediations out "${node[@]}" --noremediations
    kb "$n-node-nosummary.txt" text nosummary out "${node[@]}" --nosummary
    kb "$n-node-noresults.txt" text noresults out "${node[@]}" --noresults
    kb "$n-full-summary-only.txt" text summary-only out "${full[@]}" --noresults --noremediations
    kb "$n-full-kubectl-logs-v1.log" text kubectl-logs-glog logs "${full[@]}" --logtostderr --v=1
    derive "run/$n-full-kubectl-logs-v1.log" "run/$n-full-kubectl-logs-v1-prefix.log" text kubectl-logs-glog-prefix \
      "every line prefixed with \`$PREFIX\`, as \`kubectl logs --prefix\` does" -- sed "s|^|$PREFIX|"
  fi
  derive "run/$n-full.txt" "run/$n-full-kubectl-logs-interleaved-prefix.log" text kubectl-logs-interleaved-prefix \
    "glog lines between the sections, every line prefixed with \`$PREFIX\` (paste -v logs-interleaved | sed)" -- \
    sh -c "'$tmp/paste' -v logs-interleaved | sed 's|^|$PREFIX|'"
  if [[ $cli == run5 ]]; then
    kb "$n-node-skip.txt" text skip out "${node[@]}" --skip "$skip"
    kb "$n-full-nototals.txt" text nototals out "${full[@]}" --nototals
  fi
  # --- JSON --------------------------------------------------------------------------------
  kb "$n-node.json" json plain out "${node[@]}" --json
  kb "$n-node-check.json" json check out "${node[@]}" --json --check "$chk"
  kb "$n-node-kubectl-logs-json.log" json kubectl-logs logs "${node[@]}" --json
  if [[ $ver == v0.3.0 || $ver == v0.3.1 ]]; then  # every target: an object per target (<= v0.3.0), a bare array (v0.3.1-v0.4.x)
    kb "$n-full.json" json plain out "${full[@]}" --json
  fi
  if [[ $cli == run5 ]]; then
    kb "$n-node-skip.json" json skip out "${node[@]}" --json --skip "$skip"
    kb "$n-node-nototals.json" json nototals out "${node[@]}" --json --nototals
  fi
  # --- JUnit -------------------------------------------------------------------------------
  if [[ $cli == run || $cli == run5 ]]; then
    kb "$n-node.xml" junit plain out "${node[@]}" --junit
  fi
  # --- paste variants ----------------------------------------------------------------------
  if [[ " $PASTE_TEXT " == *" $ver "* ]]; then
    for v in $("$tmp/paste" -list text); do
      derive "run/$n-full.txt" "paste/$n-full-$v.txt" text "paste-$v" "paste -v $v" -- "$tmp/paste" -v "$v"
    done
  fi
  if [[ " $PASTE_JSON " == *" $ver "* ]]; then
    for v in $("$tmp/paste" -list json); do
      derive "run/$n-node.json" "paste/$n-node-$v.json" json "paste-$v" "paste -v $v" -- "$tmp/paste" -v "$v"
    done
  fi
done
for v in $REFUSED; do printf '%s\tno\tthe Go module proxy answers 403 "This module version is not available"\n' "$v" >> "$builds"; done

# --- kube-bench's own test data (one copy of each distinct file, oldest release first) -------
echo "gen.sh: kube-bench's own test data" >&2
modcache=$(go env GOMODCACHE)/github.com/aquasecurity
declare -A seen=()
for entry in "${RELEASES[@]}"; do
  read -r ver _ <<< "$entry"
  d=$modcache/kube-bench@$ver
  [[ -d $d ]] || continue
  for f in cmd/testdata/result.json cmd/testdata/result_no_totals.json cmd/testdata/controlsCollection.json \
           integration/testdata/job.data integration/testdata/cis-1.5/job.data integration/testdata/cis-1.6/job.data \
           integration/testdata/Expected_output.data; do
    [[ -f $d/$f ]] || continue
    sum=$(md5sum < "$d/$f" | cut -c1-32)
    [[ -n ${seen[$sum]:-} ]] && continue
    seen[$sum]=1
    case $f in *.json) form=json; ext=json ;; *) form=text; ext=txt ;; esac
    dst=kube-bench-testdata/$ver-$(echo "${f%.*}" | tr / -).$ext
    cp "$d/$f" "$S/$dst"
    printf '%s\t%s\t%s\t%s\t%s\n' "$dst" "$ver" "$form" "kube-bench-testdata" "kube-bench's own test data: $f of $ver" >> "$runs"
  done
done

# --- the manifest: kube-bench's own totals, counted independently ---------------------------
echo "gen.sh: MANIFEST.tsv" >&2
python3 "$here/manifest.py" "$S" "$runs" > "$S/MANIFEST.tsv" || die "manifest"
secs=$(( $(date +%s) - start_ts ))
if [[ ${#want[@]} -gt 0 ]]; then
  ok=2; trap - EXIT
  echo "gen.sh: $* only: wrote $S in ${secs}s (the corpus is unchanged)" >&2
  exit 0
fi
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$S" "$dest"
ok=1
echo "gen.sh: wrote $(wc -l < "$dest/MANIFEST.tsv") manifest rows, $(du -sh "$dest" | cut -f1) in $dest in ${secs}s" >&2
