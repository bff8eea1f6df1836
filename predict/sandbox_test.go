package predict

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/bench-action/bench-action/internal/golden"

	"github.com/google/go-cmp/cmp"
)

// benchmark is the benchmark the sandbox tests run (cis-1.10, the one the
// catalog and the project's fixtures know best).
const benchmark = "cis-1.10"

// needTools skips a test that needs what this machine lacks, or fails it
// when BENCH_ACTION_REQUIRE_TOOLS=1 (CI), naming what is missing.
func needTools(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("BENCH_ACTION_REQUIRE_TOOLS") == "1" {
		t.Fatalf("missing %s (BENCH_ACTION_REQUIRE_TOOLS=1)", what)
	}
	t.Skipf("missing %s", what)
}

var (
	kubeBenchOnce sync.Once
	kubeBenchErr  error
	testKubeBench KubeBench
)

// sandbox is a Sandbox with kube-bench DefaultKubeBench, built from the Go module
// proxy into $BENCH_ACTION_CACHE or the user's cache folder on first use.
func sandbox(t *testing.T) Sandbox {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the sandbox is Linux namespaces")
	}
	if os.Geteuid() != 0 {
		needTools(t, "root (the sandbox mounts tmpfs in its own mount namespace)")
	}
	var paths [3]string
	for i, tool := range []string{"unshare", "bash", "cc"} { // cc: the independent fake node compiles its process
		p, err := exec.LookPath(tool)
		if err != nil {
			needTools(t, tool)
		}
		paths[i] = p
	}
	kubeBenchOnce.Do(func() {
		goCmd, err := exec.LookPath("go")
		if err != nil {
			kubeBenchErr = err
			return
		}
		dir := os.Getenv("BENCH_ACTION_CACHE")
		if dir == "" {
			if dir, err = os.UserCacheDir(); err != nil {
				kubeBenchErr = err
				return
			}
			dir = filepath.Join(dir, "bench-action")
		}
		env := os.Environ()
		if os.Getenv("GONOSUMDB") == "" {
			env = append(env, "GONOSUMDB=github.com/aquasecurity")
		}
		testKubeBench, kubeBenchErr = Build(context.Background(), goCmd, env, dir, DefaultKubeBench)
	})
	if kubeBenchErr != nil {
		needTools(t, "kube-bench "+DefaultKubeBench+": "+kubeBenchErr.Error())
	}
	return Sandbox{KubeBench: testKubeBench, Unshare: paths[0], Bash: paths[1], GOARCH: runtime.GOARCH, TempDir: t.TempDir()}
}

// statuses are the statuses of a kube-bench JSON document by target and id.
func statuses(t *testing.T, doc []byte) map[string]string {
	t.Helper()
	var d struct {
		Controls []struct {
			Type  string `json:"node_type"`
			Tests []struct {
				Results []struct {
					ID     string `json:"test_number"`
					Status string `json:"status"`
				} `json:"results"`
			} `json:"tests"`
		}
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatalf("kube-bench's JSON: %v", err)
	}
	out := map[string]string{}
	for _, c := range d.Controls {
		for _, g := range c.Tests {
			for _, r := range g.Results {
				out[c.Type+" "+r.ID] = r.Status
			}
		}
	}
	return out
}

// fakeNode runs testdata/fakenode.sh: kube-bench on a node laid out by
// hand from the set's files and the command lines written down for it.
func fakeNode(t *testing.T, kb KubeBench, set, role string) []byte {
	t.Helper()
	targets := map[string]string{"control-plane": "master,etcd,controlplane,node,policies", "worker": "node"}[role]
	cmd := exec.Command("bash", "testdata/fakenode.sh", filepath.Join("testdata/configs", set),
		filepath.Join("testdata/fakenode", set+"."+role+".procs"), kb.Binary, kb.Cfg,
		"run", "--targets", targets, "--benchmark", benchmark, "--json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("fakenode.sh %s %s: %v\n%s", set, role, err, stderr.String())
	}
	return stdout.Bytes()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return lessCheck(keys[i], keys[j]) })
	return keys
}

