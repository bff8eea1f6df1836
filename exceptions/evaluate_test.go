package exceptions

import (
	"testing"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/google/go-cmp/cmp"
)

// chk builds a check result; bench "cis-1.10", cluster "prod-1" and
// target master (node for 4.x) unless changed by opts.
func chk(id, text string, status benchresult.Status, node string, opts ...func(*benchresult.Check)) benchresult.Check {
	target := benchresult.TargetMaster
	if id[0] == '4' {
		target = benchresult.TargetNode
	}
	c := benchresult.Check{
		Control: &benchresult.Control{Benchmark: "cis-1.10", Target: target, ID: id, Text: text},
		Cluster: "prod-1", Node: node, Status: status,
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func inCluster(name string) func(*benchresult.Check) {
	return func(c *benchresult.Check) { c.Cluster = name }
}

func inBench(name string) func(*benchresult.Check) {
	return func(c *benchresult.Check) { c.Benchmark = name }
}

func exc(id string, review Date, mods ...func(*Exception)) Exception {
	e := Exception{CheckID: id, Reason: "r", Owner: "owner-" + id, ReviewDate: review, RiskAcceptedBy: "ciso"}
	for _, m := range mods {
		m(&e)
	}
	return e
}

func withNodes(g ...string) func(*Exception)    { return func(e *Exception) { e.Nodes = g } }
func withClusters(g ...string) func(*Exception) { return func(e *Exception) { e.Clusters = g } }
func withBench(b string) func(*Exception)       { return func(e *Exception) { e.Benchmark = b } }
func withDesc(d string) func(*Exception)        { return func(e *Exception) { e.CheckDescription = d } }
func withOwner(o string) func(*Exception)       { return func(e *Exception) { e.Owner = o } }

// outcome is what a table case compares: which exception (by index)
// accepted or left open each FAIL (by "node/id"), and each exception's
// state and match count.
type outcome struct {
	Accepted map[string]int
	Expired  map[string]int
	States   []string
	Matches  []int
}

func summarize(f *File, ev *Evaluation) outcome {
	index := map[*Exception]int{}
	for i := range f.Exceptions {
		index[&f.Exceptions[i]] = i
	}
	o := outcome{Accepted: map[string]int{}, Expired: map[string]int{}}
	for k, e := range ev.Accepted {
		o.Accepted[k.Cluster+"/"+k.Node+"/"+k.ID] = index[e]
	}
	for k, e := range ev.Expired {
		o.Expired[k.Cluster+"/"+k.Node+"/"+k.ID] = index[e]
	}
	for _, s := range ev.Statuses {
		o.States = append(o.States, s.State.String())
		o.Matches = append(o.Matches, s.Matches)
	}
	return o
}

const (
	profiling    = "Ensure that the --profiling argument is set to false (Automated)"
	auditLogPath = "Ensure that the --audit-log-path argument is set (Automated)"
	pullImages   = "Ensure that the admission control plugin AlwaysPullImages is set (Manual)"
)

func TestEvaluate(t *testing.T) {
	t.Parallel()
	now := today
	fail, pass, warn := benchresult.Fail, benchresult.Pass, benchresult.Warn
	tests := []struct {
		name     string
		exc      []Exception
		checks   []benchresult.Check
		warnDays int
		want     outcome
	}{
		{
			name:   "review date today still holds",
			exc:    []Exception{exc("1.2.16", now)},
			checks: []benchresult.Check{chk("1.2.16", auditLogPath, fail, "cp")},
			want:   outcome{Accepted: map[string]int{"prod-1/cp/1.2.16": 0}, Expired: map[string]int{}, States: []string{"unpinned"}, Matches: []int{1}},
			// warnDays -1: no expiring window, to see the bare boundary.
			warnDays: -1,
		},
		{
			name:     "review date yesterday: expired, the FAIL is open",
			exc:      []Exception{exc("1.2.16", now.AddDays(-1))},
			checks:   []benchresult.Check{chk("1.2.16", auditLogPath, fail, "cp")},
			warnDays: 14,
			want:     outcome{Accepted: map[string]int{}, Expired: map[string]int{"prod-1/cp/1.2.16": 0}, States: []string{"expired"}, Matches: []int{1}},
		},
		{
			name: "expiring window: today, the last day of the window, one day after it",
			exc:  []Exception{exc("1.2.16", now), exc("1.2.17", now.AddDays(14)), exc("1.2.18", now.AddDays(15))},
			checks: []benchresult.Check{
				chk("1.2.16", auditLogPath, fail, "cp"), chk("1.2.17", "b", fail, "cp"), chk("1.2.18", "c", fail, "cp"),
			},
			warnDays: 14,
			want: outcome{Accepted: map[string]int{"prod-1/cp/1.2.16": 0, "prod-1/cp/1.2.17": 1, "prod-1/cp/1.2.18": 2}, Expired: map[string]int{},
				States: []string{"expiring", "expiring", "unpinned"}, Matches: []int{1, 1, 1}},
		},
		{
			name:     "warnDays 0 warns on the last day only",
			exc:      []Exception{exc("1.2.16", now), exc("1.2.17", now.AddDays(1))},
			checks:   []benchresult.Check{chk("1.2.16", auditLogPath, fail, "cp"), chk("1.2.17", "b", fail, "cp")},
			warnDays: 0,
			want: outcome{Accepted: map[string]int{"prod-1/cp/1.2.16": 0, "prod-1/cp/1.2.17": 1}, Expired: map[string]int{},
				States: []string{"expiring", "unpinned"}, Matches: []int{1, 1}},
		},
		{
			name: "unused: the check passes, is WARN, or is not in the results",
			exc:  []Exception{exc("1.2.16", now.AddDays(100)), exc("1.2.11", now.AddDays(100)), exc("9.9.9", now.AddDays(100))},
			checks: []benchresult.Check{
				chk("1.2.16", auditLogPath, pass, "cp"), chk("1.2.11", pullImages, warn, "cp"),
			},
			want: outcome{Accepted: map[string]int{}, Expired: map[string]int{}, States: []string{"unused", "unused", "unused"}, Matches: []int{0, 0, 0}},
		},
		{
			name:   "expired and unused: expired wins, the date is what needs attention",
			exc:    []Exception{exc("1.2.16", now.AddDays(-3))},
			checks: []benchresult.Check{chk("1.2.16", auditLogPath, pass, "cp")},
			want:   outcome{Accepted: map[string]int{}, Expired: map[string]int{}, States: []string{"expired"}, Matches: []int{0}},
		},
		{
			name: "a check a profile made not applicable is never accepted",
			exc:  []Exception{exc("1.2.16", now.AddDays(100))},
			checks: []benchresult.Check{func() benchresult.Check {
				c := chk("1.2.16", auditLogPath, fail, "cp")
				c.NotApplicable = "eks"
				return c
			}()},
			want: outcome{Accepted: map[string]int{}, Expired: map[string]int{}, States: []string{"unused"}, Matches: []int{0}},
		},
		{
			name: "retargeted: cis-1.8's 1.2.16 --profiling does not silence cis-1.10's 1.2.16 --audit-log-path",
			exc:  []Exception{exc("1.2.16", now.AddDays(100), withDesc("Ensure that the --profiling argument is set to false"))},
			checks: []benchresult.Check{
				chk("1.2.15", profiling, fail, "cp"), chk("1.2.16", auditLogPath, fail, "cp"),
			},
			want: outcome{Accepted: map[string]int{}, Expired: map[string]int{}, States: []string{"retargeted"}, Matches: []int{0}},
		},
		{
			name: "description guard: matches on the benchmark where the id still names the control",
			exc:  []Exception{exc("1.2.16", now.AddDays(100), withDesc("--profiling"))},
			checks: []benchresult.Check{
				chk("1.2.16", profiling, fail, "old-cp", inBench("cis-1.8")), chk("1.2.16", auditLogPath, fail, "new-cp"),
			},
			want: outcome{Accepted: map[string]int{"prod-1/old-cp/1.2.16": 0}, Expired: map[string]int{}, States: []string{"active"}, Matches: []int{1}},
		},
		{
			name: "node glob scope",
			exc:  []Exception{exc("4.2.1", now.AddDays(100), withNodes("worker-*", "gpu-?"))},
			checks: []benchresult.Check{
				chk("4.2.1", "anon", fail, "worker-1"), chk("4.2.1", "anon", fail, "gpu-1"), chk("4.2.1", "anon", fail, "master-1"), chk("4.2.1", "anon", fail, "gpu-12"),
			},
			want: outcome{Accepted: map[string]int{"prod-1/worker-1/4.2.1": 0, "prod-1/gpu-1/4.2.1": 0}, Expired: map[string]int{}, States: []string{"unpinned"}, Matches: []int{2}},
		},
		{
			name: "cluster glob scope",
			exc:  []Exception{exc("4.2.1", now.AddDays(100), withClusters("staging-*"))},
			checks: []benchresult.Check{
				chk("4.2.1", "anon", fail, "w1", inCluster("staging-eu")), chk("4.2.1", "anon", fail, "w1", inCluster("prod-eu")),
			},
			want: outcome{Accepted: map[string]int{"staging-eu/w1/4.2.1": 0}, Expired: map[string]int{}, States: []string{"unpinned"}, Matches: []int{1}},
		},
		{
			name: "section wildcard covers its section only",
			exc:  []Exception{exc("1.2.*", now.AddDays(100))},
			checks: []benchresult.Check{
				chk("1.2.1", "a", fail, "cp"), chk("1.2.16", "b", fail, "cp"), chk("1.20.1", "c", fail, "cp"), chk("1.3.1", "d", fail, "cp"), chk("1.2", "e", fail, "cp"),
			},
			want: outcome{Accepted: map[string]int{"prod-1/cp/1.2.1": 0, "prod-1/cp/1.2.16": 0}, Expired: map[string]int{}, States: []string{"unpinned"}, Matches: []int{2}},
		},
		{
			name: "benchmark scope",
			exc:  []Exception{exc("1.2.16", now.AddDays(100), withBench("cis-1.8"))},
			checks: []benchresult.Check{
				chk("1.2.16", profiling, fail, "a", inBench("cis-1.8")), chk("1.2.16", auditLogPath, fail, "b"),
			},
			want: outcome{Accepted: map[string]int{"prod-1/a/1.2.16": 0}, Expired: map[string]int{}, States: []string{"active"}, Matches: []int{1}},
		},
		{
			name: "most specific wins: exact over wildcard, longer wildcard over shorter",
			exc:  []Exception{exc("1.*", now.AddDays(100)), exc("1.2.*", now.AddDays(100)), exc("1.2.16", now.AddDays(100))},
			checks: []benchresult.Check{
				chk("1.2.16", "a", fail, "cp"), chk("1.2.17", "b", fail, "cp"), chk("1.3.1", "c", fail, "cp"),
			},
			want: outcome{Accepted: map[string]int{"prod-1/cp/1.2.16": 2, "prod-1/cp/1.2.17": 1, "prod-1/cp/1.3.1": 0}, Expired: map[string]int{},
				States: []string{"unpinned", "unpinned", "unpinned"}, Matches: []int{3, 2, 1}},
		},
		{
			name: "most specific wins: scoped over unscoped, whatever the order",
			exc:  []Exception{exc("4.2.1", now.AddDays(100), withNodes("w1")), exc("4.2.1", now.AddDays(100))},
			checks: []benchresult.Check{
				chk("4.2.1", "a", fail, "w1"), chk("4.2.1", "a", fail, "w2"),
			},
			want: outcome{Accepted: map[string]int{"prod-1/w1/4.2.1": 0, "prod-1/w2/4.2.1": 1}, Expired: map[string]int{},
				States: []string{"unpinned", "unpinned"}, Matches: []int{1, 2}},
		},
		{
			name: "an exception in force wins over a more specific expired one",
			exc:  []Exception{exc("1.2.*", now.AddDays(100)), exc("1.2.16", now.AddDays(-1))},
			checks: []benchresult.Check{
				chk("1.2.16", "a", fail, "cp"),
			},
			want: outcome{Accepted: map[string]int{"prod-1/cp/1.2.16": 0}, Expired: map[string]int{},
				States: []string{"unpinned", "expired"}, Matches: []int{1, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &File{Source: "x.yaml", Exceptions: tt.exc}
			ev := Evaluate(f, tt.checks, now, tt.warnDays)
			if diff := cmp.Diff(tt.want, summarize(f, ev)); diff != "" {
				t.Errorf("Evaluate mismatch (-want +got):\n%s", diff)
				for _, s := range ev.Statuses {
					t.Logf("%s: %s (%s) %s", s.Exception.CheckID, s.State, s.Detail, s.Suggestion)
				}
			}
		})
	}
}

func TestEvaluateDetails(t *testing.T) {
	t.Parallel()
	f := &File{Exceptions: []Exception{
		exc("1.2.16", today.AddDays(30), withDesc("--profiling")),
		exc("4.2.12", today.AddDays(30), withDesc("Ensure that the RotateKubeletServerCertificate argument is set to true")),
		exc("1.2.11", today.AddDays(30), withDesc("AlwaysPullImages admission plugin")),
		exc("1.2.17", today.AddDays(-25)),
		exc("1.2.18", today.AddDays(5)),
	}}
	checks := []benchresult.Check{
		chk("1.2.11", pullImages, benchresult.Warn, "cp"),
		chk("1.2.15", profiling, benchresult.Fail, "cp"),
		chk("1.2.16", auditLogPath, benchresult.Fail, "cp"),
		chk("1.2.17", "x", benchresult.Fail, "cp"),
		chk("1.2.17", "x", benchresult.Fail, "cp2"),
		chk("1.2.18", "y", benchresult.Fail, "cp"),
		chk("1.3.2", profiling, benchresult.Pass, "cp"),
		chk("1.3.6", "Ensure that the RotateKubeletServerCertificate argument is set to true (Automated)", benchresult.Pass, "cp"),
		chk("4.2.11", "Verify that the RotateKubeletServerCertificate argument is set to true (Manual)", benchresult.Pass, "w1"),
		chk("4.2.12", "Ensure that the Kubelet only makes use of Strong Cryptographic Ciphers (Manual)", benchresult.Pass, "w1"),
	}
	ev := Evaluate(f, checks, today, 14)
	type row struct{ State, Detail, Suggestion string }
	var got []row
	for _, s := range ev.Statuses {
		got = append(got, row{s.State.String(), s.Detail, s.Suggestion})
	}
	want := []row{
		{"retargeted", `check 1.2.16 now names "Ensure that the --audit-log-path argument is set (Automated)" in cis-1.10, not "--profiling": the exception does not apply`, "did you mean 1.2.15?"},
		{"retargeted", `check 4.2.12 now names "Ensure that the Kubelet only makes use of Strong Cryptographic Ciphers (Manual)" in cis-1.10, not "Ensure that the RotateKubeletServerCertificate argument is set to true": the exception does not apply`, "did you mean 4.2.11?"},
		{"unused", "no FAIL to accept: 1.2.11 is WARN (1 result); remove it", ""},
		{"expired", "review date 2026-11-01 passed 25 days ago: 2 FAILs are open again", ""},
		{"expiring", "review date 2026-12-01 is in 5 days: accepts 1 FAIL until then; " + unpinnedNote, ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
}

func TestOwnerOf(t *testing.T) {
	t.Parallel()
	f := &File{
		Exceptions: []Exception{
			exc("1.2.16", today.AddDays(10), withOwner("api-team")),
			exc("5.1.1", today.AddDays(-10), withOwner("rbac-team")),
			exc("5.1.2", today.AddDays(10), withOwner("rbac-team")),
		},
		Owners: []OwnerRule{
			{Checks: []string{"1.*", "2.*", "3.*"}, Owner: "platform-team"},
			{Checks: []string{"4.*"}, Owner: "infrastructure-team"},
			{Checks: []string{"1.2.16", "4.2.1"}, Owner: "security-team"}, // later rules win
		},
	}
	checks := []benchresult.Check{
		chk("1.2.16", "a", benchresult.Fail, "cp"),
		chk("1.1.1", "b", benchresult.Fail, "cp"),
		chk("4.2.1", "c", benchresult.Fail, "w1"),
		chk("4.2.2", "d", benchresult.Fail, "w1"),
		chk("5.1.1", "e", benchresult.Fail, ""),
		chk("5.1.2", "f", benchresult.Fail, ""),
		chk("5.1.3", "g", benchresult.Fail, ""),
	}
	ev := Evaluate(f, checks, today, 14)
	got := map[string]string{}
	for i := range checks {
		got[checks[i].ID] = f.OwnerOf(&checks[i], ev)
	}
	want := map[string]string{
		"1.2.16": "security-team", "1.1.1": "platform-team", "4.2.1": "security-team", "4.2.2": "infrastructure-team",
		"5.1.1": "rbac-team", // expired exception's owner
		"5.1.2": "rbac-team", // accepted: the exception's owner
		"5.1.3": Unowned,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("OwnerOf mismatch (-want +got):\n%s", diff)
	}
	var nilFile *File
	if got := nilFile.OwnerOf(&checks[0], nil); got != Unowned {
		t.Errorf("nil file: OwnerOf = %q, want %q", got, Unowned)
	}
}

func TestStateString(t *testing.T) {
	t.Parallel()
	got := []string{Active.String(), Expiring.String(), Expired.String(), Unused.String(), Retargeted.String(), Unpinned.String(), State(0).String()}
	want := []string{"active", "expiring", "expired", "unused", "retargeted", "unpinned", "State(0)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("State.String mismatch (-want +got):\n%s", diff)
	}
}
