package trace

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// view is what the load tests compare of a component: each item with
// the line it is on ("text@line", "text@default").
type view struct {
	Name, Source, File string
	Args               []string
	Env                []string
	KubeletConfig      string
}

func views(cfg *Config) []view {
	var out []view
	for _, c := range cfg.Components {
		v := view{Name: c.Name, Source: string(c.Source), File: c.File}
		for _, a := range c.Args {
			if a.Default {
				v.Args = append(v.Args, a.Text+"@default")
				continue
			}
			v.Args = append(v.Args, fmt.Sprintf("%s@%s:%d", a.Text, a.Pos.File, a.Pos.Line))
		}
		for _, e := range c.Env {
			v.Env = append(v.Env, fmt.Sprintf("%s=%s@%d", e.Name, e.Value, e.Pos.Line))
		}
		if c.KubeletConfig != nil {
			v.KubeletConfig = c.KubeletConfig.File
		}
		out = append(out, v)
	}
	return out
}

func mapFS(files ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i+1 < len(files); i += 2 {
		m[files[i]] = &fstest.MapFile{Data: []byte(files[i+1])}
	}
	return m
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		want    []view
		wantErr string
	}{
		{
			name: "pod: args extend command, a split pair stays two items, env",
			fsys: mapFS("etcd.yaml", `apiVersion: v1
kind: Pod
spec:
  containers:
  - name: etcd
    command: ["etcd", "--data-dir=/var/lib/etcd"]
    args:
    - --snapshot-count
    - "10000"
    env:
    - name: ETCD_CLIENT_CERT_AUTH
      value: "true"
`),
			want: []view{{Name: Etcd, Source: "pod manifest", File: "etcd.yaml",
				Args: []string{"--data-dir=/var/lib/etcd@etcd.yaml:6", "--snapshot-count@etcd.yaml:8", "10000@etcd.yaml:9"},
				Env:  []string{"ETCD_CLIENT_CERT_AUTH=true@11"}}},
		},
		{
			name: "pod without command: the container's name, args alone",
			fsys: mapFS("m/sched.yml", "kind: Pod\napiVersion: v1\nspec:\n  containers:\n  - name: kube-scheduler\n    args: [--profiling=false]\n  - name: sidecar\n    command: [sleep]\n"),
			want: []view{{Name: Scheduler, Source: "pod manifest", File: "m/sched.yml", Args: []string{"--profiling=false@m/sched.yml:6"}}},
		},
		{
			name: "multi-document file: other kinds are skipped",
			fsys: mapFS("all.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command:\n    - /usr/local/bin/kube-controller-manager\n    - --profiling=false\n"),
			want: []view{{Name: ControllerManager, Source: "pod manifest", File: "all.yaml", Args: []string{"--profiling=false@all.yaml:11"}}},
		},
		{
			name: "systemd: ExecStart with variables from Environment= and an EnvironmentFile",
			fsys: mapFS(
				"systemd/kubelet.service", "[Service]\nExecStart=/usr/bin/kubelet\n",
				"systemd/kubelet.service.d/10-kubeadm.conf", "[Service]\nEnvironment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\nEnvironmentFile=-/etc/default/kubelet\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS ${KUBELET_EXTRA_ARGS} --v=2\n",
				"etc/default/kubelet", "KUBELET_EXTRA_ARGS=--read-only-port=0 --anonymous-auth=false\n",
				"var/lib/kubelet/config.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n",
			),
			want: []view{
				{Name: Kubelet, Source: "systemd unit", File: "systemd/kubelet.service.d/10-kubeadm.conf",
					Args: []string{
						"--config=/var/lib/kubelet/config.yaml@systemd/kubelet.service.d/10-kubeadm.conf:2",
						"--read-only-port=0@etc/default/kubelet:1", "--anonymous-auth=false@etc/default/kubelet:1",
						"--v=2@systemd/kubelet.service.d/10-kubeadm.conf:5",
					},
					KubeletConfig: "var/lib/kubelet/config.yaml"},
			},
		},
		{
			name: "kubeadm-flags.env alone: kubeadm's drop-in around it",
			fsys: mapFS("kubeadm-flags.env", `KUBELET_KUBEADM_ARGS="--node-ip=10.0.0.2 --read-only-port=10255"`+"\n"),
			want: []view{{Name: Kubelet, Source: "environment file", File: "kubeadm-flags.env", Args: []string{
				"--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf@default", "--kubeconfig=/etc/kubernetes/kubelet.conf@default",
				"--config=/var/lib/kubelet/config.yaml@default", "--node-ip=10.0.0.2@kubeadm-flags.env:1", "--read-only-port=10255@kubeadm-flags.env:1",
			}}},
		},
		{
			name: "kubeadm v1beta3: extraArgs replace kubeadm's flags of the same name, sorted",
			fsys: mapFS("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nscheduler:\n  extraArgs:\n    profiling: \"false\"\n    bind-address: 0.0.0.0\n"),
			want: []view{
				{Name: APIServer, Source: "kubeadm", File: "kubeadm.yaml", Args: defaultsView(APIServer)},
				{Name: ControllerManager, Source: "kubeadm", File: "kubeadm.yaml", Args: defaultsView(ControllerManager)},
				{Name: Scheduler, Source: "kubeadm", File: "kubeadm.yaml", Args: []string{
					"--authentication-kubeconfig=/etc/kubernetes/scheduler.conf@default", "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf@default",
					"--bind-address=0.0.0.0@kubeadm.yaml:6", "--kubeconfig=/etc/kubernetes/scheduler.conf@default", "--leader-elect=true@default",
					"--profiling=false@kubeadm.yaml:5",
				}},
				{Name: Etcd, Source: "kubeadm", File: "kubeadm.yaml", Args: defaultsView(Etcd)},
			},
		},
		{
			name: "kubeadm v1beta4: list form, repeated names kept in order; kubeletExtraArgs",
			fsys: mapFS("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n  - name: read-only-port\n    value: \"0\"\n  - name: read-only-port\n    value: \"10255\"\n"),
			want: []view{{Name: Kubelet, Source: "kubeadm", File: "kubeadm.yaml", Args: []string{
				"--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf@default", "--kubeconfig=/etc/kubernetes/kubelet.conf@default",
				"--config=/var/lib/kubelet/config.yaml@default", "--read-only-port=0@kubeadm.yaml:6", "--read-only-port=10255@kubeadm.yaml:8",
			}}},
		},
		{
			name: "rke2: one component per key, a single string too",
			fsys: mapFS("etc/rancher/k3s/config.yaml", "write-kubeconfig-mode: \"0600\"\nkubelet-arg: \"read-only-port=0\"\nkube-apiserver-arg:\n- anonymous-auth=false\n"),
			want: []view{
				{Name: APIServer, Source: "rke2/k3s config", File: "etc/rancher/k3s/config.yaml", Args: []string{"--anonymous-auth=false@etc/rancher/k3s/config.yaml:4"}},
				{Name: ControllerManager, Source: "rke2/k3s config", File: "etc/rancher/k3s/config.yaml"},
				{Name: Scheduler, Source: "rke2/k3s config", File: "etc/rancher/k3s/config.yaml"},
				{Name: Etcd, Source: "rke2/k3s config", File: "etc/rancher/k3s/config.yaml"},
				{Name: Kubelet, Source: "rke2/k3s config", File: "etc/rancher/k3s/config.yaml", Args: []string{"--read-only-port=0@etc/rancher/k3s/config.yaml:2"}},
				{Name: Proxy, Source: "rke2/k3s config", File: "etc/rancher/k3s/config.yaml"},
			},
		},
		{
			name: "a bad file is named with its line; the others are still read",
			fsys: mapFS(
				"a/bad.yaml", "kind: Pod\nspec:\n  containers: [\n",
				"b/sched.yaml", "kind: Pod\nspec:\n  containers:\n  - command: [kube-scheduler, --profiling=true]\n",
				"README.md", "not read",
			),
			want:    []view{{Name: Scheduler, Source: "pod manifest", File: "b/sched.yaml", Args: []string{"--profiling=true@b/sched.yaml:4"}}},
			wantErr: "read configs a/bad.yaml: yaml: line 3:",
		},
		{
			// YAML reads a lone CR (and NEL, U+2028, U+2029) as a line
			// break, GitHub does not: lines after it would be misnamed
			name: "a line break GitHub does not count is refused with its line",
			fsys: mapFS(
				"a/cr.yaml", "kind: Pod\nspec:\r  containers:\n  - command: [kube-apiserver, --profiling=true]\n",
				"b/ls.yaml", "kind: Pod\nspec:\n  containers:\n  - command: [kube-scheduler,\u2028--profiling=true]\n",
			),
			wantErr: "read configs a/cr.yaml: line 2: a carriage return without a line feed, which YAML reads as a line break and GitHub does not; replace it with a line feed\n" +
				"read configs b/ls.yaml: line 4: a line separator (U+2028)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Load(tt.fsys)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Load: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Load error %v, want one containing %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, views(cfg)); diff != "" {
				t.Errorf("Load (-want +got):\n%s", diff)
			}
		})
	}
}

