package predict

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// configSets are the configuration sets of testdata/configs.
func configSets(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir("testdata/configs")
	if err != nil {
		t.Fatal(err)
	}
	var sets []string
	for _, e := range entries {
		if e.IsDir() {
			sets = append(sets, e.Name())
		}
	}
	if len(sets) < 8 {
		t.Fatalf("%d configuration sets in testdata/configs, want at least 8", len(sets))
	}
	return sets
}

// handWritten reads testdata/fakenode/SET.ROLE.procs: the command lines
// written down for a node, one process a line.
func handWritten(t testing.TB, set, role string) [][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata/fakenode", set+"."+role+".procs"))
	if err != nil {
		t.Fatal(err)
	}
	var procs [][]string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		procs = append(procs, strings.Fields(line))
	}
	return procs
}

// TestAssembleGivesTheHandWrittenCommandLines: for every set, the processes
// of each node carry exactly the command lines written down by hand for a
// kubeadm node of those files (args after command, a split "--flag value",
// kubeadm-flags.env after the drop-in's --config).
func TestAssembleGivesTheHandWrittenCommandLines(t *testing.T) {
	t.Parallel()
	for _, set := range configSets(t) {
		t.Run(set, func(t *testing.T) {
			t.Parallel()
			nodes, err := Assemble([]string{filepath.Join("testdata/configs", set)})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, n := range nodes {
				names = append(names, n.Name)
				var got [][]string
				for _, p := range n.Processes {
					got = append(got, p.Argv)
				}
				if d := cmp.Diff(handWritten(t, set, n.Name), got); d != "" {
					t.Errorf("node %s: command lines (-hand-written +assembled):\n%s", n.Name, d)
				}
			}
			if d := cmp.Diff([]string{"control-plane", "worker"}, names); d != "" {
				t.Errorf("nodes (-want +got):\n%s", d)
			}
			if nodes[0].Version != "1.30" {
				t.Errorf("version %q, want 1.30 (the image tags)", nodes[0].Version)
			}
			want := []string{"apiserver", "controllermanager", "etcd", "kubelet", "scheduler"}
			if d := cmp.Diff(want, nodes[0].Described); d != "" {
				t.Errorf("described (-want +got):\n%s", d)
			}
		})
	}
}

func TestAssembleFiles(t *testing.T) {
	t.Parallel()
	nodes, err := Assemble([]string{"testdata/configs/hardened"})
	if err != nil {
		t.Fatal(err)
	}
	placed := map[string]string{}
	for _, f := range nodes[0].Files {
		placed[f.Path] = f.Source
	}
	for path, src := range map[string]string{
		"/etc/kubernetes/manifests/kube-apiserver.yaml": "testdata/configs/hardened/manifests/kube-apiserver.yaml",
		"/etc/kubernetes/manifests/etcd.yaml":           "testdata/configs/hardened/manifests/etcd.yaml",
		"/var/lib/kubelet/config.yaml":                  "testdata/configs/hardened/kubelet/config.yaml",
		"/var/lib/kubelet/kubeadm-flags.env":            "testdata/configs/hardened/kubelet/kubeadm-flags.env",
		"/etc/kubernetes/admin.conf":                    "",
		"/var/lib/etcd":                                 "",
	} {
		got, ok := placed[path]
		if !ok || got != src {
			t.Errorf("%s: placed %v from %q, want from %q", path, ok, got, src)
		}
	}
}

func TestAssembleProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  []string // in the error
	}{
		{"nothing", map[string]string{"README.md": "hi"}, []string{"no control-plane component"}},
		{"broken YAML", map[string]string{"a.yaml": "kind: Pod\nspec: [", "b.yaml": "kind: [x"}, []string{"a.yaml", "b.yaml"}},
		{"two API servers", map[string]string{
			"a.yaml": "kind: Pod\nspec:\n  containers:\n  - command: [kube-apiserver]\n",
			"b.yaml": "kind: Pod\nspec:\n  containers:\n  - command: [kube-apiserver, --x]\n"}, []string{"kube-apiserver: given twice", "a.yaml", "b.yaml"}},
		{"kubelet config outside the sandbox", map[string]string{
			"k.yaml":             "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n",
			"kubeadm-flags.env":  `KUBELET_KUBEADM_ARGS="--config=/etc/kubelet.yaml"`,
			"manifests/etcd.yml": "kind: Pod\nspec:\n  containers:\n  - command: [etcd]\n"}, []string{"/etc/kubelet.yaml", "not under"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tt.files {
				p := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Assemble([]string{dir})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

func TestLastFlag(t *testing.T) {
	t.Parallel()
	argv := []string{"kubelet", "--config=/a", "--x", "--config", "/b"}
	if got := lastFlag(argv, "--config", "/d"); got != "/b" {
		t.Errorf("got %q, want /b", got)
	}
	if got := lastFlag(argv[:1], "--config", "/d"); got != "/d" {
		t.Errorf("got %q, want the default /d", got)
	}
}

func TestMinorVersion(t *testing.T) {
	t.Parallel()
	for image, want := range map[string]string{
		"registry.k8s.io/kube-apiserver:v1.30.2":   "1.30",
		"k8s.gcr.io/kube-scheduler:v1.28.0-rc.1":   "1.28",
		"registry.k8s.io/etcd:3.5.12-0":            "",
		"kube-apiserver":                           "",
		"localhost:5000/kube-apiserver":            "",
		`"registry.k8s.io/kube-apiserver:v1.31.0"`: "1.31",
	} {
		if got := minorVersion("spec:\n  containers:\n  - image: " + image + "\n"); got != want {
			t.Errorf("minorVersion(%q) = %q, want %q", image, got, want)
		}
	}
}

// TestAssembleNodeRoot: a folder laid out as the node's root has each of
// its files at that path on the node, beside the one the kubelet's
// --config names (kube-bench reads the first of its own list that exists).
func TestAssembleNodeRoot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"etc/kubernetes/kubelet/custom.yaml": "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 0\n",
		"var/lib/kubelet/config.yaml":        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n",
		"var/lib/kubelet/kubeadm-flags.env":  `KUBELET_KUBEADM_ARGS="--config=/etc/kubernetes/kubelet/custom.yaml"` + "\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	nodes, err := Assemble([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range nodes[0].Files {
		if f.Source != "" {
			got[f.Path] = string(f.Data)
		}
	}
	want := map[string]string{
		"/etc/kubernetes/kubelet/custom.yaml": files["etc/kubernetes/kubelet/custom.yaml"],
		"/var/lib/kubelet/config.yaml":        files["var/lib/kubelet/config.yaml"],
		"/var/lib/kubelet/kubeadm-flags.env":  files["var/lib/kubelet/kubeadm-flags.env"],
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("files on node %s (-want +got):\n%s", nodes[0].Name, d)
	}
}
