#!/usr/bin/env bash
# Second half of fakenode.sh: runs inside the private namespaces.
set -euo pipefail
for d in /etc/kubernetes /var/lib/kubelet /var/lib/etcd /etc/systemd/system/kubelet.service.d /usr/local; do
  mkdir -p "$d"; mount -t tmpfs tmpfs "$d"
done
# ps prints each process's start time (STIME) and CPU share (C), which would make every output
# differ from the last. The fake node gets a fixed clock instead (as lxcfs does for containers):
# /proc/stat's btime is set so that every process appears started in mid-2020 (ps prints "2020"),
# and /proc/uptime is made huge so that every CPU share rounds to 0.
up=$(cut -d' ' -f1 /proc/uptime); up=${up%.*}
sed "s/^btime .*/btime $((1590969600 - up))/" /proc/stat > "$FAKEBIN/stat"
echo "$((up + 100000000)).00 0.00" > "$FAKEBIN/uptime"
mount --bind "$FAKEBIN/stat" /proc/stat
mount --bind "$FAKEBIN/uptime" /proc/uptime
# kube-bench and its cfg/ live at fixed paths on the node (its own command line is in the
# ps audits too), so no path of this machine shows in the output.
mkdir -p /usr/local/bin /usr/local/kube-bench/cfg
touch /usr/local/bin/kube-bench
mount --bind "$KB" /usr/local/bin/kube-bench
mount --bind "$CFG" /usr/local/kube-bench/cfg
mapfile -d '' -t args < "$FAKEBIN/args"
# The fake components live where a node keeps them and run with a node-like, minimal
# environment: kube-bench reads their command lines (ps) and, for etcd, /proc/PID/environ.
cp "$FAKEBIN"/kube-apiserver "$FAKEBIN"/kube-controller-manager "$FAKEBIN"/kube-scheduler "$FAKEBIN"/etcd "$FAKEBIN"/kubelet "$FAKEBIN"/kube-proxy /usr/local/bin/
# kubectl: a stub that answers as kubectl does when no API server is reachable (the node has
# none). Without it the audits of the cluster-wide targets would run whatever kubectl the host
# has, and its error lines carry timestamps and PIDs, so outputs would differ between runs and
# between machines. With it every run gives the same bytes.
cat > /usr/local/bin/kubectl <<'K'
#!/bin/sh
echo "The connection to the server localhost:8080 was refused - did you specify the right host or port?" >&2
exit 1
K
chmod 755 /usr/local/bin/kubectl
started=()
start() { env -i HOME=/root PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@" & started+=("$!:$1"); }
mkdir -p /etc/kubernetes/manifests /etc/kubernetes/pki/etcd
write() { cat > "$1"; chmod "$2" "$1"; }
if [[ $PROFILE == hardened || $PROFILE == hardened-* ]]; then fmode=600; else fmode=644; fi
for f in kube-apiserver kube-controller-manager kube-scheduler etcd; do
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: %s, namespace: kube-system}\n' $f | write /etc/kubernetes/manifests/$f.yaml $fmode
done
for f in admin scheduler controller-manager kubelet super-admin; do echo 'apiVersion: v1' | write /etc/kubernetes/$f.conf 600; done
for f in ca.crt apiserver.crt apiserver.key apiserver-kubelet-client.crt apiserver-kubelet-client.key sa.pub sa.key front-proxy-ca.crt etcd/ca.crt etcd/server.crt etcd/server.key etcd/peer.crt etcd/peer.key apiserver-etcd-client.crt apiserver-etcd-client.key; do
  echo x | write /etc/kubernetes/pki/$f 600
done
chmod 700 /var/lib/etcd
P=/etc/kubernetes/pki
case $PROFILE in
insecure)
  api=(--anonymous-auth=true --authorization-mode=AlwaysAllow --profiling=true --service-account-lookup=false --insecure-port=8080 --enable-admission-plugins=AlwaysAdmit)
  cm=(--profiling=true --use-service-account-credentials=false --bind-address=0.0.0.0)
  sch=(--profiling=true --bind-address=0.0.0.0)
  etcd=(--client-cert-auth=false --auto-tls=true --peer-auto-tls=true --data-dir=/var/lib/etcd)
  kubelet_anon=true; kubelet_authz=AlwaysAllow; ro_port=10255; pkd=false ;;
