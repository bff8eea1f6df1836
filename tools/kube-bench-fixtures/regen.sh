#!/usr/bin/env bash
# Regenerates every real kube-bench fixture of the project in one go:
#   benchresult/testdata/kube-bench/   (outputs, TOTALS.tsv, README.md)
#   examples/results/, examples/results-pr/   (a small fleet, README.md each)
#
# usage: tools/kube-bench-fixtures/regen.sh            (from anywhere; needs root)
#
# Needs: root (private mount + PID namespaces), util-linux unshare, cc, go (reaches the
# Go module proxy; GONOSUMDB=github.com/aquasecurity), python3. Builds kube-bench v0.8.0
# and v0.14.1 from the module proxy the first time (~2 min each, cached afterwards in
# ${XDG_CACHE_HOME:-$HOME/.cache}/kube-bench-fixtures), then runs each on a fake node
# (fakenode.sh). Everything is written to a staging folder first and only moved into
# place when every run and every check succeeded, so a failure leaves the tree unchanged.
# Idempotent: the three output folders are owned by this script and fully rewritten.
# Totals in TOTALS.tsv are kube-bench's own (totals.py reads them from its output).
set -Eeuo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
die() { echo "regen.sh: FAILED: $*" >&2; exit 1; }
trap 'echo "regen.sh: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
start_ts=$(date +%s)

[[ $(id -u) == 0 ]] || die "must run as root (fakenode.sh uses unshare --mount --pid)"
for c in unshare cc go python3 sed; do command -v "$c" >/dev/null || die "missing tool: $c"; done

V8=v0.8.0
V14=v0.14.1
echo "regen.sh: building kube-bench $V8 and $V14 (cached after the first time)" >&2
declare -A KB
KB[$V8]=$("$here/build-kube-bench.sh" "$V8") || die "build of kube-bench $V8"
KB[$V14]=$("$here/build-kube-bench.sh" "$V14") || die "build of kube-bench $V14"
for v in "$V8" "$V14"; do [[ -x ${KB[$v]} ]] || die "no binary for $v at ${KB[$v]}"; done

tmp=$(mktemp -d)
ok=0
trap 'if [[ $ok == 1 ]]; then rm -rf "$tmp"; else echo "regen.sh: staged outputs kept in $tmp for inspection" >&2; fi' EXIT
TD=$tmp/testdata; RES=$tmp/results; PR=$tmp/results-pr
mkdir -p "$TD" "$RES" "$PR"
manifest=$tmp/manifest.tsv   # dir, file, format, same-run group, how it was made
: > "$manifest"

# kb DIR FILE FORMAT GROUP PROFILE VERSION ARGS...   one real kube-bench run, stdout only
kb() {
  local dir=$1 file=$2 fmt=$3 group=$4 profile=$5 ver=$6; shift 6
  echo "  $file  <- $ver $profile: kube-bench $*" >&2
  "$here/fakenode.sh" "$profile" "${KB[$ver]}" "$@" > "$dir/$file" 2> "$tmp/stderr" \
    || { cat "$tmp/stderr" >&2; die "kube-bench $ver $* (profile $profile) for $file"; }
  [[ -s $dir/$file ]] || die "$file is empty"
  printf '%s\t%s\t%s\t%s\t%s\n' "$dir" "$file" "$fmt" "$group" \
    "\`fakenode.sh $profile kube-bench-$ver $*\`" >> "$manifest"
}
# kblogs ...   same, but stderr and stdout interleaved, as `kubectl logs job/kube-bench` shows them
kblogs() {
  local dir=$1 file=$2 fmt=$3 group=$4 profile=$5 ver=$6; shift 6
  echo "  $file  <- $ver $profile: kube-bench $* 2>&1" >&2
  "$here/fakenode.sh" "$profile" "${KB[$ver]}" "$@" > "$dir/$file" 2>&1 \
    || { cat "$dir/$file" >&2; die "kube-bench $ver $* (profile $profile) for $file"; }
  [[ -s $dir/$file ]] || die "$file is empty"
  printf '%s\t%s\t%s\t%s\t%s\n' "$dir" "$file" "$fmt" "$group" \
    "\`fakenode.sh $profile kube-bench-$ver $* 2>&1\` (stderr + stdout, as \`kubectl logs\` shows them)" >> "$manifest"
}
derived() {  # derived DIR FILE FORMAT GROUP HOW
  [[ -s $1/$2 ]] || die "derived $2 is empty"
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "DERIVED: $5" >> "$manifest"
}
PREFIX='[pod/kube-bench-abcde/kube-bench] '
prefix() { sed 's|^|[pod/kube-bench-abcde/kube-bench] |' "$1" > "$2"; }
# concat SRC DST: the <= v0.3.0 shape: each element of Controls as its own compact JSON object on
# its own line (v0.3.0 did fmt.Println(string(json.Marshal(controls))) per target). Go's encoder
# escapes <, >, & and U+2028/9; reproduce that so the bytes are what Go would have printed.
concat() {
  python3 - "$1" "$2" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
raw = open(src, encoding="utf-8").read()
env = json.loads(raw)
with open(dst, "w", encoding="utf-8") as out:
    for c in env["Controls"]:
        s = json.dumps(c, separators=(",", ":"), ensure_ascii=False)
        for a, b in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
            s = s.replace(a, b)
        if s not in raw:  # each line must be byte-for-byte what kube-bench's Go encoder wrote
            sys.exit("concat: %s: target %s does not re-encode to kube-bench's own bytes" % (src, c["id"]))
        out.write(s + "\n")
PY
}

