package trace

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bench-action/bench-action/internal/golden"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/benchresult"
)

const benchmark = "cis-1.10"

// sets are the configuration sets under testdata/.
var sets = []string{
	"kubeadm-default", "hardened",
	"anonymous-auth", "kubelet-read-only-port", "kubelet-always-allow", "etcd-client-cert-auth",
	"audit-log-removed", "flag-moved-to-args", "kubelet-flag-override", "duplicate-profiling",
	"split-audit-log-maxage", "etcd-env",
	"kubelet-config-elsewhere", "kubeadm-v1beta3", "kubeadm-v1beta4", "rke2",
}

// single-change regressions of the hardened set
var regressions = []string{
	"anonymous-auth", "kubelet-read-only-port", "kubelet-always-allow", "etcd-client-cert-auth",
	"audit-log-removed", "flag-moved-to-args", "kubelet-flag-override", "duplicate-profiling",
	"split-audit-log-maxage", "etcd-env",
}

// readSet copies a set into memory, so tests can edit it.
func readSet(t testing.TB, name string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	root := filepath.Join("testdata", name)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data, Mode: 0o644}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func load(t testing.TB, fsys fs.FS) *Config {
	t.Helper()
	cfg, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return cfg
}

// short is what the table tests compare of a finding.
type short struct {
	Component    string
	At           string // file:line
	KubeBench    bool
	Effective    bool
	Disagreement string
	Fix          []Edit
	Advice       string
}

func shorten(fs []Finding) []short {
	var out []short
	for _, f := range fs {
		out = append(out, short{f.Component, fmt.Sprintf("%s:%d", f.File, f.Line), f.KubeBenchPasses, f.Passes, f.Disagreement, f.Fix, f.Advice})
	}
	return out
}

const apiserver = "etc/kubernetes/manifests/kube-apiserver.yaml"