// lessCheck orders checks by id, numerically ("1.2.9" before "1.2.10"),
// then by target.
func lessCheck(a, b string) bool {
	ta, ida, _ := strings.Cut(a, " ")
	tb, idb, _ := strings.Cut(b, " ")
	pa, pb := strings.Split(ida, "."), strings.Split(idb, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] != pb[i] {
			if len(pa[i]) != len(pb[i]) {
				return len(pa[i]) < len(pb[i])
			}
			return pa[i] < pb[i]
		}
	}
	if len(pa) != len(pb) {
		return len(pa) < len(pb)
	}
	return ta < tb
}

// TestPredictedEqualsReal is the acceptance of predict: for every
// configuration set and node, predict's output equals, check by check and
// status by status, what kube-bench prints on the independent fake node of
// the same files (testdata/fakenode.sh), except for the checks predict
// marks as not predictable, whose sandbox status still equals it. The
// table is testdata/predicted-equals-real.md (-update rewrites it).
func TestPredictedEqualsReal(t *testing.T) {
	sb := sandbox(t)
	sets := configSets(t)
	perSet := make([][]row, len(sets))
	// the sets run side by side (each node in its own namespaces): the
	// sandbox mostly waits for kube-bench's audits
	t.Run("sets", func(t *testing.T) {
		for i, set := range sets {
			t.Run(set, func(t *testing.T) {
				t.Parallel()
				perSet[i] = predictSet(t, sb, set)
			})
		}
	})
	var rows []row
	hardened := map[string]map[string]string{}
	for _, rs := range perSet {
		for _, rw := range rs {
			if rw.set == "hardened" {
				hardened[rw.node] = rw.marked
			}
			rows = append(rows, rw)
		}
	}
	// the checks whose predicted status differs from the hardened set's
	changed := func(rw row) string {
		h := hardened[rw.node]
		if rw.set == "hardened" || h == nil {
			return ""
		}
		var out []string
		for _, k := range sortedKeys(rw.marked) {
			if h[k] != rw.marked[k] {
				out = append(out, fmt.Sprintf("%s %s→%s", strings.Fields(k)[1], h[k], rw.marked[k]))
			}
		}
		if len(out) == 0 {
			return "none"
		}
		return strings.Join(out, ", ")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# predict against kube-bench on an independent fake node\n\n")
	fmt.Fprintf(&b, "Written by `TestPredictedEqualsReal` (`sudo go test ./predict -run PredictedEqualsReal -update`): kube-bench %s, `--benchmark %s`,\n", DefaultKubeBench, benchmark)
	fmt.Fprintf(&b, "on the sandbox node predict builds from `testdata/configs/SET` and on the node `testdata/fakenode.sh` lays out by hand\n")
	fmt.Fprintf(&b, "from the same files and the command lines in `testdata/fakenode/SET.NODE.procs`.\n\n")
	fmt.Fprintf(&b, "| set | node | checks | same status in the sandbox | predictable | predicted = fake node | not predictable (INFO) | predicted PASS/FAIL/WARN/INFO | predicted FAILs | changed from hardened |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|---|---|\n")
	for _, rw := range rows {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %d | %d/%d/%d/%d | %s | %s |\n", rw.set, rw.node, rw.checks, rw.equal, rw.predictable, rw.predictableEqual,
			rw.unpredictable, rw.kube[0], rw.kube[1], rw.kube[2], rw.kube[3], strings.Join(rw.fails, ", "), changed(rw))
	}
	golden.Check(t, filepath.Join("testdata", "predicted-equals-real.md"), []byte(b.String()))
}

// row is one node of one set in the table of TestPredictedEqualsReal.
type row struct {
	set, node                     string
	checks, equal                 int
	predictable, predictableEqual int
	unpredictable                 int
	fails                         []string // predictable FAILs, as predicted
	kube                          [4]int   // PASS FAIL WARN INFO predicted
	marked                        map[string]string
}

