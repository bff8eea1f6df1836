// Package predict tells what kube-bench will say of a node before its
// configuration is applied: it builds a sandbox node from the
// configuration files a team keeps in git and runs the real kube-bench on
// it. It does not reimplement kube-bench's checks.
//
// # Assembling nodes
//
// [Assemble] reads folders of configuration with [trace.Load] (static Pod
// manifests, KubeletConfiguration files, the kubelet's systemd drop-in and
// kubeadm-flags.env, kubeadm configurations) and returns the [Node]s they
// describe: a control plane (kube-apiserver, kube-controller-manager,
// kube-scheduler, etcd and the kubelet; targets master, etcd, controlplane,
// node, policies) and a worker (the kubelet; target node). Each node lists
// the processes to start, with exactly the command line (a Pod's command,
// then its args) and environment the files give them, and the files to
// place where kube-bench looks for them: the manifests in
// /etc/kubernetes/manifests, the kubelet's config at the path its --config
// names, kubeadm-flags.env, the drop-in, and stand-ins for the kubeconfigs,
// certificates and etcd's data folder that no repository holds.
//
// # The sandbox
//
// [Sandbox.Run] builds a node in private mount and PID namespaces
// (util-linux unshare, as root or through sudo): tmpfs over
// /etc/kubernetes, /var/lib/kubelet, /var/lib/etcd, the kubelet's drop-in
// folder and /usr/local/bin, the files written there, and a do-nothing
// executable (built in: 129 bytes for linux/amd64, 152 for linux/arm64)
// started under each component's name. kube-bench finds them with ps and reads their flags,
// their /proc/PID/environ and the files exactly as on a real node, and
// prints its JSON. Nothing outside the namespaces is written but the empty
// mount points. [Build] makes a kube-bench release from the Go module
// proxy into a cache folder; [Beside] finds the cfg/ of a release binary.
//
// # What the files do not decide
//
// Some checks' inputs are not in a repository: a file's mode or owner on
// the node (1.1.x, 4.1.x), a component the files do not describe
// (kube-proxy's 4.3.1 on a kubeadm repository), the cluster-wide queries of
// the policies target. Their status in the sandbox would be a guess, so
// [Mark] gives them INFO, or the status a live baseline records for them
// (the worst of the nodes with the same role), and says so in fields of the
// result that benchresult's parser ignores: "predict" ("not predictable
// from the repository: ..."), "predict_sandbox_status" and
// "predict_status_from". Totals are counted again. Every other check is
// kube-bench's own, so exceptions, baselines, the gate and its comments
// work on the output unchanged. Which checks these are comes from what
// the catalog says each check audits ([catalog.Identity]): "mode" and
// "owner" identities, "setting" identities of a component the node's files
// do not describe, and cluster-wide "text" checks that run an audit.
//
// The package takes every path and tool as a parameter and reads no
// environment; it starts processes (unshare, kube-bench, go) and nothing
// else.
package predict