func TestTrace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		set    string
		id     string
		status benchresult.Status
		want   []short
	}{
		{
			name: "anonymous auth on the API server: the changed line, and its fix",
			set:  "anonymous-auth", id: "1.2.1", status: benchresult.Warn,
			want: []short{{Component: APIServer, At: apiserver + ":19", Fix: []Edit{{File: apiserver, Line: 19, EndLine: 19,
				Old: "    - --anonymous-auth=true", New: "    - --anonymous-auth=false"}}}},
		},
		{
			name: "kubelet read-only port in the config file",
			set:  "kubelet-read-only-port", id: "4.2.4", status: benchresult.Warn,
			want: []short{{Component: Kubelet, At: "var/lib/kubelet/config.yaml:44", Fix: []Edit{{File: "var/lib/kubelet/config.yaml", Line: 44, EndLine: 44,
				Old: "readOnlyPort: 10255", New: "readOnlyPort: 0"}}}},
		},
		{
			name: "kubelet AlwaysAllow",
			set:  "kubelet-always-allow", id: "4.2.2", status: benchresult.Fail,
			want: []short{{Component: Kubelet, At: "var/lib/kubelet/config.yaml:11", Fix: []Edit{{File: "var/lib/kubelet/config.yaml", Line: 11, EndLine: 11,
				Old: "  mode: AlwaysAllow", New: "  mode: Webhook"}}}},
		},
		{
			name: "etcd client-cert-auth off",
			set:  "etcd-client-cert-auth", id: "2.2", status: benchresult.Fail,
			want: []short{{Component: Etcd, At: "etc/kubernetes/manifests/etcd.yaml:15", Fix: []Edit{{File: "etc/kubernetes/manifests/etcd.yaml", Line: 15, EndLine: 15,
				Old: "    - --client-cert-auth=false", New: "    - --client-cert-auth=true"}}}},
		},
		{
			name: "audit log flags removed: the flag goes back in its sorted place, where it was",
			set:  "audit-log-removed", id: "1.2.17", status: benchresult.Fail,
			want: []short{{Component: APIServer, At: apiserver + ":20", Fix: []Edit{{File: apiserver, Line: 19, EndLine: 19,
				Old: "    - --anonymous-auth=false",
				New: "    - --anonymous-auth=false\n    - --audit-log-maxage=30"}}}},
		},
		{
			name: "audit log path removed: no value to suggest, but the place",
			set:  "audit-log-removed", id: "1.2.16", status: benchresult.Fail,
			want: []short{{Component: APIServer, At: apiserver + ":20", Advice: "set `--audit-log-path` on kube-apiserver (set): the value is yours to choose"}},
		},
		{
			name: "a flag moved from command to args: kube-bench and the server both see it",
			set:  "flag-moved-to-args", id: "1.2.15", status: benchresult.Pass,
			want: []short{{Component: APIServer, At: apiserver + ":14", KubeBench: true, Effective: true}},
		},
		{
			name: "a kubelet flag on the command line overrides the config file",
			set:  "kubelet-flag-override", id: "4.2.1", status: benchresult.Fail,
			want: []short{{Component: Kubelet, At: "etc/sysconfig/kubelet:1", Fix: []Edit{{File: "etc/sysconfig/kubelet", Line: 1, EndLine: 1,
				Old: `KUBELET_EXTRA_ARGS="--anonymous-auth=true"`, New: `KUBELET_EXTRA_ARGS="--anonymous-auth=false"`}}}},
		},
		{
			name: "duplicate --profiling: kube-bench passes on the first, the server runs the last",
			set:  "duplicate-profiling", id: "1.2.15", status: benchresult.Pass,
			want: []short{{Component: APIServer, At: apiserver + ":56", KubeBench: true,
				Disagreement: "kube-bench passes 1.2.15, but kube-apiserver runs with `--profiling=true` from line 56 of " + apiserver +
					" (kube-bench reads the first of 2 occurrences, `--profiling=false` on line 38; the last one wins)",
				Fix: []Edit{{File: apiserver, Line: 56, EndLine: 56, Old: "    - --profiling=true"}}}},
		},
		{
			name: "split --audit-log-maxage 30: kube-bench fails, the server runs with 30",
			set:  "split-audit-log-maxage", id: "1.2.17", status: benchresult.Fail,
			want: []short{{Component: APIServer, At: apiserver + ":20", Effective: true,
				Disagreement: "kube-bench fails 1.2.17, but kube-apiserver runs with `--audit-log-maxage=30` from line 20 of " + apiserver +
					" (kube-bench reads `--audit-log-maxage`, `30` as two items: the flag alone, as `true`)",
				Fix: []Edit{{File: apiserver, Line: 20, EndLine: 21, Old: "    - --audit-log-maxage\n    - \"30\"", New: "    - --audit-log-maxage=30"}}}},
		},
		{
			name: "etcd from ETCD_* environment: etcd and kube-bench both read it",
			set:  "etcd-env", id: "2.2", status: benchresult.Pass,
			want: []short{{Component: Etcd, At: "etc/kubernetes/manifests/etcd.yaml:11", KubeBench: true, Effective: true}},
		},
		{
			name: "kubeadm v1beta3: a missing flag goes into apiServer.extraArgs",
			set:  "kubeadm-v1beta3", id: "1.2.19", status: benchresult.Fail,
			want: []short{{Component: APIServer, At: "kubeadm-config.yaml:18", Fix: []Edit{{File: "kubeadm-config.yaml", Line: 17, EndLine: 17,
				Old: `    audit-log-maxbackup: "10"`, New: "    audit-log-maxbackup: \"10\"\n    audit-log-maxsize: \"100\""}}}},
		},
		{
			name: "kubeadm v1beta3: an empty section is opened",
			set:  "kubeadm-v1beta3", id: "1.4.1", status: benchresult.Fail,
			want: []short{{Component: Scheduler, At: "kubeadm-config.yaml:21", Fix: []Edit{{File: "kubeadm-config.yaml", Line: 21, EndLine: 21,
				Old: "scheduler: {}", New: "scheduler:\n  extraArgs:\n    profiling: \"false\""}}}},
		},
		{
			name: "kubeadm v1beta3: kubeadm's own flags decide 1.2.8",
			set:  "kubeadm-v1beta3", id: "1.2.8", status: benchresult.Pass,
			want: []short{{Component: APIServer, At: "kubeadm-config.yaml:11", KubeBench: true, Effective: true}},
		},
		{
			name: "kubeadm v1beta4: the value of a list item",
			set:  "kubeadm-v1beta4", id: "1.2.15", status: benchresult.Fail,
			want: []short{{Component: APIServer, At: "kubeadm-config.yaml:9", Fix: []Edit{{File: "kubeadm-config.yaml", Line: 9, EndLine: 9,
				Old: `    value: "true"`, New: `    value: "false"`}}}},
		},
		{
			name: "kubeadm v1beta4: etcd.local.extraArgs",
			set:  "kubeadm-v1beta4", id: "2.2", status: benchresult.Fail,
			want: []short{{Component: Etcd, At: "kubeadm-config.yaml:20", Fix: []Edit{{File: "kubeadm-config.yaml", Line: 20, EndLine: 20,
				Old: `      value: "false"`, New: `      value: "true"`}}}},
		},
		{
			name: "kubeadm v1beta4: kubeletExtraArgs",
			set:  "kubeadm-v1beta4", id: "4.2.4", status: benchresult.Warn,
			want: []short{{Component: Kubelet, At: "kubeadm-config.yaml:27", Fix: []Edit{{File: "kubeadm-config.yaml", Line: 27, EndLine: 27,
				Old: `    value: "10255"`, New: `    value: "0"`}}}},
		},
		{
			name: "RKE2: a kube-apiserver-arg item",
			set:  "rke2", id: "1.2.15", status: benchresult.Fail,
			want: []short{{Component: APIServer, At: "etc/rancher/rke2/config.yaml:6", Fix: []Edit{{File: "etc/rancher/rke2/config.yaml", Line: 6, EndLine: 6,
				Old: `  - "profiling=true"`, New: `  - "profiling=false"`}}}},
		},
		{
			name: "RKE2: a key that is not there yet",
			set:  "rke2", id: "1.4.1", status: benchresult.Fail,
			want: []short{{Component: Scheduler, At: "etc/rancher/rke2/config.yaml:13", Fix: []Edit{{File: "etc/rancher/rke2/config.yaml", Line: 12, EndLine: 12,
				Old: `  - "streaming-connection-idle-timeout=5m"`, New: "  - \"streaming-connection-idle-timeout=5m\"\nkube-scheduler-arg:\n  - \"profiling=false\""}}}},
		},
		{
			name: "a file permission check is not traced",
			set:  "hardened", id: "1.1.1", status: benchresult.Fail,
		},
		{
			name: "an unknown check",
			set:  "hardened", id: "9.9.9", status: benchresult.Fail,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := load(t, readSet(t, tt.set))
			got := shorten(Trace(cfg, Check{Benchmark: benchmark, ID: tt.id, Status: tt.status}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Trace %s %s (-want +got):\n%s", tt.set, tt.id, diff)
			}
		})
	}
}

