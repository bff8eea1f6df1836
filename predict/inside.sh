#!/usr/bin/env bash
# The inside of a predict sandbox node: runs as PID 1 of private mount and
# PID namespaces (unshare), from the staging folder $STAGE that predict
# wrote: root/ (the node's files), procs/N/{argv,env} (NUL-separated),
# roots (the folders to mount a tmpfs over), kube-bench and cfg/, and args
# (kube-bench's arguments, NUL-separated). Nothing outside the namespaces
# is written but the empty mount points.
set -euo pipefail
mapfile -t roots < "$STAGE/roots"
for d in "${roots[@]}" /usr/local/bin /usr/local/kube-bench; do
  mkdir -p "$d"
  mount -t tmpfs -o mode=755 tmpfs "$d"
done
# Each root's files into its tmpfs, owned by root as on a node (the stage
# belongs to whoever ran predict, through sudo perhaps): copied root by
# root, so that no folder above them, which are the host's own (/, /etc,
# /var/lib), takes the stage's owner, mode or times.
for d in "${roots[@]}"; do
  if [[ -d $STAGE/root$d ]]; then
    cp -R --no-dereference --preserve=mode,timestamps "$STAGE/root$d/." "$d"
  fi
done
touch /usr/local/bin/kube-bench
mount --bind "$STAGE/kube-bench" /usr/local/bin/kube-bench
mkdir -p /usr/local/kube-bench/cfg
mount --bind "$STAGE/cfg" /usr/local/kube-bench/cfg
started=()
for p in "$STAGE"/procs/*; do
  mapfile -d '' -t argv < "$p/argv"
  mapfile -d '' -t envv < "$p/env"
  bin=/usr/local/bin/${argv[0]##*/}
  [[ -e $bin ]] || cp "$STAGE/donothing" "$bin"
  # env execs argv[0] as given ("kube-apiserver" is found in the PATH of
  # envv, which predict always sets), so ps shows exactly argv.
  env -i "${envv[@]}" "${argv[@]}" &
  started+=("$!:${argv[0]##*/}")
done
# Wait until every process has exec'd under its own name: kube-bench must
# not see a half-started node.
for entry in "${started[@]}"; do
  pid=${entry%%:*}; name=${entry#*:}; name=${name:0:15}; comm=
  for ((i = 0; i < 400; i++)); do
    read -r comm < "/proc/$pid/comm" || true
    [[ $comm == "$name" ]] && break
    sleep 0.02
  done
  [[ $comm == "$name" ]] || { echo "sandbox: $name (pid $pid) did not start" >&2; exit 1; }
done
mapfile -d '' -t args < "$STAGE/args"
cd /
env -i HOME=/root PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin kube-bench "${args[@]}" \
  --config-dir /usr/local/kube-bench/cfg --config /usr/local/kube-bench/cfg/config.yaml