func defaultsView(name string) []string {
	var out []string
	for _, d := range kubeadmDefaults[name] {
		out = append(out, d+"@default")
	}
	return out
}

// TestKubeBenchReading holds kube-bench v0.14.1's reading of a command
// line (check/test.go flagTestItem.findValue) against the component's.
func TestKubeBenchReading(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		args            []string
		flag            string
		kbValue         string
		kbFound         bool
		effValue        string
		effFound        bool
		kbArg, effArg   int
		effSplitValueAt int
	}{
		{name: "--flag=value", args: []string{"--profiling=false"}, flag: "--profiling", kbValue: "false", kbFound: true, effValue: "false", effFound: true},
		{name: "bare boolean", args: []string{"--profiling"}, flag: "--profiling", kbValue: "true", kbFound: true, effValue: "true", effFound: true},
		{name: "first for kube-bench, last for the component", args: []string{"--profiling=false", "--v=2", "--profiling=true"}, flag: "--profiling",
			kbValue: "false", kbFound: true, effValue: "true", effFound: true, effArg: 2},
		{name: "a split pair reads as true to kube-bench", args: []string{"--audit-log-maxage", "30"}, flag: "--audit-log-maxage",
			kbValue: "true", kbFound: true, effValue: "30", effFound: true},
		{name: "a boolean does not take the next item", args: []string{"--anonymous-auth", "false"}, flag: "--anonymous-auth",
			kbValue: "true", kbFound: true, effValue: "true", effFound: true},
		{name: "absent", args: []string{"--v=2"}, flag: "--profiling", kbArg: -1, effArg: -1},
		{name: "kube-bench finds a flag inside another item", args: []string{"--feature-gates=X=true", "--x=--profiling=false"}, flag: "--profiling",
			kbValue: "false", kbFound: true, kbArg: 1, effArg: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &Component{Name: APIServer}
			for _, a := range tt.args {
				c.Args = append(c.Args, Arg{Text: a})
			}
			v, arg, found := kubeBenchFlag(c, tt.flag)
			last, _, ok := lastFlag(c.Args, tt.flag)
			effArg := -1
			if ok {
				effArg = last.arg
			}
			got := []any{v, found, arg, last.value, ok, effArg}
			want := []any{tt.kbValue, tt.kbFound, tt.kbArg, tt.effValue, tt.effFound, tt.effArg}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("readings of %q (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

func TestApply(t *testing.T) {
	t.Parallel()
	content := []byte("a\nb\nc\nd\n")
	tests := []struct {
		name    string
		edits   []Edit
		want    string
		wantErr string
	}{
		{name: "replace, insert and delete", edits: []Edit{
			{Line: 4, EndLine: 4, Old: "d", New: ""},
			{Line: 1, EndLine: 1, Old: "a", New: "A"},
			{Line: 2, EndLine: 3, Old: "b\nc", New: "b\nx\nc"},
		}, want: "A\nb\nx\nc\n"},
		{name: "the file changed under the edit", edits: []Edit{{File: "f", Line: 2, EndLine: 2, Old: "B", New: "x"}}, wantErr: `apply edit to f: line 2 is "b", not "B"`},
		{name: "overlap", edits: []Edit{{Line: 1, EndLine: 2, Old: "a\nb"}, {Line: 2, EndLine: 2, Old: "b"}}, wantErr: "overlap"},
		{name: "outside", edits: []Edit{{Line: 9, Old: "x"}}, wantErr: "outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Apply(content, tt.edits)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Apply error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Apply (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPathMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		node, file string
		want       bool
	}{
		{"/var/lib/kubelet/config.yaml", "var/lib/kubelet/config.yaml", true},
		{"/var/lib/kubelet/config.yaml", "node-1/var/lib/kubelet/config.yaml", true},
		{"/var/lib/kubelet/config.yaml", "kubelet/config.yaml", true},
		{"/var/lib/kubelet/config.yaml", "config.yaml", false},
		{"/var/lib/kubelet/config.yaml", "rancher/config.yaml", false},
		{"/etc/default/kubelet", "etc/sysconfig/kubelet", false},
	}
	for _, tt := range tests {
		if got := pathMatches(tt.node, tt.file); got != tt.want {
			t.Errorf("pathMatches(%q, %q) = %v, want %v", tt.node, tt.file, got, tt.want)
		}
	}
}

// TestTwoNodes: a directory with a control plane's and a worker's files
// gives each kubelet its own config, and kube-bench's $kubeletconf on
// each node is that node's first candidate path.
func TestTwoNodes(t *testing.T) {
	t.Parallel()
	kc := func(port string) string {
		return "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: " + port + "\n"
	}
	fsys := mapFS(
		"cp/var/lib/kubelet/kubeadm-flags.env", `KUBELET_KUBEADM_ARGS="--node-ip=10.0.0.1"`+"\n",
		"cp/var/lib/kubelet/config.yaml", kc("0"),
		"cp/etc/kubernetes/kubelet-config.yaml", kc("10250"),
		"worker/var/lib/kubelet/kubeadm-flags.env", `KUBELET_KUBEADM_ARGS="--node-ip=10.0.0.2"`+"\n",
		"worker/var/lib/kubelet/config.yaml", kc("10255"),
	)
	cfg := load(t, fsys)
	var got []string
	for _, c := range cfg.Lookup(Kubelet) {
		got = append(got, c.File+" runs "+c.KubeletConfig.File+", kube-bench reads "+c.kbConfigFile)
	}
	want := []string{
		"cp/var/lib/kubelet/kubeadm-flags.env runs cp/var/lib/kubelet/config.yaml, kube-bench reads cp/etc/kubernetes/kubelet-config.yaml",
		"worker/var/lib/kubelet/kubeadm-flags.env runs worker/var/lib/kubelet/config.yaml, kube-bench reads worker/var/lib/kubelet/config.yaml",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("kubelets (-want +got):\n%s", diff)
	}
}
