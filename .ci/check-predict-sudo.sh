#!/usr/bin/env bash
# predict as a user who is not root, the way a GitHub-hosted runner runs it
# (the runner user, passwordless sudo): the sandbox runs through `sudo -n`,
# and the prediction must be the one root makes of the same files, status
# by status, file owner by file owner. Without passwordless sudo it must refuse with exit 2 and say why.
# Runs as root in CI: installs sudo if missing, creates the user
# bench-action-ci, and removes its sudoers rule when done.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-predict-sudo: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (it creates a user and a sudoers rule)"

command -v sudo >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo >/dev/null; }
user=bench-action-ci
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
rule=/etc/sudoers.d/bench-action-ci
work=$(mktemp -d)
trap 'rm -f "$rule"; rm -rf "$work"' EXIT
chmod 755 "$work"

go build -o "$work/bench-action" ./cmd/bench-action
# kube-bench as predict's tests built it (the same cache; built if missing)
version=$(sed -n 's/^const DefaultKubeBench = "\(.*\)"$/\1/p' predict/kubebench.go)
cache=${BENCH_ACTION_CACHE:-$HOME/.cache/bench-action}
"$work/bench-action" predict --node worker --output "$work/warm" predict/testdata/configs/hardened >/dev/null 2>&1 ||
  fail "predict as root failed; run it to see why: $work/bench-action predict --node worker --output DIR predict/testdata/configs/hardened"
cp -a "$cache/kube-bench-$version" "$work/kube-bench"
cp -a predict/testdata/configs/kubeadm-default "$work/configs"
chmod -R a+rX "$work"

predict() { # OUT as-user|as-root
  local out=$1
  shift
  "$@" "$work/bench-action" predict --benchmark cis-1.10 --kube-bench "$work/kube-bench/kube-bench" --output "$out" "$work/configs"
}

predict "$work/root" env
echo "$user ALL=(ALL) NOPASSWD:ALL" > "$rule"
chmod 440 "$rule"
home=$(getent passwd "$user" | cut -d: -f6)
as_user() { runuser -u "$user" -- env HOME="$home" PATH="$PATH" "$@"; }
rm -rf "$home/predicted"
predict "$home/predicted" as_user ||
  fail "predict as $user through sudo -n failed"
# What may differ between two runs: the times and process ids in ps and
# kubectl output. What must not: each check's status, and what stat says of
# the node's files (their owner was the sudo user's before the stage was
# copied without it).
same() { # FILE
  jq -S '[.Controls[] | .node_type as $t | .tests[].results[] |
    {check: ($t + " " + .test_number), status,
     stat: (if (.audit // "" | test("stat -c")) then .actual_value else null end)}]' "$1"
}
for node in control-plane worker; do
  diff <(same "$work/root/$node.json") <(same "$home/predicted/$node.json") ||
    fail "$node.json predicted by $user through sudo differs from root's (statuses or file owners and modes)"
  owner=$(stat -c %U "$home/predicted/$node.json")
  [ "$owner" = "$user" ] || fail "$node.json belongs to $owner, want $user"
done
for d in / /etc /var /var/lib; do
  [ "$(stat -c %U:%G "$d")" = root:root ] || fail "after predict as $user, $d belongs to $(stat -c %U:%G "$d")"
done
echo "predict as $user through sudo -n: control-plane.json and worker.json have root's statuses ($(same "$home/predicted/control-plane.json" | jq length) and $(same "$home/predicted/worker.json" | jq length) checks) and file owners and modes; the files belong to $user"

rm -f "$rule"
set +e
msg=$(predict "$home/refused" as_user 2>&1)
code=$?
set -e
[ "$code" = 2 ] || fail "without passwordless sudo: exit $code, want 2: $msg"
case "$msg" in
  *"run as root, or where sudo works without a password"*) ;;
  *) fail "without passwordless sudo, predict does not say what is missing: $msg" ;;
esac
echo "without passwordless sudo: exit 2, \"$(printf '%s\n' "$msg" | grep -m1 'sudo works')\""