echo "regen.sh: benchresult/testdata/kube-bench" >&2
T=$TD
# --- cis-1.10 (v0.14.1): three profiles, three formats ---------------------------------------
for p in insecure hardened mixed; do
  kb "$T" "$V14-cis-1.10-$p.json" json     "$V14-cis-1.10-$p" "$p" "$V14" run --benchmark cis-1.10 --json
  kb "$T" "$V14-cis-1.10-$p.xml"  junit    "$V14-cis-1.10-$p" "$p" "$V14" run --benchmark cis-1.10 --junit
  kb "$T" "$V14-cis-1.10-$p.txt"  text     "$V14-cis-1.10-$p" "$p" "$V14" run --benchmark cis-1.10
done
# one Manual check's test failing on an otherwise hardened node (1.2.1, 4.2.4): the gate's pairs with hardened
for p in hardened-anonymous hardened-readonly; do
  kb "$T" "$V14-cis-1.10-$p.json" json "$V14-cis-1.10-$p" "$p" "$V14" run --benchmark cis-1.10 --json
done
for p in insecure mixed; do
  kb "$T" "$V14-cis-1.10-$p-node.json" json "$V14-cis-1.10-$p-node" "$p" "$V14" run --targets node --benchmark cis-1.10 --json
done
# --- the JSON shapes -----------------------------------------------------------------------
kb "$T" "$V14-cis-1.10-mixed-nototals.json" json-array "$V14-cis-1.10-mixed" mixed "$V14" run --benchmark cis-1.10 --json --nototals
kb "$T" "$V14-cis-1.10-mixed-nototals.txt"  text       "$V14-cis-1.10-mixed" mixed "$V14" run --benchmark cis-1.10 --nototals
concat "$T/$V14-cis-1.10-mixed.json" "$T/$V14-cis-1.10-mixed-concat.json"
derived "$T" "$V14-cis-1.10-mixed-concat.json" json-concat "$V14-cis-1.10-mixed" \
  "the concatenated-objects shape of kube-bench <= v0.3.0 (not buildable here): each element of \`Controls\` of \`$V14-cis-1.10-mixed.json\` written as its own compact JSON object on its own line, exactly as v0.3.0 printed one target at a time"
# --- kubectl logs captures (real stderr warnings before the results) ------------------------
kblogs "$T" "$V14-cis-1.10-mixed-kubectl-logs-text.log" text-logs "$V14-cis-1.10-mixed" mixed "$V14" run --benchmark cis-1.10
kblogs "$T" "$V14-cis-1.10-mixed-kubectl-logs-json.log" json-logs "$V14-cis-1.10-mixed" mixed "$V14" run --benchmark cis-1.10 --json
kblogs "$T" "$V14-cis-1.10-insecure-node-kubectl-logs-text.log" text-logs "$V14-cis-1.10-insecure-node" insecure "$V14" run --targets node --benchmark cis-1.10
for f in text json; do
  prefix "$T/$V14-cis-1.10-mixed-kubectl-logs-$f.log" "$T/$V14-cis-1.10-mixed-kubectl-logs-$f-prefix.log"
  derived "$T" "$V14-cis-1.10-mixed-kubectl-logs-$f-prefix.log" "$f-logs" "$V14-cis-1.10-mixed" \
    "what \`kubectl logs --prefix\` gives: every line of \`$V14-cis-1.10-mixed-kubectl-logs-$f.log\` prefixed with \`$PREFIX\` (sed)"