// predictSet predicts each node of a set and compares it with the fake
// node's kube-bench, check by check.
func predictSet(t *testing.T, sb Sandbox, set string) []row {
	var rows []row
	nodes, err := Assemble([]string{filepath.Join("testdata/configs", set)})
	if err != nil {
		t.Fatal(err)
	}
	results, err := sb.Predict(context.Background(), nodes, benchmark, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		real := statuses(t, fakeNode(t, sb.KubeBench, set, r.Node.Name))
		raw, marked := statuses(t, r.Raw), statuses(t, r.JSON)
		if d := cmp.Diff(real, raw); d != "" {
			t.Errorf("%s %s: kube-bench in predict's sandbox (+) and on the fake node (-) differ:\n%s", set, r.Node.Name, d)
		}
		un := map[string]Unpredictable{}
		for _, u := range r.Unpredictable {
			un[u.Target+" "+u.ID] = u
		}
		rw := row{set: set, node: r.Node.Name, checks: len(real), unpredictable: len(un), marked: marked}
		for _, k := range sortedKeys(real) {
			if raw[k] == real[k] {
				rw.equal++
			}
			u, isUn := un[k]
			switch {
			case isUn:
				if u.Sandbox != real[k] || marked[k] != "INFO" {
					t.Errorf("%s %s %s: not predictable, sandbox status %s (fake node %s), output %s (want INFO)", set, r.Node.Name, k, u.Sandbox, real[k], marked[k])
				}
			default:
				rw.predictable++
				if marked[k] == real[k] {
					rw.predictableEqual++
				} else {
					t.Errorf("%s %s %s: predicted %s, fake node %s", set, r.Node.Name, k, marked[k], real[k])
				}
				if marked[k] == "FAIL" {
					rw.fails = append(rw.fails, strings.Fields(k)[1])
				}
			}
		}
		rw.kube = [4]int{r.Totals.Pass, r.Totals.Fail, r.Totals.Warn, r.Totals.Info}
		rows = append(rows, rw)
	}
	return rows
}

// BenchmarkPredict times one prediction of each node of the hardened set
// with kube-bench already built (warm): the sandbox, kube-bench's run in
// it and the marking.
func BenchmarkPredict(b *testing.B) {
	nodes, err := Assemble([]string{"testdata/configs/hardened"})
	if err != nil {
		b.Fatal(err)
	}
	if os.Geteuid() != 0 {
		b.Skip("needs root")
	}
	dir := os.Getenv("BENCH_ACTION_CACHE")
	if dir == "" {
		b.Skip("set BENCH_ACTION_CACHE to a folder with kube-bench " + DefaultKubeBench + " built (see Build)")
	}
	kb, err := Build(context.Background(), "go", os.Environ(), dir, DefaultKubeBench)
	if err != nil {
		b.Fatal(err)
	}
	sb := Sandbox{KubeBench: kb, Unshare: "unshare", Bash: "bash", GOARCH: runtime.GOARCH, TempDir: b.TempDir()}
	for _, n := range nodes {
		b.Run(n.Name, func(b *testing.B) {
			for b.Loop() {
				if _, err := sb.Predict(context.Background(), []Node{n}, benchmark, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSandboxLeavesTheHostAlone: a sandbox node writes nothing outside its
// namespaces but the empty mount points, so the folders above them keep
// their owner, mode and (for those nothing else writes) modification
// time. Copying the stage into / once gave /, /etc, /var and /var/lib the
// stage's times, and under sudo its owner: the user who ran predict. Not
// parallel: another sandbox's first run creates mount points.
func TestSandboxLeavesTheHostAlone(t *testing.T) {
	sb := sandbox(t)
	nodes, err := Assemble([]string{"testdata/configs/hardened"})
	if err != nil {
		t.Fatal(err)
	}
	run := func() {
		t.Helper()
		if _, err := sb.Predict(context.Background(), nodes, benchmark, nil); err != nil {
			t.Fatal(err)
		}
	}
	type dirStat struct {
		Path     string
		Mode     uint32
		UID, GID uint32
		Mtime    int64 // ns; 0 where the host's own programs write (/etc)
	}
	stats := func() []dirStat {
		t.Helper()
		var out []dirStat
		for _, d := range []string{"/", "/etc", "/var", "/var/lib", "/usr", "/usr/lib", path.Dir(kubeletDropInDir)} {
			var st syscall.Stat_t
			if err := syscall.Stat(d, &st); err != nil {
				t.Fatal(err)
			}
			s := dirStat{Path: d, Mode: st.Mode, UID: st.Uid, GID: st.Gid}
			if d != "/etc" {
				s.Mtime = st.Mtim.Nano()
			}
			out = append(out, s)
		}
		return out
	}
	run() // the mount points exist from here on
	before := stats()
	run()
	if diff := cmp.Diff(before, stats()); diff != "" {
		t.Errorf("a sandbox node changed the host's folders (-before +after):\n%s", diff)
	}
}
