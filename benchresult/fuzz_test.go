package benchresult

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse feeds Parse with mutations of every real kube-bench output and
// bad input the project keeps, in all formats. Properties:
//   - it never panics;
//   - an error is an *InputError naming the input;
//   - a result has non-negative totals equal to its checks counted by status;
//   - the result written back as kube-bench's JSON envelope parses to the
//     same checks.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/kube-bench/*", "testdata/bad/*"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil && len(b) < 1<<20 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[PASS] 4.2.1 anon\n\n== Summary node ==\n1 checks PASS\n0 checks FAIL\n0 checks WARN\n0 checks INFO\n"))
	f.Add([]byte(`<testsuite name="Worker Nodes" tests="1" failures="1"><testcase name="3.1.1 x" classname="g"><failure type="">fix</failure></testcase></testsuite>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		const source = "fuzz-input"
		nr, err := ParseBytes(data, source, Options{MaxLineBytes: 4096})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Source != source {
				t.Fatalf("error %v (%T) is not an *InputError naming %s", err, err, source)
			}
			return
		}
		var counted Totals
		for _, c := range nr.Checks {
			counted.Add(c.Status)
		}
		if nr.Totals.Pass < 0 || nr.Totals.Fail < 0 || nr.Totals.Warn < 0 || nr.Totals.Info < 0 || counted != nr.Totals {
			t.Fatalf("totals %+v, counted from the checks %+v", nr.Totals, counted)
		}
		again, err := ParseBytes(encodeEnvelope(t, nr), "round-trip", Options{})
		if err != nil {
			t.Fatalf("the %s result written as JSON does not parse again: %v", nr.Format, err)
		}
		if d := cmp.Diff(nr.Checks, again.Checks); d != "" {
			t.Fatalf("round trip through JSON changed the %s checks (-first +again):\n%s", nr.Format, d)
		}
	})
}

// encodeEnvelope writes a result as kube-bench's {"Controls":[...],"Totals":{...}}
// with json.go's structs: a new Controls where the target or benchmark
// changes, a new group where the section changes, so the order is kept.
func encodeEnvelope(t *testing.T, nr *NodeResult) []byte {
	t.Helper()
	type envelope struct {
		Controls []*jsonControls
		Totals   jsonSummary
	}
	env := envelope{Totals: jsonSummary{Pass: &nr.Totals.Pass, Fail: &nr.Totals.Fail, Warn: &nr.Totals.Warn, Info: &nr.Totals.Info}}
	var ctl *jsonControls
	var grp *jsonGroup
	if len(nr.Checks) == 0 {
		// A target printed with "tests": null keeps its benchmark.
		for _, b := range nr.Benchmarks {
			env.Controls = append(env.Controls, &jsonControls{ID: "1", Version: b, Type: string(TargetMaster)})
		}
	}
	for _, c := range nr.Checks {
		if ctl == nil || ctl.Type != string(c.Target) || ctl.Version != c.Benchmark {
			ctl = &jsonControls{ID: "1", Version: c.Benchmark, Type: string(c.Target)}
			env.Controls = append(env.Controls, ctl)
			grp = nil
		}
		if grp == nil || grp.ID != c.Section || grp.Text != c.SectionText {
			grp = &jsonGroup{ID: c.Section, Text: c.SectionText}
			ctl.Groups = append(ctl.Groups, grp)
		}
		grp.Checks = append(grp.Checks, &jsonCheck{
			ID: c.ID, Text: c.Text, Type: c.Type, Remediation: c.Remediation, Status: c.Status.String(),
			Scored: c.Scored, Expected: c.Expected, Reason: c.Reason,
		})
	}
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRoundTrip runs the fuzz property over the fixtures without fuzzing.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	var n int
	for _, pattern := range []string{"testdata/kube-bench/*"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			if filepath.Ext(name) == ".md" || filepath.Ext(name) == ".sh" || filepath.Ext(name) == ".tsv" {
				continue
			}
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			nr, err := ParseBytes(b, name, Options{})
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			n++
			again, err := ParseBytes(encodeEnvelope(t, nr), name+" (round trip)", Options{})
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			if d := cmp.Diff(nr.Checks, again.Checks); d != "" {
				t.Errorf("%s: round trip changed the checks (-first +again):\n%s", name, d)
			}
			if nr.Totals != again.Totals {
				t.Errorf("%s: totals %+v, after the round trip %+v", name, nr.Totals, again.Totals)
			}
		}
	}
	if n == 0 {
		t.Fatal("no fixture in testdata/kube-bench round-tripped")
	}
	t.Logf("%d fixtures round-tripped", n)
}