done
# --- cis-1.8 on both versions --------------------------------------------------------------
kb "$T" "$V14-cis-1.8-insecure.json" json "$V14-cis-1.8-insecure" insecure "$V14" run --benchmark cis-1.8 --json
kb "$T" "$V14-cis-1.8-mixed.json"    json "$V14-cis-1.8-mixed"    mixed    "$V14" run --benchmark cis-1.8 --json
kb "$T" "$V8-cis-1.8-mixed.json"     json "$V8-cis-1.8-mixed"     mixed    "$V8"  run --benchmark cis-1.8 --json
kb "$T" "$V8-cis-1.8-mixed.xml"      junit "$V8-cis-1.8-mixed"    mixed    "$V8"  run --benchmark cis-1.8 --junit
kb "$T" "$V8-cis-1.8-mixed.txt"      text "$V8-cis-1.8-mixed"     mixed    "$V8"  run --benchmark cis-1.8
kb "$T" "$V8-cis-1.8-mixed-nototals.json" json-array "$V8-cis-1.8-mixed" mixed "$V8" run --benchmark cis-1.8 --json --nototals
kb "$T" "$V8-cis-1.8-insecure-node.json" json "$V8-cis-1.8-insecure-node" insecure "$V8" run --targets node --benchmark cis-1.8 --json
# --- benchmark upgrades of an unchanged node (issue 13: baselines carried by identity) -------
kb "$T" "$V14-cis-1.9-insecure.json"  json "$V14-cis-1.9-insecure"  insecure "$V14" run --benchmark cis-1.9 --json
kb "$T" "$V14-cis-1.11-insecure.json" json "$V14-cis-1.11-insecure" insecure "$V14" run --benchmark cis-1.11 --json
kb "$T" "$V14-gke-1.6.0-mixed.json"   json "$V14-gke-1.6.0-mixed"   mixed    "$V14" run --benchmark gke-1.6.0 --json
# --- managed providers and distributions ----------------------------------------------------
E=(run --targets node,policies,managedservices --benchmark eks-1.7.0)
kb "$T" "$V14-eks-1.7.0-mixed.json" json  "$V14-eks-1.7.0-mixed" mixed "$V14" "${E[@]}" --json
kb "$T" "$V14-eks-1.7.0-mixed.xml"  junit "$V14-eks-1.7.0-mixed" mixed "$V14" "${E[@]}" --junit
kb "$T" "$V14-eks-1.7.0-mixed.txt"  text  "$V14-eks-1.7.0-mixed" mixed "$V14" "${E[@]}"
kb "$T" "$V14-eks-1.7.0-mixed-master.json" json "$V14-eks-1.7.0-mixed-master" mixed "$V14" run --targets master --benchmark eks-1.7.0 --json
kb "$T" "$V14-gke-1.8.0-mixed.json"     json "$V14-gke-1.8.0-mixed"     mixed "$V14" run --benchmark gke-1.8.0 --json
kb "$T" "$V14-aks-1.7-mixed.json"       json "$V14-aks-1.7-mixed"       mixed "$V14" run --benchmark aks-1.7 --json
kb "$T" "$V14-rke2-cis-1.8-mixed.json"  json "$V14-rke2-cis-1.8-mixed"  mixed "$V14" run --benchmark rke2-cis-1.8 --json
# --- benchmarks the parser was NOT tuned for (issue 2 acceptance) ---------------------------
for b in ack-1.0 tkgi-1.2.53 rh-1.8 eks-stig-kubernetes-v1r6 cis-1.24-microk8s k3s-cis-1.8; do
  kb "$T" "$V14-$b-mixed.json" json "$V14-$b-mixed" mixed "$V14" run --benchmark "$b" --json
done
kb "$T" "$V14-tkgi-1.2.53-mixed.xml" junit "$V14-tkgi-1.2.53-mixed" mixed "$V14" run --benchmark tkgi-1.2.53 --junit
kb "$T" "$V14-rh-1.8-mixed.txt"      text  "$V14-rh-1.8-mixed"      mixed "$V14" run --benchmark rh-1.8
kb "$T" "$V14-eks-stig-kubernetes-v1r6-mixed.txt" text "$V14-eks-stig-kubernetes-v1r6-mixed" mixed "$V14" run --benchmark eks-stig-kubernetes-v1r6

