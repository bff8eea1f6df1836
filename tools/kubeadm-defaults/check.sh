#!/usr/bin/env bash
# Holds trace's kubeadmDefaults (trace/kubeadm.go: the flags kubeadm writes
# into the static Pod manifests by itself) against kubeadm's own source,
# for each Kubernetes release given (default: v1.29.0 v1.30.2 v1.32.0).
# The source comes from the Go module proxy (k8s.io/kubernetes, about 40 MB
# a release, once); check.py reads the default argument lists of
# getAPIServerCommand, getControllerManagerCommand, getSchedulerCommand
# and getEtcdCommand; and trace's kubeadmDropIn against the kubelet drop-in
# 10-kubeadm.conf of k8s.io/release v0.18.0. Run by hand when kubeadmDefaults or the releases
# they cover change; exits 1 on a difference.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(v1.29.0 v1.30.2 v1.32.0)
dirs=()
for v in "${versions[@]}"; do
  dir=$(go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "check.sh: go mod download k8s.io/kubernetes@$v gave no folder" >&2; exit 1; }
  dirs+=("$v=$dir")
done
# kubeadm's kubelet drop-in, as the Kubernetes packages install it
release=k8s.io/release@v0.18.0
rel=$(go mod download -json "$release" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[ -n "$rel" ] || { echo "check.sh: go mod download $release gave no folder" >&2; exit 1; }
python3 "$here/check.py" "$here/../../trace" "$rel/cmd/krel/templates/latest/kubeadm/10-kubeadm.conf" "${dirs[@]}"