// failing is the set of checks kube-bench would not pass on the files,
// by id and component.
func failing(fs []Finding) map[string]Finding {
	out := map[string]Finding{}
	for _, f := range fs {
		if !f.KubeBenchPasses || !f.Passes {
			out[f.ID+" "+f.Component] = f
		}
	}
	return out
}

// changedLines returns the lines of b that differ from a (a line-based
// diff by longest common subsequence), and for lines only deleted, the
// line of b after which they were.
func changedLines(a, b string) []int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(al), len(bl)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if al[i] == bl[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []int
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && al[i] == bl[j]:
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, j+1) // added in b
			j++
		default:
			out = append(out, j) // deleted from a: after line j of b
			i++
		}
	}
	return out
}

// TestRegressionsPointAtTheChange: every check a single change breaks is
// annotated on a line the change touched (for a deletion, where the
// deleted flag is added back).
func TestRegressionsPointAtTheChange(t *testing.T) {
	t.Parallel()
	base := readSet(t, "hardened")
	before := failing(TraceBenchmark(load(t, base), benchmark))
	for _, name := range regressions {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			set := readSet(t, name)
			changed := map[string]map[int]bool{}
			for p, f := range set {
				old := ""
				if bf, ok := base[p]; ok {
					old = string(bf.Data)
				}
				for _, n := range changedLines(old, string(f.Data)) {
					if changed[p] == nil {
						changed[p] = map[int]bool{}
					}
					changed[p][n] = true
					changed[p][n+1] = true // the line after a deletion point
				}
			}
			after := failing(TraceBenchmark(load(t, set), benchmark))
			var news []string
			for k, f := range after {
				if _, ok := before[k]; ok {
					continue
				}
				news = append(news, k)
				if !changed[f.File][f.Line] {
					t.Errorf("%s: new failure %s at %s:%d, not on a changed line (%v)", name, k, f.File, f.Line, changed)
				}
			}
			sort.Strings(news)
			want := map[string][]string{
				"anonymous-auth":         {"1.2.1 kube-apiserver"},
				"kubelet-read-only-port": {"4.2.4 kubelet"},
				"kubelet-always-allow":   {"4.2.2 kubelet"},
				"etcd-client-cert-auth":  {"2.2 etcd"},
				"audit-log-removed":      {"1.2.16 kube-apiserver", "1.2.17 kube-apiserver", "1.2.18 kube-apiserver", "1.2.19 kube-apiserver"},
				"flag-moved-to-args":     nil,
				"kubelet-flag-override":  {"4.2.1 kubelet"},
				"duplicate-profiling":    {"1.2.15 kube-apiserver"},
				"split-audit-log-maxage": {"1.2.17 kube-apiserver"},
				"etcd-env":               nil,
			}[name]
			if diff := cmp.Diff(want, news); diff != "" {
				t.Errorf("%s: new failures (-want +got):\n%s", name, diff)
			}
		})
	}
}