# --- the example fleet ----------------------------------------------------------------------
echo "regen.sh: examples/results and examples/results-pr" >&2
CP=(run --targets master,etcd,controlplane,node,policies --benchmark cis-1.10 --json)
WK=(run --targets node,policies --benchmark cis-1.10 --json)
fleet() {  # fleet DIR CP1_PROFILE
  kb "$1" cp-1.json     json cp-1     "$2"     "$V14" "${CP[@]}"
  kb "$1" cp-2.json     json cp-2     hardened "$V14" "${CP[@]}"
  kb "$1" worker-1.json json worker-1 hardened "$V14" "${WK[@]}"
  kb "$1" worker-2.json json worker-2 hardened "$V14" "${WK[@]}"
  kb "$1" worker-3.json json worker-3 mixed    "$V14" "${WK[@]}"   # drifted: weak kubelet
}
fleet "$RES" hardened
fleet "$PR" hardened-profiling

# --- totals and checks ----------------------------------------------------------------------
echo "regen.sh: totals and consistency checks" >&2
totals=$tmp/totals.tsv   # dir file format group pass fail warn info how
: > "$totals"
while IFS=$'\t' read -r dir file fmt group how; do
  t=$(python3 "$here/totals.py" "$fmt" "$dir/$file") || die "totals of $file ($fmt)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$dir" "$file" "$fmt" "$group" "$t" "$how" >> "$totals"
done < "$manifest"
python3 - "$totals" "$TD" "$RES" "$PR" <<'PY' || die "consistency checks"
import json, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
TD, RES, PR = sys.argv[2:5]
bad = []
groups = {}
for d, f, fmt, g, p, fa, w, i, how in rows:
    groups.setdefault((d, g), []).append((f, (int(p), int(fa), int(w), int(i))))
for (d, g), files in groups.items():
    if len({t for _, t in files}) != 1:
        bad.append("same run, different kube-bench totals: %s" % files)
tot = {(d, f): (int(p), int(fa), int(w), int(i)) for d, f, fmt, g, p, fa, w, i, how in rows}
def load(d, f): return json.load(open(d + "/" + f, encoding="utf-8"))
# "tests": null must be present (managed master targets)
for f in ("v0.14.1-eks-1.7.0-mixed-master.json", "v0.14.1-gke-1.8.0-mixed.json", "v0.14.1-aks-1.7-mixed.json"):
    if not any(c["tests"] is None for c in load(TD, f)["Controls"]):
        bad.append('%s: no "tests": null' % f)
# eks-stig repeats ids across targets
seen, dup = {}, False
for c in load(TD, "v0.14.1-eks-stig-kubernetes-v1r6-mixed.json")["Controls"]:
    for g in c["tests"] or []:
        for r in g["results"]:
            if r["test_number"] in seen and seen[r["test_number"]] != c["node_type"]: dup = True
            seen[r["test_number"]] = c["node_type"]
if not dup: bad.append("eks-stig: expected an id repeated across targets")
# the fleet: worker-3 drifted, cp-1 regressed by exactly one FAIL in results-pr
if not tot[(RES, "worker-3.json")][1] > tot[(RES, "worker-1.json")][1]:
    bad.append("worker-3 does not fail more than worker-1")
if tot[(RES, "worker-1.json")] != tot[(RES, "worker-2.json")]:
    bad.append("worker-1 and worker-2 differ")
if tot[(PR, "cp-1.json")][1] != tot[(RES, "cp-1.json")][1] + 1:
    bad.append("results-pr cp-1 is not exactly one FAIL more than results cp-1: %s vs %s" % (tot[(PR, "cp-1.json")], tot[(RES, "cp-1.json")]))
def statuses(d, f):
    return {(c["node_type"], r["test_number"]): r["status"] for c in load(d, f)["Controls"] for g in c["tests"] or [] for r in g["results"]}
for f in ("cp-2.json", "worker-1.json", "worker-2.json", "worker-3.json"):
    if statuses(RES, f) != statuses(PR, f):
        bad.append("results-pr/%s has other results than results/%s" % (f, f))
a, b = statuses(RES, "cp-1.json"), statuses(PR, "cp-1.json")
if [k for k in a if a[k] != b.get(k)] != [("master", "1.2.15")]:
    bad.append("results-pr/cp-1.json should differ from results/cp-1.json in 1.2.15 only")
