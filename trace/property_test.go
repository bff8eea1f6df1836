package trace

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// allSets lists every configuration set under testdata/ (golden/ holds
// expected output, fuzz/ the fuzzers' regression inputs), so that a set
// added later is covered too.
func allSets(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() && e.Name() != "golden" && e.Name() != "fuzz" {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestNoFixWhenFilesPass: for every check of every benchmark that the
// files decide, a component whose files pass on both readings gets no
// edit and no advice even when kube-bench FAILed the check live (the
// case that made bogus fixes; WARN takes the same path, and with PASS or
// no status there is no fix to make): the node does not run what the
// files say, and there is nothing to change in them.
func TestNoFixWhenFilesPass(t *testing.T) {
	t.Parallel()
	names := allSets(t)
	total := 0
	for _, name := range names {
		cfg := load(t, readSet(t, name))
		checks, passing := 0, 0
		for _, b := range catalog.Benchmarks() {
			for _, ctl := range catalog.Controls(b.ID) {
				if comp, _ := tested(ctl); comp == "" {
					continue
				}
				fs := Trace(cfg, Check{Benchmark: b.ID, ID: ctl.ID, Status: benchresult.Fail})
				if len(fs) > 0 {
					checks++
				}
				for _, f := range fs {
					if !f.KubeBenchPasses || !f.Passes {
						continue
					}
					passing++
					if len(f.Fix) > 0 || f.Advice != "" {
						t.Errorf("%s: %s %s on %s (live FAIL): files pass, yet fix %+v advice %q", name, b.ID, ctl.ID, f.Component, f.Fix, f.Advice)
					}
				}
			}
		}
		if checks == 0 || passing == 0 {
			t.Errorf("%s: %d checks traced, %d passing findings: the property checks nothing", name, checks, passing)
		}
		total += passing
		t.Logf("%s: %d checks traced over %d benchmarks, %d findings whose files pass", name, checks, len(catalog.Benchmarks()), passing)
	}
	t.Logf("%d sets, %d findings whose files pass", len(names), total)
}

// TestHasAlreadyThere is the case that gave the bogus fix: kube-bench
// FAILs cis-1.10 1.2.3 live on a node whose files already list
// DenyServiceExternalIPs in --enable-admission-plugins.
func TestHasAlreadyThere(t *testing.T) {
	t.Parallel()
	cfg := load(t, readSet(t, "hardened"))
	fs := Trace(cfg, Check{Benchmark: benchmark, ID: "1.2.3", Status: benchresult.Fail})
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	f := fs[0]
	if !f.KubeBenchPasses || !f.Passes || len(f.Fix) != 0 || f.Advice != "" {
		t.Errorf("kube-bench passes=%v, component passes=%v, fix %+v, advice %q; want both passing, no fix", f.KubeBenchPasses, f.Passes, f.Fix, f.Advice)
	}
}

// TestHasKeepsTheListThatHasIt: kube-bench reads the first of two
// --enable-admission-plugins, which lacks DenyServiceExternalIPs; the
// API server runs with the last, which has it. The fix deletes the first
// and leaves the last as it is, rather than writing the value twice.
func TestHasKeepsTheListThatHasIt(t *testing.T) {
	t.Parallel()
	set := readSet(t, "hardened")
	lines := strings.Split(string(set[apiserver].Data), "\n")
	if !strings.Contains(lines[26], "--enable-admission-plugins=") {
		t.Fatalf("line 27 of the hardened manifest is %q", lines[26])
	}
	first := "    - --enable-admission-plugins=NodeRestriction"
	lines = append(lines[:26], append([]string{first}, lines[26:]...)...)
	set[apiserver] = &fstest.MapFile{Data: []byte(strings.Join(lines, "\n"))}
	fs := Trace(load(t, set), Check{Benchmark: benchmark, ID: "1.2.3"})
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	got := shorten(fs)[0]
	want := short{Component: APIServer, At: apiserver + ":27", KubeBench: false, Effective: true,
		Disagreement: got.Disagreement,
		Fix:          []Edit{{File: apiserver, Line: 27, EndLine: 27, Old: first, New: ""}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("finding (-want +got):\n%s", diff)
	}
	if got.Disagreement == "" {
		t.Errorf("no disagreement: kube-bench fails, the API server passes")
	}
}
