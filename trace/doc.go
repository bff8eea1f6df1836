// Package trace finds where a kube-bench control is set in the
// configuration files a team keeps in git, and the change that fixes it.
//
// [Load] reads a directory (an [fs.FS]) of static Pod manifests,
// KubeletConfiguration files, kubelet systemd units and environment
// files (kubeadm-flags.env), kubeadm configurations (v1beta3 and v1beta4)
// and RKE2/k3s config.yaml files into a [Config]: for each component, its
// command line item by item with the file and line of each, its
// environment, and the kubelet's config keys with their lines.
//
// [Trace] takes a check kube-bench reported (benchmark, id, status) and
// returns, for each component the check's control tests, a [Finding]:
// the file and line, what kube-bench reads there and what the component
// runs with, and the [Edit]s that make it pass. [Apply] applies them.
//
// # Two readings of one command line
//
// kube-bench reads a component's command line as `ps` prints it
// (check/test.go): a flag is present when the line contains it, its value
// is the first occurrence's, and "--audit-log-maxage" "30" as two items
// reads as a bare "--audit-log-maxage", "true". The components take a
// flag's last occurrence and "--flag value" as the flag's value. Both
// take a kubelet flag over its config file, and for etcd a flag over its
// ETCD_* environment variable (kube-bench reads /proc/PID/environ for the
// etcd checks' env tests). kube-bench takes as the kubelet's config file
// the first of its candidate paths that exists (/var/lib/kubelet/config.yaml,
// ...), not the file the kubelet's --config names. Where the two readings
// give different verdicts, [Finding.Disagreement] says so, beside
// kube-bench's status, without changing it.
//
// These rules are kube-bench v0.14.1's (check/test.go, check/check.go,
// cmd/common.go, cfg/config.yaml); the package's predictions were held
// against the real kube-bench v0.14.1 on a fake node built from each of
// the test sets, and predict's against v0.15.6 as well, with the same
// results check by check.
//
// The package runs nothing and reads only the [fs.FS] it is given.
package trace