for b in bad: print("check failed:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# --- write TOTALS.tsv and the READMEs -------------------------------------------------------
{
  printf 'file\tformat\tpass\tfail\twarn\tinfo\n'
  awk -F'\t' -v d="$TD" '$1==d {print $2"\t"$3"\t"$5"\t"$6"\t"$7"\t"$8}' "$totals" | LC_ALL=C sort
} > "$TD/TOTALS.tsv"
table() {  # table DIR: markdown rows file | format | totals | how
  awk -F'\t' -v d="$1" '$1==d {printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", $2, $3, $5, $6, $7, $8, $9}' "$totals" | LC_ALL=C sort
}
statusdiff() {  # statusdiff A_FILE A_NAME B_FILE B_NAME: markdown list of checks whose status differs
  python3 - "$@" <<'PY'
import json, sys
def st(f):
    return {(c["node_type"], r["test_number"]): (r["status"], r["test_desc"])
            for c in json.load(open(f, encoding="utf-8"))["Controls"] for g in c["tests"] or [] for r in g["results"]}
a, an, b, bn = sys.argv[1:5]
A, B = st(a), st(b)
for k in A:
    if k in B and A[k][0] != B[k][0]:
        print("- `%s` (%s) %s: %s on %s, **%s on %s**" % (k[1], k[0], A[k][1], A[k][0], an, B[k][0], bn))
PY
}
cfail() { awk -F'\t' -v d="$1" -v f="$2" '$1==d && $2==f {print $6}' "$totals"; }

cat > "$TD/README.md" <<EOF
# Real kube-bench outputs (generated; do not edit by hand)

Every file here was produced by \`tools/kube-bench-fixtures/regen.sh\`, which builds the real
kube-bench binaries ($V8 and $V14) from the Go module proxy and runs them on a fake node
(\`tools/kube-bench-fixtures/fakenode.sh\`: private mount and PID namespaces, config files on
tmpfs, do-nothing processes named kube-apiserver, kubelet, etcd ... carrying the profile's
flags; kube-bench audits them exactly as on a real node). Regenerate everything with
\`sudo tools/kube-bench-fixtures/regen.sh\`. Runs are deterministic (the fake node has a fixed clock,
fixed paths and a stub kubectl), so regenerating gives the same bytes, with two exceptions inside
audit output: audits that list their own pipeline (tkgi-1.2.53 runs \`ps -ef | grep kube-apiserver\`
without \`grep -v grep\`) show the PID of that grep, which moves by one or two between runs with
the number of threads kube-bench's Go runtime happened to start; and where several stages of one
audit pipeline fail at once (rh-1.8: \`oc\` not found), their error lines, quoted in \`reason\`, can
come in either order. Statuses and totals never change.

Names: \`<kube-bench version>-<benchmark>-<profile>[-<variant>].<ext>\`.
Profiles: \`insecure\` (kubeadm-like defaults: anonymous auth, AlwaysAllow, read-only port, 644
files), \`hardened\` (control plane and kubelet set as the CIS text asks), \`mixed\` (hardened
control plane, weak kubelet), \`hardened-profiling\` (hardened, but kube-apiserver \`--profiling=true\`),
\`hardened-anonymous\` (hardened, but kube-apiserver \`--anonymous-auth=true\`: 1.2.1 WARN, Manual),
\`hardened-readonly\` (hardened, but the kubelet's \`readOnlyPort: 10255\`: 4.2.4 WARN, Manual).
Variants: \`node\`/\`master\` = \`--targets\` that target only; \`nototals\` = \`--nototals\`;
\`concat\` = the ≤ v0.3.0 JSON shape (derived, see below); \`kubectl-logs-*\` = stderr and stdout
interleaved as \`kubectl logs job/kube-bench\` shows them (\`.log\`); \`-prefix\` = as
\`kubectl logs --prefix\` shows them (derived).

**\`TOTALS.tsv\`** holds kube-bench's OWN totals for every file (\`file format pass fail warn
info\`, tab-separated, header line), extracted by \`tools/kube-bench-fixtures/totals.py\` from what
kube-bench wrote, never by this project's Go code: JSON envelope → its \`Totals\`; bare array and
concatenated objects → sum of each target's \`total_*\`; text → the \`== Summary total ==\` block
(with \`--nototals\`: the sum of the per-target \`== Summary <target> ==\` blocks); JUnit → the
\`status\` of each \`<testcase>\`'s \`<system-out>\` JSON (kube-bench writes the check there; both
WARN and INFO are \`<skipped>\` in the XML itself). \`regen.sh\` also checks that every file of
the same run agrees across formats.

Formats in TOTALS.tsv: \`json\` (envelope), \`json-array\` (\`--nototals\`), \`json-concat\`
(≤ v0.3.0 shape), \`json-logs\` (kubectl logs of a \`--json\` run), \`text\`, \`text-logs\`, \`junit\`.

Derived files (the only ones not printed verbatim by kube-bench):
- \`*-concat.json\`: kube-bench ≤ v0.3.0 printed one JSON object per target, concatenated
  (\`fmt.Println\` of \`json.Marshal\` of each target's Controls). Those versions do not build
  here, so the file is made from the real envelope of the same run: each element of
  \`Controls\` written as its own compact JSON object on its own line (Go's escaping of \`<>&\`
  kept). Unlike a real v0.3.0 output it still has the newer keys (\`detected_version\`,
  \`AuditEnv\`, \`IsMultiple\`, group \`type\`).
- \`*-prefix.log\`: every line of the real capture prefixed with
  \`$PREFIX\` by sed, which is what \`kubectl logs --prefix\` prints.

Benchmarks the parser was not tuned for (issue 2 acceptance; all $V14, \`mixed\`): ack-1.0,
tkgi-1.2.53, rh-1.8, eks-stig-kubernetes-v1r6 (ids repeated across targets),
cis-1.24-microk8s (reports \`"version": "cis-1.24"\`), k3s-cis-1.8.
\`"tests": null\` appears in \`$V14-eks-1.7.0-mixed-master.json\` and in the master target of
the full gke-1.8.0 and aks-1.7 runs.

| file | format | pass | fail | warn | info | how it was made |
|---|---|---|---|---|---|---|
$(table "$TD")
EOF

fleet_readme() {  # fleet_readme DIR TITLE EXTRA
  cat > "$1/README.md" <<EOF
# $2 (generated by \`tools/kube-bench-fixtures/regen.sh\`; do not edit by hand)

Real kube-bench $V14 outputs (\`--json\`, benchmark cis-1.10) of a small fleet, one file per
node, named after the node (bench-action takes the node name from the file's base name).
Each node is a fake node (\`tools/kube-bench-fixtures/fakenode.sh\`) configured by a profile:

| node | role | kube-bench command | profile |
|---|---|---|---|
| cp-1 | control plane | \`kube-bench ${CP[*]}\` | $3 |
| cp-2 | control plane | \`kube-bench ${CP[*]}\` | hardened |
| worker-1 | worker | \`kube-bench ${WK[*]}\` | hardened |
| worker-2 | worker | \`kube-bench ${WK[*]}\` | hardened |
| worker-3 | worker | \`kube-bench ${WK[*]}\` | mixed: **drifted**, weak kubelet (anonymous auth on, read-only port 10255 open) |

$4

kube-bench's own totals:

| file | format | pass | fail | warn | info | how it was made |
|---|---|---|---|---|---|---|
$(table "$1")
EOF
}
fleet_readme "$RES" "Example fleet: two control-plane nodes, three workers, one drifted" hardened \
"**worker-3 drifted**: it was built from an unhardened image, so kubelet checks that pass on
worker-1 and worker-2 do not on worker-3 ($(cfail "$RES" worker-3.json) FAIL against $(cfail "$RES" worker-1.json)):

$(statusdiff "$RES/worker-1.json" worker-1 "$RES/worker-3.json" worker-3)

\`../results-pr/\` is the same fleet after a change that regressed one control on cp-1."
fleet_readme "$PR" "Example fleet after a regressing change (for a gate demo)" \
  "hardened-profiling: hardened, but kube-apiserver \`--profiling=true\`" \
"Same fleet as \`../results/\` (the other four nodes have the same results), except that
cp-1 now runs kube-apiserver with \`--profiling=true\`: control 1.2.15 (\"Ensure that the
--profiling argument is set to false\") is a **new FAIL** on cp-1
($(cfail "$PR" cp-1.json) FAIL instead of $(cfail "$RES" cp-1.json)). A gate with \`../results/\` as baseline fails on it:

$(statusdiff "$RES/cp-1.json" "cp-1 in results/" "$PR/cp-1.json" "cp-1 here")"

# --- move into place --------------------------------------------------------------------------
install_dir() {  # install_dir STAGED DEST: replace DEST's content with STAGED's
  mkdir -p "$2"
  find "$2" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  cp -p "$1"/* "$2"/
}
install_dir "$TD"  "$root/benchresult/testdata/kube-bench"
install_dir "$RES" "$root/examples/results"
install_dir "$PR"  "$root/examples/results-pr"
ok=1
n=$(wc -l < "$manifest")
echo "regen.sh: OK: $n files in $(( $(date +%s) - start_ts ))s" >&2