// TestFixesHold applies each suggested change to its file, loads the
// directory again and traces the check again: both kube-bench's reading
// and the component's then pass.
func TestFixesHold(t *testing.T) {
	t.Parallel()
	for _, name := range sets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			set := readSet(t, name)
			fixed, advised := 0, 0
			for _, f := range TraceBenchmark(load(t, set), benchmark) {
				if f.KubeBenchPasses && f.Passes {
					continue
				}
				if len(f.Fix) == 0 {
					advised++
					if f.Advice == "" {
						t.Errorf("%s %s: fails with neither a fix nor advice", f.ID, f.Component)
					}
					continue
				}
				if f.Advice != "" {
					continue // partly fixable: the rest is the operator's
				}
				edited := fstest.MapFS{}
				for p, file := range set {
					edited[p] = file
				}
				byFile := map[string][]Edit{}
				for _, e := range f.Fix {
					byFile[e.File] = append(byFile[e.File], e)
				}
				for p, es := range byFile {
					data, err := Apply(set[p].Data, es)
					if err != nil {
						t.Fatalf("%s %s: %v", f.ID, f.Component, err)
					}
					edited[p] = &fstest.MapFile{Data: data}
				}
				cfg := load(t, edited)
				again := Trace(cfg, Check{Benchmark: benchmark, ID: f.ID})
				ok := false
				for _, g := range again {
					if g.Component == f.Component && g.Source == f.Source {
						ok = g.KubeBenchPasses && g.Passes
						if !ok {
							t.Errorf("%s %s: after the fix kube-bench passes=%v, component passes=%v; edits %+v", f.ID, f.Component, g.KubeBenchPasses, g.Passes, f.Fix)
						}
					}
				}
				if len(again) == 0 {
					t.Errorf("%s %s: not found after the fix", f.ID, f.Component)
				}
				fixed++
			}
			t.Logf("%s: %d fixed and re-traced, %d with advice only", name, fixed, advised)
		})
	}
}

// TestGolden writes, for each set, what a reviewer reads: every check
// the files fail or where kube-bench and the component disagree.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, name := range sets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			for _, f := range TraceBenchmark(load(t, readSet(t, name)), benchmark) {
				if f.KubeBenchPasses && f.Passes && f.Disagreement == "" {
					continue
				}
				writeFinding(&b, f)
			}
			golden.Check(t, filepath.Join("testdata", "golden", name+".txt"), []byte(b.String()))
		})
	}
}

func writeFinding(b *strings.Builder, f Finding) {
	kb, eff := "FAIL", "fails"
	if f.KubeBenchPasses {
		kb = "PASS"
	}
	if f.Passes {
		eff = "passes"
	}
	fmt.Fprintf(b, "%s %s %s at %s:%d: kube-bench %s, the component %s\n", f.Benchmark, f.ID, f.Component, f.File, f.Line, kb, eff)
	for _, it := range f.Items {
		fmt.Fprintf(b, "  %s (%s): kube-bench reads %s; runs with %s\n", it.Setting, it.Test, describe(it.KubeBench), describe(it.Effective))
	}
	if f.Disagreement != "" {
		fmt.Fprintf(b, "  note: %s\n", f.Disagreement)
	}
	for _, e := range f.Fix {
		fmt.Fprintf(b, "  change %s:%d-%d\n", e.File, e.Line, e.EndLine)
		for _, l := range strings.Split(e.Old, "\n") {
			fmt.Fprintf(b, "    - %s\n", l)
		}
		if e.New != "" {
			for _, l := range strings.Split(e.New, "\n") {
				fmt.Fprintf(b, "    + %s\n", l)
			}
		}
	}
	if f.Advice != "" {
		fmt.Fprintf(b, "  advice: %s\n", f.Advice)
	}
}

func describe(v Value) string {
	if !v.Set {
		return "nothing"
	}
	if v.Pos.Line == 0 {
		return fmt.Sprintf("%q (%s)", v.Value, v.From)
	}
	return fmt.Sprintf("%q (%s, line %d)", v.Value, v.From, v.Pos.Line)
}

// TestExamplesHardened: the example configuration repositories pass every
// check their files decide, on both readings, with no disagreement.
func TestExamplesHardened(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"../examples/configs/kubeadm", "../examples/configs/rke2"} {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			cfg := load(t, os.DirFS(dir))
			n := 0
			for _, f := range TraceBenchmark(cfg, benchmark) {
				n++
				if !f.KubeBenchPasses || !f.Passes || f.Disagreement != "" {
					t.Errorf("%s %s at %s:%d: kube-bench passes=%v, component passes=%v %s", f.ID, f.Component, f.File, f.Line, f.KubeBenchPasses, f.Passes, f.Disagreement)
				}
			}
			if n == 0 {
				t.Error("no check traced")
			}
			t.Logf("%s: %d checks traced, all pass", dir, n)
		})
	}
}
