package benchresult

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestJSONShapesAndCaptures reads the same kube-bench v0.14.1 cis-1.10 run in
// every shape kube-bench has printed JSON in, and as `kubectl logs` captures
// it, and checks they all give the same checks; the three JSON shapes also
// have golden dumps.
func TestJSONShapesAndCaptures(t *testing.T) {
	t.Parallel()
	type row struct {
		Target Target
		ID     string
		Status Status
		Text   string
	}
	rows := func(nr *NodeResult) []row {
		out := make([]row, 0, len(nr.Checks))
		for _, c := range nr.Checks {
			out = append(out, row{c.Target, c.ID, c.Status, c.Text})
		}
		return out
	}
	ref, err := ParseBytes(fixture(t, "v0.14.1-cis-1.10-mixed.json"), "envelope", Options{Node: "cp-1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, golden string }{
		{"v0.14.1-cis-1.10-mixed.json", "shape-envelope.txt"},
		{"v0.14.1-cis-1.10-mixed-nototals.json", "shape-bare-array.txt"},
		{"v0.14.1-cis-1.10-mixed-concat.json", "shape-concatenated.txt"},
		{"v0.14.1-cis-1.10-mixed-kubectl-logs-json.log", ""},
		{"v0.14.1-cis-1.10-mixed-kubectl-logs-json-prefix.log", ""},
		{"v0.14.1-cis-1.10-mixed-kubectl-logs-text.log", ""},
		{"v0.14.1-cis-1.10-mixed-kubectl-logs-text-prefix.log", ""},
		{"v0.14.1-cis-1.10-mixed.txt", ""},
		{"v0.14.1-cis-1.10-mixed.xml", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			nr, err := ParseBytes(fixture(t, tc.file), tc.file, Options{Node: "cp-1"})
			if err != nil {
				t.Fatal(err)
			}
			if nr.Totals != ref.Totals {
				t.Errorf("totals %+v, the envelope's %+v", nr.Totals, ref.Totals)
			}
			if d := cmp.Diff(rows(ref), rows(nr)); d != "" {
				t.Errorf("checks differ from the envelope's (-envelope +this):\n%s", d)
			}
			if tc.golden != "" {
				goldenDump(t, tc.golden, dump(nr))
			}
		})
	}
}

// TestTestsNull reads a target printed with "tests": null (the master target
// of a managed benchmark): valid, with no checks and its benchmark kept.
func TestTestsNull(t *testing.T) {
	t.Parallel()
	nr, err := ParseBytes(fixture(t, "v0.14.1-eks-1.7.0-mixed-master.json"), "master.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(nr.Checks) != 0 || len(nr.Benchmarks) != 1 || nr.Benchmarks[0] != "eks-1.7.0" {
		t.Errorf("checks %d, benchmarks %v", len(nr.Checks), nr.Benchmarks)
	}
}

// TestDuplicateIDsAcrossTargets reads eks-stig, which repeats ids across
// targets: the target is part of the identity, so nothing is lost.
func TestDuplicateIDsAcrossTargets(t *testing.T) {
	t.Parallel()
	nr, err := ParseBytes(fixture(t, "v0.14.1-eks-stig-kubernetes-v1r6-mixed.json"), "stig.json", Options{Node: "n"})
	if err != nil {
		t.Fatal(err)
	}
	r := Merge("c", nr)
	seen := map[string][]Target{}
	for _, c := range nr.Checks {
		seen[c.ID] = append(seen[c.ID], c.Target)
	}
	dups := 0
	for _, ts := range seen {
		if len(ts) > 1 {
			dups++
		}
	}
	if dups == 0 {
		t.Fatalf("no id repeated across targets in eks-stig")
	}
	total := nr.Totals.Pass + nr.Totals.Fail + nr.Totals.Warn + nr.Totals.Info
	if len(r.Checks) != total {
		t.Errorf("merged %d checks of %d: repeated ids collapsed", len(r.Checks), total)
	}
	t.Logf("%d ids repeat across targets; %d checks kept", dups, len(r.Checks))
}