hardened|mixed|hardened-profiling|hardened-anonymous|hardened-readonly)
  api=(--anonymous-auth=false --authorization-mode=Node,RBAC --profiling=false --service-account-lookup=true
       --audit-log-path=/var/log/apiserver/audit.log --audit-log-maxage=30 --audit-log-maxbackup=10 --audit-log-maxsize=100
       --kubelet-client-certificate=$P/apiserver-kubelet-client.crt --kubelet-client-key=$P/apiserver-kubelet-client.key
       --kubelet-certificate-authority=$P/ca.crt --client-ca-file=$P/ca.crt --tls-cert-file=$P/apiserver.crt --tls-private-key-file=$P/apiserver.key
       --etcd-cafile=$P/etcd/ca.crt --etcd-certfile=$P/apiserver-etcd-client.crt --etcd-keyfile=$P/apiserver-etcd-client.key
       --service-account-key-file=$P/sa.pub --service-account-issuer=https://kubernetes.default.svc --service-account-signing-key-file=$P/sa.key
       --enable-admission-plugins=NodeRestriction,AlwaysPullImages,EventRateLimit --admission-control-config-file=/etc/kubernetes/admission.yaml
       --encryption-provider-config=/etc/kubernetes/enc.yaml --request-timeout=60s
       --tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
  cm=(--profiling=false --use-service-account-credentials=true --bind-address=127.0.0.1 --terminated-pod-gc-threshold=10
      --service-account-private-key-file=$P/sa.key --root-ca-file=$P/ca.crt --feature-gates=RotateKubeletServerCertificate=true)
  sch=(--profiling=false --bind-address=127.0.0.1)
  etcd=(--client-cert-auth=true --peer-client-cert-auth=true --cert-file=$P/etcd/server.crt --key-file=$P/etcd/server.key
        --peer-cert-file=$P/etcd/peer.crt --peer-key-file=$P/etcd/peer.key --trusted-ca-file=$P/etcd/ca.crt --data-dir=/var/lib/etcd)
  kubelet_anon=false; kubelet_authz=Webhook; ro_port=0; pkd=true ;;
esac
if [[ $PROFILE == mixed ]]; then kubelet_anon=true; ro_port=10255; fi   # hardened control plane, weak kubelet
if [[ $PROFILE == hardened-profiling ]]; then                          # one regression: apiserver profiling on
  for i in "${!api[@]}"; do if [[ ${api[$i]} == --profiling=false ]]; then api[$i]=--profiling=true; fi; done
fi
if [[ $PROFILE == hardened-anonymous ]]; then                          # one regression: apiserver anonymous auth on
  for i in "${!api[@]}"; do if [[ ${api[$i]} == --anonymous-auth=false ]]; then api[$i]=--anonymous-auth=true; fi; done
fi
if [[ $PROFILE == hardened-readonly ]]; then ro_port=10255; fi          # one regression: kubelet read-only port open
cat > /var/lib/kubelet/config.yaml <<Y
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: $kubelet_anon
  webhook:
    enabled: true
  x509:
    clientCAFile: $P/ca.crt
authorization:
  mode: $kubelet_authz
readOnlyPort: $ro_port
protectKernelDefaults: $pkd
rotateCertificates: true
serverTLSBootstrap: true
tlsCipherSuites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
Y
chmod $fmode /var/lib/kubelet/config.yaml
start kube-apiserver "${api[@]}"
start kube-controller-manager "${cm[@]}"
start kube-scheduler "${sch[@]}"
start etcd "${etcd[@]}"
start kubelet --config=/var/lib/kubelet/config.yaml --kubeconfig=/etc/kubernetes/kubelet.conf
# Wait until every fake component has exec'd under its own name (a fixed sleep is not enough
# on a loaded machine: kube-bench would then see a half-started node). Builtins only: a fork
# here would use up a PID, and the PIDs that kube-bench prints must not depend on the load.
exec {sleepfd}<> <(:)
for entry in "${started[@]}"; do
  pid=${entry%%:*}; name=${entry#*:}; name=${name:0:15}; comm=
  for ((i = 0; i < 400; i++)); do
    read -r comm < "/proc/$pid/comm" || true
    if [[ $comm == "$name" ]]; then break; fi
    read -t 0.05 -u "$sleepfd" || true
  done
  [[ $comm == "$name" ]] || { echo "fake node: $name (pid $pid) did not start" >&2; exit 1; }
done
# kube-bench warns on stderr that it cannot reach a cluster; that is expected.
if [[ -n ${FAKENODE_OLD_CLI:-} ]]; then  # kube-bench v0.0.x: ./cfg, no --config-dir
  cd /usr/local/kube-bench
  env -i HOME=/root PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin kube-bench "${args[@]}"
  exit
fi
cd /
env -i HOME=/root PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin kube-bench "${args[@]}" \
  --config-dir /usr/local/kube-bench/cfg --config /usr/local/kube-bench/cfg/config.yaml
