package render_test

import (
	"strings"
	"testing"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/render"
	"github.com/google/go-cmp/cmp"
)

func TestFixAndShort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		bench, target, id string
		fix, short        string
	}{
		{"cis-1.10", "master", "1.2.15",
			"set `--profiling=false` in kube-apiserver's command line, `/etc/kubernetes/manifests/kube-apiserver.yaml`",
			"`--profiling` not false"},
		{"cis-1.10", "master", "1.2.3",
			"add `DenyServiceExternalIPs` to `--enable-admission-plugins` in kube-apiserver's command line, `/etc/kubernetes/manifests/kube-apiserver.yaml`",
			"`--enable-admission-plugins` lacks DenyServiceExternalIPs"},
		{"cis-1.10", "node", "4.2.1",
			"set `authentication.anonymous.enabled: false` in the kubelet config file, `/var/lib/kubelet/config.yaml` (or set `--anonymous-auth=false` in kubelet's command line, `/etc/systemd/system/kubelet.service.d/10-kubeadm.conf`)",
			"`--anonymous-auth` not false"},
		{"cis-1.10", "node", "4.2.4", // "or": the item that sets a value, not the one passing when absent
			"set `readOnlyPort: 0` in the kubelet config file, `/var/lib/kubelet/config.yaml` (or set `--read-only-port=0` in kubelet's command line, `/etc/systemd/system/kubelet.service.d/10-kubeadm.conf`)",
			"`--read-only-port` not 0"},
		{"cis-1.10", "master", "1.1.1",
			"run `chmod 600 /etc/kubernetes/manifests/kube-apiserver.yaml` (or more restrictive)",
			"`kube-apiserver.yaml` mode not 600"},
		{"cis-1.10", "master", "1.1.12",
			"run `chown etcd:etcd /var/lib/etcd`",
			"`/var/lib/etcd` not owned by etcd:etcd"},
		{"cis-1.10", "etcd", "2.1", // "and" of two flags with no value: the cluster's own
			"set `--cert-file` and `--key-file` to your cluster's values in etcd's command line, `/etc/kubernetes/manifests/etcd.yaml`",
			"cert-file and key-file arguments are set as appropriate"},
		{"no-such-benchmark", "master", "1.2.15", "", "profiling argument is set to false"},
		// EKS keeps the kubelet's files elsewhere: the change, no kubeadm path.
		{"eks-1.5.0", "node", "3.2.1",
			"set `authentication.anonymous.enabled: false` in the kubelet config file (or set `--anonymous-auth=false` in kubelet's command line)",
			"`--anonymous-auth` not false"},
	}
	for _, tt := range tests {
		t.Run(tt.bench+"/"+tt.id, func(t *testing.T) {
			t.Parallel()
			text := "Ensure that the profiling argument is set to false (Automated)"
			if tt.id == "2.1" {
				text = "Ensure that the cert-file and key-file arguments are set as appropriate (Automated)"
			}
			c := &benchresult.Control{Benchmark: tt.bench, Target: benchresult.Target(tt.target), ID: tt.id, Text: text}
			if diff := cmp.Diff(tt.fix, render.Fix(c)); diff != "" {
				t.Errorf("Fix (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.short, render.Short(c)); diff != "" {
				t.Errorf("Short (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRemediationMarkdown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []string
	}{
		{"stray backticks and a joined paragraph",
			"If using a Kubelet config file, edit the file to set `authentication: anonymous: enabled` to\n`false`.\nIf using executable arguments, edit the kubelet service file\n`--anonymous-auth=false`\n",
			[]string{"If using a Kubelet config file, edit the file to set authentication: anonymous: enabled to false. If using executable arguments, edit the kubelet service file", "`--anonymous-auth=false`"}},
		{"on the each worker node, and a command after For example",
			"Run the below command (based on the file location on your system) on the each worker node.\nFor example, chmod 600 /etc/kubernetes/proxy.conf",
			[]string{"Run the below command (based on the file location on your system) on each worker node. For example,", "`chmod 600 /etc/kubernetes/proxy.conf`"}},
		{"commands on their own lines",
			"Based on your system, restart the kubelet service. For example,\nsystemctl daemon-reload\nsystemctl restart kubelet.service",
			[]string{"Based on your system, restart the kubelet service. For example,", "`systemctl daemon-reload`", "`systemctl restart kubelet.service`"}},
		{"markup and mentions are escaped", "Ask @security-team <b>now</b> | see #12",
			[]string{"Ask @&#8203;security-team &lt;b&gt;now&lt;/b&gt; \\| see #&#8203;12"}},
		{"words that merely contain each are kept", "Set the eachTimeout; on the each-node list", []string{"Set the eachTimeout; on the each-node list"}},
		{"empty", "  \n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, render.RemediationMarkdown(tt.in)); diff != "" {
				t.Errorf("RemediationMarkdown (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLinksLine(t *testing.T) {
	t.Parallel()
	l := render.Links{Blob: "https://github.com/acme/infra/blob/abc", Root: "/home/runner/work/infra/infra"}
	tests := []struct {
		file string
		line int
		want string
	}{
		{"kube-bench-exceptions.yaml", 14, "https://github.com/acme/infra/blob/abc/kube-bench-exceptions.yaml#L14"},
		{"/home/runner/work/infra/infra/ci/exceptions file.yaml", 3, "https://github.com/acme/infra/blob/abc/ci/exceptions%20file.yaml#L3"},
		{"./ci/x.yaml", 0, "https://github.com/acme/infra/blob/abc/ci/x.yaml"},
		{"/etc/elsewhere.yaml", 3, ""},
		{"../outside.yaml", 3, ""},
		{"", 3, ""},
	}
	for _, tt := range tests {
		if got := l.Line(tt.file, tt.line); got != tt.want {
			t.Errorf("Line(%q, %d) = %q, want %q", tt.file, tt.line, got, tt.want)
		}
	}
	if got := (render.Links{}).Line("a.yaml", 1); got != "" {
		t.Errorf("zero Links link %q", got)
	}
}

func TestSameBodyIgnoresTicks(t *testing.T) {
	t.Parallel()
	a := "<!-- m -->\n- [ ] **1.1.1** x\nLast updated by [this run](u1). <!-- bench-action:run -->\n"
	b := "<!-- m -->\n- [x] **1.1.1** x\nLast updated by [this run](u2). <!-- bench-action:run -->\n"
	if !render.SameBody(a, b) {
		t.Error("a ticked box and another run link make a different body")
	}
	if render.SameBody(a, strings.Replace(b, "1.1.1", "1.1.2", 1)) {
		t.Error("another control is the same body")
	}
}
