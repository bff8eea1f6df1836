package exceptions

import (
	"testing"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
	"github.com/google/go-cmp/cmp"
)

// catalogResults are FAIL results of every check of a benchmark as the
// catalog defines it, on one node: what kube-bench reports on a node that
// fails everything.
func catalogResults(t *testing.T, benchmark string) []benchresult.Check {
	t.Helper()
	var out []benchresult.Check
	for _, c := range catalog.Controls(benchmark) {
		ctl := &benchresult.Control{Benchmark: benchmark, Target: benchresult.Target(c.Target), Section: c.Section.ID,
			SectionText: c.Section.Text, ID: c.ID, Text: c.Text, Type: c.Type, Scored: c.Scored}
		out = append(out, benchresult.Check{Control: ctl, Cluster: "prod-1", Node: "node-1", Status: benchresult.Fail})
	}
	if len(out) == 0 {
		t.Fatalf("the catalog has no checks of %s", benchmark)
	}
	return out
}

// textOf is a check's text in a benchmark of the catalog.
func textOf(t *testing.T, benchmark, id string) string {
	t.Helper()
	c, ok := catalog.Lookup(benchmark, "", id)
	if !ok {
		t.Fatalf("%s has no check %s", benchmark, id)
	}
	return c.Text
}

// TestKnownCases runs the cases of issue 13 on the real benchmark
// definitions: an exception written for one version (its description the
// check's text there, or a person's words) meets FAIL results of another.
func TestKnownCases(t *testing.T) {
	t.Parallel()
	later := today.AddDays(100)
	type row struct {
		State, Suggestion string
		Accepts           bool
	}
	tests := []struct {
		name    string
		results string
		exc     Exception
		want    row
	}{
		{"cis-1.8 1.1.13 (admin.conf) on cis-1.9: reworded, same control",
			"cis-1.9", exc("1.1.13", later, withDesc(textOf(t, "cis-1.8", "1.1.13"))), row{"active", "", true}},
		{"cis-1.8 1.1.14 (admin.conf ownership) on cis-1.9: reworded, same control",
			"cis-1.9", exc("1.1.14", later, withDesc(textOf(t, "cis-1.8", "1.1.14"))), row{"active", "", true}},
		{"cis-1.8 5.1.5 on cis-1.9: only a full stop differs",
			"cis-1.9", exc("5.1.5", later, withDesc(textOf(t, "cis-1.8", "5.1.5"))), row{"active", "", true}},
		{"1.2.7 described as RBAC: 1.2.7 is Node, RBAC is 1.2.8",
			"cis-1.10", exc("1.2.7", later, withDesc("--authorization-mode includes RBAC")), row{"retargeted", "did you mean 1.2.8?", false}},
		{"1.2.8 described as RBAC: right",
			"cis-1.10", exc("1.2.8", later, withDesc("--authorization-mode includes RBAC")), row{"active", "", true}},
		{"a typo: --profilling on the API server's profiling check",
			"cis-1.10", exc("1.2.15", later, withDesc("--profilling")), row{"active", "", true}},
		{"cis-1.8 1.2.16 --profiling on cis-1.10 (1.2.16 is --audit-log-path)",
			"cis-1.10", exc("1.2.16", later, withDesc(textOf(t, "cis-1.8", "1.2.16"))), row{"retargeted", "did you mean 1.2.15?", false}},
		{"cis-1.8 1.2.16 as a person writes it: --profiling alone",
			"cis-1.10", exc("1.2.16", later, withDesc("--profiling")), row{"retargeted", "did you mean 1.2.15?", false}},
		{"the seed's 4.2.12 RotateKubeletServerCertificate on cis-1.10",
			"cis-1.10", exc("4.2.12", later, withDesc("Ensure that the RotateKubeletServerCertificate argument is set to true")), row{"retargeted", "did you mean 4.2.11?", false}},
		{"cis-1.8 1.2.12 SecurityContextDeny on cis-1.9: the control vanished",
			"cis-1.9", exc("1.2.12", later, withDesc(textOf(t, "cis-1.8", "1.2.12"))), row{"retargeted", "this control no longer exists in cis-1.9", false}},
		{"cis-1.24 4.2.6 --protect-kernel-defaults on cis-1.7: vanished",
			"cis-1.7", exc("4.2.6", later, withDesc(textOf(t, "cis-1.24", "4.2.6"))), row{"retargeted", "this control no longer exists in cis-1.7", false}},
		{"the exception's benchmark names where it was written",
			"cis-1.10", exc("1.2.16", later, withDesc("profiling"), withBench("cis-1.*")), row{"retargeted", "did you mean 1.2.15?", false}},
		{"a section that moved: cis-1.10 5.7 General Policies is 5.6 in cis-1.11",
			"cis-1.11", exc("5.7.*", later, withDesc("General Policies")), row{"retargeted", "did you mean 5.6.*?", false}},
		{"a section title that holds",
			"cis-1.11", exc("5.6.*", later, withDesc("General Policies")), row{"active", "", true}},
		{"a section whose title changed: gke-1.0's 4.2 Kubelet is 3.2 in gke-1.2.0",
			"gke-1.2.0", exc("4.2.*", later, withDesc("Kubelet")), row{"retargeted", "did you mean 3.2.*?", false}},
		{"expired wins over retargeted",
			"cis-1.10", exc("1.2.16", today.AddDays(-1), withDesc("--profiling")), row{"expired", "did you mean 1.2.15?", false}},
		{"no description and no benchmark: unpinned",
			"cis-1.10", exc("1.2.16", later), row{"unpinned", "", true}},
		{"a benchmark alone pins it",
			"cis-1.10", exc("1.2.16", later, withBench("cis-1.10")), row{"active", "", true}},
		{"eks-stig repeats V-242381: a target scopes the exception",
			"eks-stig-kubernetes-v1r6", exc("V-242381", later, withBench("eks-stig-kubernetes-v1r6"), func(e *Exception) { e.Target = "policies" }), row{"active", "", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checks := catalogResults(t, tt.results)
			f := &File{Exceptions: []Exception{tt.exc}}
			ev := Evaluate(f, checks, today, 14)
			s := ev.Statuses[0]
			got := row{s.State.String(), s.Suggestion, len(ev.Accepted) > 0}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s\ndetail: %s", tt.name, diff, s.Detail)
			}
			for k := range ev.Accepted {
				if k.ID != tt.exc.CheckID && !MatchID(tt.exc.CheckID, k.ID) {
					t.Errorf("accepted %s, not covered by %s", k.ID, tt.exc.CheckID)
				}
				if tt.exc.Target != "" && string(k.Target) != tt.exc.Target {
					t.Errorf("accepted %s of target %s, outside the exception's target %s", k.ID, k.Target, tt.exc.Target)
				}
			}
		})
	}
}
