#!/usr/bin/env bash
# generate-jobs.sh: one kube-bench Job (or CronJob) per node, from a variant
# template in variants/. Prints the manifests (a multi-document YAML) on
# stdout, ready for `kubectl apply -f -`.
#
#   generate-jobs.sh [--variant kubeadm|eks|gke|aks|rke2|k3s] [--run-id ID]
#                    [--cronjob "CRON SCHEDULE"] [--image IMAGE]
#
# Nodes come from `kubectl get nodes -o name`; control-plane nodes (label
# node-role.kubernetes.io/control-plane or .../master) get the control-plane
# targets of the variant, the others the worker targets. Without a cluster
# (tests, dry runs) set NODES="a b c" and CONTROL_PLANE_NODES="a".
#
# Every Job carries the labels app.kubernetes.io/name=kube-bench and
# bench-action.io/run=<ID>, and the annotation bench-action.io/node-name, which
# collect-results.sh uses to name each node's output <node>.json.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
variant=kubeadm
run_id=""
schedule=""
image=""

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --variant) variant="${2:?--variant needs a value}"; shift 2 ;;
    --run-id) run_id="${2:?--run-id needs a value}"; shift 2 ;;
    --cronjob) schedule="${2:?--cronjob needs a schedule}"; shift 2 ;;
    --image) image="${2:?--image needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "generate-jobs.sh: unknown argument $1" >&2; usage ;;
  esac
done

if [ -z "$run_id" ]; then
  run_id=manual
  if [ -n "$schedule" ]; then run_id=cron; fi
fi

# Targets per variant: control-plane nodes, then worker nodes. policies and
# managedservices are cluster-wide; bench-action merges them across nodes.
case "$variant" in
  kubeadm|rke2|k3s)
    cp_targets=master,controlplane,etcd,node,policies
    worker_targets=node ;;
  eks|gke|aks)
    # The provider runs the control plane: every node is a worker.
    cp_targets=node,policies,managedservices
    worker_targets=node,policies,managedservices ;;
  *) echo "generate-jobs.sh: unknown variant '$variant' (kubeadm, eks, gke, aks, rke2, k3s)" >&2; exit 2 ;;
esac
template="$here/variants/$variant.yaml"
[ -r "$template" ] || { echo "generate-jobs.sh: missing template $template" >&2; exit 2; }

label_value='^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$'
printf '%s' "$run_id" | grep -Eq "$label_value" ||
  { echo "generate-jobs.sh: --run-id '$run_id' is not a valid label value" >&2; exit 2; }
if [ -n "$schedule" ]; then
  printf '%s' "$schedule" | grep -Eq '^[-0-9A-Za-z*/,@ ]+$' ||
    { echo "generate-jobs.sh: odd --cronjob schedule '$schedule'" >&2; exit 2; }
fi

if [ -z "${NODES:-}" ]; then
  NODES="$(kubectl get nodes -o name | sed 's|^node/||')"
  CONTROL_PLANE_NODES="$( { kubectl get nodes -l node-role.kubernetes.io/control-plane -o name
                             kubectl get nodes -l node-role.kubernetes.io/master -o name; } | sed 's|^node/||' | sort -u)"
fi
[ -n "${NODES// /}" ] || { echo "generate-jobs.sh: no nodes" >&2; exit 1; }

# job_name NODE MAX: kube-bench-<node>, made a DNS label of at most MAX
# characters (63 for a Job, 52 for a CronJob); a long name is cut and a
# checksum of the full node name keeps it unique.
job_name() {
  local s
  s="kube-bench-$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9-' '-')"
  if [ "${#s}" -gt "$2" ]; then
    local sum
    sum="$(printf '%s' "$1" | cksum | cut -d' ' -f1)"
    s="${s:0:$(($2 - ${#sum} - 1))}"
    s="${s%-}-$sum"
  fi
  printf '%s' "${s%-}"
}

is_control_plane() {
  local n
  for n in ${CONTROL_PLANE_NODES:-}; do [ "$n" = "$1" ] && return 0; done
  return 1
}

# to_cronjob SCHEDULE: turns the Job on stdin into a CronJob whose jobTemplate
# is that Job (the template's `spec:` is its last top-level key).
to_cronjob() {
  awk -v schedule="$1" '
    !in_spec && /^kind: Job$/ { print "kind: CronJob"; next }
    !in_spec && /^metadata:$/ { in_meta = 1; print; next }
    in_meta && /^[^ ]/ { in_meta = 0 }
    in_meta && !/^  (name|namespace):/ { meta[++m] = $0 }
    !in_spec && /^spec:$/ {
      print "spec:"
      print "  schedule: \"" schedule "\""
      print "  timeZone: Etc/UTC"
      print "  concurrencyPolicy: Forbid"
      print "  successfulJobsHistoryLimit: 3"
      print "  failedJobsHistoryLimit: 3"
      print "  jobTemplate:"
      print "    metadata:"
      for (i = 1; i <= m; i++) print "    " meta[i]
      print "    spec:"
      in_spec = 1; next
    }
    in_spec { if ($0 == "") print; else print "    " $0; next }
    { print }'
}

first=1
for node in $NODES; do
  printf '%s' "$node" | grep -Eq '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' ||
    { echo "generate-jobs.sh: '$node' is not a valid node name" >&2; exit 1; }
  targets="$worker_targets"
  if is_control_plane "$node"; then targets="$cp_targets"; fi
  max=63
  if [ -n "$schedule" ]; then max=52; fi
  name="$(job_name "$node" "$max")"
  [ "$first" = 1 ] || echo "---"
  first=0
  echo "# $variant: kube-bench on node $node (targets $targets); generated by generate-jobs.sh"
  doc="$(sed -n '/^apiVersion:/,$p' "$template" |
    sed -e "s|__JOB_NAME__|$name|g" -e "s|__NODE_NAME__|$node|g" \
        -e "s|__TARGETS__|$targets|g" -e "s|__RUN_ID__|$run_id|g")"
  if [ -n "$image" ]; then
    doc="$(printf '%s\n' "$doc" | sed "s|image: docker.io/aquasec/kube-bench:.*|image: $image|")"
  fi
  if [ -n "$schedule" ]; then
    printf '%s\n' "$doc" | to_cronjob "$schedule"
  else
    printf '%s\n' "$doc"
  fi
done
