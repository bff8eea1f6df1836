#!/usr/bin/env bash
# The independent oracle of predict's tests: a kubeadm node laid out by
# hand from a configuration set and the command lines written down for it,
# on which the real kube-bench runs. It shares no code with package predict
# (which reads the manifests and builds its own sandbox), so that the two
# cannot share a bug.
#
# usage: fakenode.sh SET_DIR PROCS_FILE KUBE_BENCH CFG_DIR [kube-bench args...]
#   SET_DIR     testdata/configs/SET (manifests/*.yaml, kubelet/config.yaml, kubelet/kubeadm-flags.env)
#   PROCS_FILE  testdata/fakenode/SET.ROLE.procs: one process a line, its argv separated by spaces
# Needs root, util-linux unshare and cc. Prints kube-bench's stdout.
set -euo pipefail
set_dir=$(cd "${1:?usage: fakenode.sh SET_DIR PROCS_FILE KUBE_BENCH CFG_DIR [args...]}" && pwd)
procs=$(realpath "${2:?procs file}")
kb=$(realpath "${3:?kube-bench binary}")
cfg=$(realpath "${4:?kube-bench cfg dir}")
shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <unistd.h>\nint main(void){for(;;)pause();}\n' > "$tmp/idle.c"
cc -O2 -o "$tmp/idle" "$tmp/idle.c"
printf '%s\0' "$@" > "$tmp/args"
cat > "$tmp/node.sh" <<'NODE'
set -euo pipefail
for d in /etc/kubernetes /var/lib/kubelet /var/lib/etcd /etc/systemd/system/kubelet.service.d /usr/local/bin /usr/local/kube-bench; do
  mkdir -p "$d"; mount -t tmpfs tmpfs "$d"
done
mkdir -p /etc/kubernetes/manifests /etc/kubernetes/pki/etcd /usr/local/kube-bench/cfg
chmod 700 /var/lib/etcd
# kubeadm's layout: the static Pods, the kubelet's config and flags, its drop-in
for m in "$SET_DIR"/manifests/*.yaml; do install -m 600 "$m" /etc/kubernetes/manifests/; done
install -m 600 "$SET_DIR/kubelet/config.yaml" /var/lib/kubelet/config.yaml
install -m 600 "$SET_DIR/kubelet/kubeadm-flags.env" /var/lib/kubelet/kubeadm-flags.env
printf '[Service]\n' > /etc/systemd/system/kubelet.service.d/10-kubeadm.conf
chmod 600 /etc/systemd/system/kubelet.service.d/10-kubeadm.conf
# kubeconfigs, certificates and keys kubeadm writes (their contents are not audited)
for f in kubelet.conf pki/ca.crt; do echo stand-in > /etc/kubernetes/$f; chmod 600 /etc/kubernetes/$f; done
if grep -q kube-apiserver "$PROCS"; then
  for f in admin.conf super-admin.conf scheduler.conf controller-manager.conf pki/ca.key pki/apiserver.crt pki/apiserver.key \
           pki/apiserver-kubelet-client.crt pki/apiserver-kubelet-client.key pki/sa.pub pki/sa.key pki/front-proxy-ca.crt \
           pki/front-proxy-ca.key pki/apiserver-etcd-client.crt pki/apiserver-etcd-client.key pki/etcd/ca.crt pki/etcd/ca.key \
           pki/etcd/server.crt pki/etcd/server.key pki/etcd/peer.crt pki/etcd/peer.key; do
    echo stand-in > /etc/kubernetes/$f; chmod 600 /etc/kubernetes/$f
  done
fi
touch /usr/local/bin/kube-bench
mount --bind "$KB" /usr/local/bin/kube-bench
mount --bind "$CFG" /usr/local/kube-bench/cfg
pids=()
while read -r -a argv; do
  [[ ${#argv[@]} -gt 0 ]] || continue
  name=${argv[0]}
  [[ -e /usr/local/bin/$name ]] || cp "$TMP/idle" "/usr/local/bin/$name"
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${argv[@]}" &
  pids+=("$!:$name")
done < "$PROCS"
for p in "${pids[@]}"; do
  pid=${p%%:*}; want=${p#*:}; want=${want:0:15}
  for _ in $(seq 200); do
    [[ $(cat /proc/$pid/comm 2>/dev/null) == "$want" ]] && break
    sleep 0.05
  done
  [[ $(cat /proc/$pid/comm) == "$want" ]] || { echo "fakenode: $want did not start" >&2; exit 1; }
done
mapfile -d '' -t args < "$TMP/args"
cd /
env -i HOME=/root PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin kube-bench "${args[@]}" \
  --config-dir /usr/local/kube-bench/cfg --config /usr/local/kube-bench/cfg/config.yaml
NODE
unshare --mount --propagation private --pid --fork --mount-proc \
  env SET_DIR="$set_dir" PROCS="$procs" KB="$kb" CFG="$cfg" TMP="$tmp" bash "$tmp/node.sh"
