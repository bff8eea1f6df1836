package trace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// fuzzTrace loads a directory, traces every check of the benchmark and
// applies every suggested change: nothing may panic, and every change
// must apply to the file it names (its Old text is the file's).
func fuzzTrace(t *testing.T, fsys fstest.MapFS) {
	cfg, _ := Load(fsys)
	if cfg == nil {
		t.Fatal("Load returned no Config")
	}
	for _, f := range TraceBenchmark(cfg, benchmark) {
		byFile := map[string][]Edit{}
		for _, e := range f.Fix {
			byFile[e.File] = append(byFile[e.File], e)
		}
		for p, es := range byFile {
			file, ok := fsys[p]
			if !ok {
				t.Fatalf("%s %s: an edit names %s, not in the directory", f.ID, f.Component, p)
			}
			if _, err := Apply(file.Data, es); err != nil {
				t.Fatalf("%s %s: %v", f.ID, f.Component, err)
			}
		}
	}
}

func seedFiles(f *testing.F, pattern string) {
	matches, _ := filepath.Glob(pattern)
	for _, m := range matches {
		if data, err := os.ReadFile(m); err == nil {
			f.Add(data)
		}
	}
}

// FuzzYAML: Pod manifests, KubeletConfiguration, kubeadm and RKE2 files.
func FuzzYAML(f *testing.F) {
	seedFiles(f, "testdata/*/etc/kubernetes/manifests/*.yaml")
	seedFiles(f, "testdata/*/var/lib/kubelet/config.yaml")
	seedFiles(f, "testdata/kubeadm-*/kubeadm-config.yaml")
	seedFiles(f, "testdata/rke2/etc/rancher/rke2/config.yaml")
	f.Add([]byte("kind: Pod\nspec:\n  containers:\n  - command: [kube-apiserver, --profiling]\n    args: [--audit-log-maxage, \"30\"]\n"))
	f.Add([]byte("apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer: {}\nscheduler:\n  extraArgs: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzTrace(t, fstest.MapFS{"f.yaml": {Data: data}})
	})
}

// FuzzSystemd: a kubelet unit drop-in with its environment file.
func FuzzSystemd(f *testing.F) {
	seedFiles(f, "testdata/*/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf")
	f.Add([]byte("[Service]\nEnvironment=\"A=--read-only-port=10255\" B=--x\nExecStart=/usr/bin/kubelet $A ${B} --anonymous-auth=true\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzTrace(t, fstest.MapFS{
			"kubelet.service.d/10-kubeadm.conf": {Data: data},
			"var/lib/kubelet/kubeadm-flags.env": {Data: []byte("KUBELET_KUBEADM_ARGS=\"--read-only-port=10255\"\n")},
		})
	})
}

// FuzzEnvFile: kubeadm-flags.env and /etc/default/kubelet.
func FuzzEnvFile(f *testing.F) {
	seedFiles(f, "testdata/*/var/lib/kubelet/kubeadm-flags.env")
	seedFiles(f, "testdata/*/etc/sysconfig/kubelet")
	f.Add([]byte("KUBELET_EXTRA_ARGS='--anonymous-auth=true --authorization-mode=AlwaysAllow'\nexport X=1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzTrace(t, fstest.MapFS{"kubeadm-flags.env": {Data: data}})
	})
}

// FuzzCommandLine: kube-bench's reading and the component's of a command
// line, item by item ("\x00" separates items).
func FuzzCommandLine(f *testing.F) {
	f.Add("--profiling=false\x00--profiling=true", "--profiling")
	f.Add("--audit-log-maxage\x0030", "--audit-log-maxage")
	f.Add("--feature-gates=RotateKubeletServerCertificate=true", "RotateKubeletServerCertificate")
	f.Add("--x=--anonymous-auth\x00-v\x00--", "--anonymous-auth")
	f.Fuzz(func(t *testing.T, line, flag string) {
		c := &Component{Name: APIServer}
		for _, a := range strings.Split(line, "\x00") {
			c.Args = append(c.Args, Arg{Text: a})
		}
		v, arg, found := kubeBenchFlag(c, flag)
		if found && arg >= len(c.Args) {
			t.Fatalf("match in item %d of %d", arg, len(c.Args))
		}
		if !found && (v != "" || arg != -1) {
			t.Fatalf("not found, but value %q item %d", v, arg)
		}
		if found && arg >= 0 && !strings.Contains(c.CommandLine(), flag) {
			t.Fatalf("found %q in %q", flag, c.CommandLine())
		}
		for _, u := range parseFlags(c.Args) {
			if u.arg < 0 || u.arg >= len(c.Args) || u.valueArg < u.arg || u.valueArg >= len(c.Args) {
				t.Fatalf("flag %+v outside the %d items", u, len(c.Args))
			}
		}
	})
}
