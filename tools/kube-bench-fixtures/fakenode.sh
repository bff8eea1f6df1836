#!/usr/bin/env bash
# Runs a real kube-bench binary against a fake Kubernetes node, so that its
# real JSON, JUnit and text output can be produced on a machine with no cluster.
#
# usage: fakenode.sh PROFILE KUBE_BENCH_BINARY [kube-bench args...]
#   PROFILE: how the fake node is configured
#     insecure            kubeadm-like defaults: anonymous auth, AlwaysAllow, read-only port, 644 files
#     hardened            control plane and kubelet set as the CIS text asks
#     mixed               hardened control plane, weak kubelet (anonymous auth, read-only port):
#                         also what a worker built from an unhardened image looks like (drift)
#     hardened-profiling  hardened, except kube-apiserver --profiling=true (one regressed control)
#     hardened-anonymous  hardened, except kube-apiserver --anonymous-auth=true (cis 1.2.1, Manual)
#     hardened-readonly   hardened, except the kubelet's readOnlyPort: 10255 (cis 4.2.4, Manual)
#   e.g.  fakenode.sh insecure "$(build-kube-bench.sh v0.14.1)" run --benchmark cis-1.10 --json
#
# How: inside private mount and PID namespaces (needs root and util-linux
# unshare), tmpfs is mounted over /etc/kubernetes, /var/lib/kubelet,
# /var/lib/etcd and /etc/systemd/system/kubelet.service.d, config files are
# written there, and do-nothing processes named kube-apiserver, kubelet, etcd,
# ... are started with the profile's flags. kube-bench finds them with ps and
# reads their flags and files exactly as on a real node. Nothing outside the
# namespaces is touched. cfg/ is taken from the module cache of the same version.
# FAKENODE_OLD_CLI=1 (optional): for kube-bench v0.0.x, which has no --config-dir: kube-bench
# runs in /usr/local/kube-bench (its ./cfg) and gets only the arguments given here.
# Adapted from the workspace tools it started from; self-contained.
set -euo pipefail
profile=${1:?usage: fakenode.sh PROFILE KUBE_BENCH_BINARY [args...]}
kb=${2:?usage: fakenode.sh PROFILE KUBE_BENCH_BINARY [args...]}
shift 2
case "$profile" in insecure|hardened|mixed|hardened-profiling|hardened-anonymous|hardened-readonly) ;; *) echo "unknown profile $profile" >&2; exit 2;; esac
here=$(cd "$(dirname "$0")" && pwd)
version=$(basename "$kb"); version=${version#kube-bench-}
cfg="${KUBE_BENCH_CFG:-$(go env GOMODCACHE)/github.com/aquasecurity/kube-bench@$version/cfg}"
[[ -d "$cfg" ]] || { echo "no cfg dir at $cfg (build the binary with build-kube-bench.sh first)" >&2; exit 2; }
fakebin=$(mktemp -d)
trap 'rm -rf "$fakebin"' EXIT
# FAKENODE_KUBE_VERSION=v1.6.0 (optional): the fake components answer `--version` with
# "Kubernetes v1.6.0", as kube-bench v0.0.x insists on before it runs; unset, they ignore it.
if [[ -n ${FAKENODE_KUBE_VERSION:-} ]]; then
  printf '#include <stdio.h>\n#include <string.h>\n#include <unistd.h>\nint main(int c,char**v){if(c>1&&!strcmp(v[1],"--version")){puts("Kubernetes %s");return 0;}for(;;)pause();}\n' "$FAKENODE_KUBE_VERSION" > "$fakebin/fake.c"
else
  printf '#include <unistd.h>\nint main(void){for(;;)pause();}\n' > "$fakebin/fake.c"
fi
cc -O2 -o "$fakebin/fakeproc" "$fakebin/fake.c"
for n in kube-apiserver kube-controller-manager kube-scheduler etcd kubelet kube-proxy; do cp "$fakebin/fakeproc" "$fakebin/$n"; done
# PID 1 of the fake node shows up in the ps audits of kube-bench (`ps -ef | grep etcd`), so its
# command line must not carry this checkout's path or kube-bench's arguments: both go through
# files, and PID 1 is literally `bash -c . "$INSIDE"` on every machine.
printf '%s\0' "$@" > "$fakebin/args"
cp "$here/inside-node.sh" "$fakebin/inside-node.sh"
unshare --mount --propagation private --pid --fork --mount-proc \
  env FAKEBIN="$fakebin" FAKENODE_OLD_CLI="${FAKENODE_OLD_CLI:-}" PROFILE="$profile" CFG="$cfg" KB="$kb" INSIDE="$fakebin/inside-node.sh" bash -c '. "$INSIDE"'
