package exceptions

import (
	"os"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/golden"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// rewriteCase is one run of Pin or Migrate on a file of testdata/rewrite.
type rewriteCase struct {
	name  string // the golden files are testdata/rewrite/NAME.golden.yaml and NAME.changes.txt
	input string
	run   func(data []byte, source string) ([]byte, []Change, error)
}

func rewriteCases(t *testing.T) []rewriteCase {
	t.Helper()
	checks := fixtureChecks(t, "v0.14.1-cis-1.10-insecure.json")
	pin := func(data []byte, source string) ([]byte, []Change, error) { return Pin(data, source, checks) }
	migrate := func(from string) func([]byte, string) ([]byte, []Change, error) {
		return func(data []byte, source string) ([]byte, []Change, error) {
			return Migrate(data, source, "cis-1.10", from)
		}
	}
	return []rewriteCase{
		{"pin", "pin.yaml", pin},
		{"migrate", "migrate.yaml", migrate("")},
		{"migrate-from-cis-1.8", "migrate.yaml", migrate("cis-1.8")},
	}
}

// TestRewriteGolden: what Pin and Migrate make of a commented file, and
// what they say about it.
func TestRewriteGolden(t *testing.T) {
	t.Parallel()
	for _, tt := range rewriteCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := readRewrite(t, tt.input)
			out, changes, err := tt.run(in, tt.input)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "testdata/rewrite/"+tt.name+".golden.yaml", out)
			var report strings.Builder
			for _, c := range changes {
				mark := "edited"
				if !c.Edited {
					mark = "review"
				}
				report.WriteString(tt.input + ":" + c.String() + " [" + mark + "]\n")
			}
			golden.Check(t, "testdata/rewrite/"+tt.name+".changes.txt", []byte(report.String()))
		})
	}
}

// TestRewriteKeepsComments: every comment of the input is in the output,
// as often, and nothing but the control's fields changed.
func TestRewriteKeepsComments(t *testing.T) {
	t.Parallel()
	for _, tt := range rewriteCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := readRewrite(t, tt.input)
			out, _, err := tt.run(in, tt.input)
			if err != nil {
				t.Fatal(err)
			}
			want, got := comments(string(in)), comments(string(out))
			if len(want) < 10 {
				t.Fatalf("%s has %d comments; the test wants a file with many", tt.input, len(want))
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("comments (-input +output):\n%s", d)
			}
			t.Logf("%s: %d of %d comments kept", tt.name, len(got), len(want))
			// Only lines of check_id, check_description, benchmark and
			// target are new or changed.
			old := map[string]int{}
			for _, l := range strings.Split(string(in), "\n") {
				old[l]++
			}
			for _, l := range strings.Split(string(out), "\n") {
				if old[l] > 0 {
					old[l]--
					continue
				}
				if !strings.Contains(l, "check_id:") && !strings.Contains(l, "check_description:") && !strings.Contains(l, "benchmark:") {
					t.Errorf("a line other than the control's fields changed: %q", l)
				}
			}
			a, err := Parse(in, tt.input, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := Parse(out, tt.input, ParseOptions{})
			if err != nil {
				t.Fatalf("the output does not parse: %v", err)
			}
			keep := func(e Exception) Exception {
				return Exception{Reason: e.Reason, Owner: e.Owner, ReviewDate: e.ReviewDate, RiskAcceptedBy: e.RiskAcceptedBy, Nodes: e.Nodes, Clusters: e.Clusters}
			}
			for i := range a.Exceptions {
				if d := cmp.Diff(keep(a.Exceptions[i]), keep(b.Exceptions[i])); d != "" {
					t.Errorf("exception %d: owner, reason, dates or scope changed (-in +out):\n%s", i+1, d)
				}
			}
			if d := cmp.Diff(a.Owners, b.Owners, cmpopts.IgnoreFields(OwnerRule{}, "Line")); d != "" {
				t.Errorf("owners changed:\n%s", d)
			}
		})
	}
}

// TestRewriteIdempotent: a second run on the output changes nothing.
func TestRewriteIdempotent(t *testing.T) {
	t.Parallel()
	for _, tt := range rewriteCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			once, first, err := tt.run(readRewrite(t, tt.input), tt.input)
			if err != nil {
				t.Fatal(err)
			}
			twice, second, err := tt.run(once, tt.input)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(once), string(twice)); d != "" {
				t.Errorf("a second run changed the file (-first +second):\n%s", d)
			}
			for _, c := range second {
				if c.Edited {
					t.Errorf("second run edited %s: %s", c.CheckID, c.Message)
				}
			}
			if edited(first) == 0 {
				t.Errorf("the first run edited nothing: the test would pass whatever the second does")
			}
		})
	}
}

// TestPinnedExceptionsHold: the exceptions pin wrote are active on the
// results they were pinned against (none retargeted, none unpinned), and
// accept what they accepted before.
func TestPinnedExceptionsHold(t *testing.T) {
	t.Parallel()
	checks := fixtureChecks(t, "v0.14.1-cis-1.10-insecure.json")
	in := readRewrite(t, "pin.yaml")
	out, _, err := Pin(in, "pin.yaml", checks)
	if err != nil {
		t.Fatal(err)
	}
	before, after := evaluateBytes(t, in, checks), evaluateBytes(t, out, checks)
	for i, s := range after.Statuses {
		b := before.Statuses[i]
		if s.State == Retargeted || s.State == Unpinned && s.Exception.CheckDescription != "" {
			t.Errorf("%s after pin: %s (%s)", s.Exception.CheckID, s.State, s.Detail)
		}
		if s.Matches != b.Matches {
			t.Errorf("%s: %d matches after pin, %d before", s.Exception.CheckID, s.Matches, b.Matches)
		}
	}
	if len(after.Accepted) != len(before.Accepted) || len(after.Accepted) == 0 {
		t.Errorf("accepted %d FAILs after pin, %d before", len(after.Accepted), len(before.Accepted))
	}
}

// TestMigratedExceptionsHold: cis-1.8 exceptions migrated to cis-1.10
// name the same controls there: each accepts the FAIL of the control it
// was written for, and none is retargeted.
func TestMigratedExceptionsHold(t *testing.T) {
	t.Parallel()
	checks := fixtureChecks(t, "v0.14.1-cis-1.10-insecure.json")
	for i := range checks {
		checks[i].Node = "cp-1" // in the scope of the nodes: [cp-1, cp-2] exception
	}
	out, _, err := Migrate(readRewrite(t, "migrate.yaml"), "migrate.yaml", "cis-1.10", "cis-1.8")
	if err != nil {
		t.Fatal(err)
	}
	ev := evaluateBytes(t, out, checks)
	got := map[string]string{}
	for _, s := range ev.Statuses {
		got[s.Exception.CheckID] = s.State.String()
		if s.State == Retargeted {
			t.Errorf("%s: retargeted after migrate: %s", s.Exception.CheckID, s.Detail)
		}
	}
	accepted := map[string]bool{}
	for k := range ev.Accepted {
		accepted[k.ID] = true
	}
	// --profiling and --audit-log-path FAIL in these results; admin.conf passes.
	for _, id := range []string{"1.2.15", "1.2.16"} {
		if !accepted[id] {
			t.Errorf("%s FAILs and is not accepted after migrate; states %v", id, got)
		}
	}
}

func TestMigrateCases(t *testing.T) {
	t.Parallel()
	entry := func(fields string) []byte {
		return []byte("exceptions:\n  - " + fields + "\n    reason: r\n    owner: o\n    review_date: \"2026-11-01\"\n    risk_accepted_by: c\n")
	}
	tests := []struct {
		name, to, from, fields string
		want                   string // the check_id line after the run
		edited                 bool
		message                string
	}{
		{"renumbered by benchmark", "cis-1.10", "", "check_id: \"1.2.16\"\n    benchmark: cis-1.8", `check_id: "1.2.15"`, true, "1.2.16 → 1.2.15 (--profiling); benchmark cis-1.8 → cis-1.10"},
		{"renumbered by --from", "cis-1.10", "cis-1.8", "check_id: 1.2.17", `check_id: 1.2.16`, true, "1.2.17 → 1.2.16 (--audit-log-path); benchmark cis-1.10 added (the new id means another control in cis-1.8)"},
		{"by its description, misspelled", "cis-1.10", "", "check_id: 1.2.16\n    check_description: the --profilling argument", `check_id: 1.2.15`, true, "1.2.16 → 1.2.15 (--profiling); benchmark cis-1.10 added"},
		{"reworded, same id", "cis-1.10", "", "check_id: \"1.1.13\"\n    benchmark: cis-1.8", `check_id: "1.1.13"`, true, "1.1.13 stays 1.1.13 (permissions of admin.conf); benchmark cis-1.8 → cis-1.10"},
		{"vanished", "cis-1.10", "", "check_id: 1.2.12\n    benchmark: cis-1.8", `check_id: 1.2.12`, false, "1.2.12 (--enable-admission-plugins has SecurityContextDeny, --enable-admission-plugins has PodSecurityPolicy) no longer exists in cis-1.10"},
		{"already in the benchmark", "cis-1.10", "", "check_id: 1.2.15\n    benchmark: cis-1.10", `check_id: 1.2.15`, false, ""},
		{"cannot tell", "cis-1.10", "", "check_id: 1.2.16", `check_id: 1.2.16`, false, "give --from"},
		{"a benchmark glob is left as is", "cis-1.10", "cis-1.8", "check_id: 1.2.16\n    benchmark: cis-1.[0-8]", `check_id: 1.2.15`, true, `benchmark "cis-1.[0-8]" left as is, but it does not cover cis-1.10`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, changes, err := Migrate(entry(tt.fields), "x.yaml", tt.to, tt.from)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tt.want+"\n") {
				t.Errorf("output does not have %q:\n%s", tt.want, out)
			}
			if tt.message == "" {
				if len(changes) != 0 {
					t.Errorf("changes %v, want none", changes)
				}
				return
			}
			if len(changes) != 1 {
				t.Fatalf("changes %v, want one", changes)
			}
			if c := changes[0]; c.Edited != tt.edited || !strings.Contains(c.Message, tt.message) || c.Line != 2 {
				t.Errorf("change %+v, want edited %v, line 2, a message with %q", c, tt.edited, tt.message)
			}
		})
	}
}

func TestPinCases(t *testing.T) {
	t.Parallel()
	check := func(bench, target, id, text, node string) benchresult.Check {
		return benchresult.Check{Control: &benchresult.Control{Benchmark: bench, Target: benchresult.Target(target), ID: id, Text: text, Section: id[:strings.LastIndex(id, ".")], SectionText: "API Server"},
			Node: node, Status: benchresult.Fail}
	}
	const profiling = "Ensure that the --profiling argument is set to false (Automated)"
	entry := "exceptions:\n  - check_id: \"1.2.15\"\n    reason: r\n    owner: o\n    review_date: \"2026-11-01\"\n    risk_accepted_by: c\n"
	tests := []struct {
		name    string
		in      string
		checks  []benchresult.Check
		want    string // a line of the output
		message string
	}{
		{"one benchmark", entry, []benchresult.Check{check("cis-1.10", "master", "1.2.15", profiling, "a"), check("cis-1.10", "master", "1.2.15", profiling, "b")},
			"    benchmark: cis-1.10\n", `pinned check_description "` + profiling + `", benchmark cis-1.10`},
		{"two benchmarks, one text", entry, []benchresult.Check{check("cis-1.10", "master", "1.2.15", profiling, "a"), check("cis-1.9", "master", "1.2.15", profiling, "b")},
			`    check_description: "` + profiling + "\"\n", "benchmark not pinned: matches in cis-1.10 or cis-1.9"},
		{"two controls", entry, []benchresult.Check{check("cis-1.10", "master", "1.2.15", profiling, "a"), check("cis-1.8", "master", "1.2.15", "Ensure that the --audit-log-path argument is set", "b")},
			"  - check_id: \"1.2.15\"\n    reason: r\n", "matches different controls"},
		{"no match", entry, []benchresult.Check{check("cis-1.10", "master", "1.2.16", profiling, "a")},
			"  - check_id: \"1.2.15\"\n    reason: r\n", "1.2.15 matches no check in the results: left alone"},
		{"CRLF", strings.ReplaceAll(entry, "\n", "\r\n"), []benchresult.Check{check("cis-1.10", "master", "1.2.15", profiling, "a")},
			"\r\n    check_description: \"" + profiling + "\"\r\n    benchmark: cis-1.10\r\n    reason: r\r\n", "pinned"},
		{"a flow mapping", "exceptions:\n  - {check_id: 1.2.15, reason: r, owner: o, review_date: \"2026-11-01\", risk_accepted_by: c}\n", []benchresult.Check{check("cis-1.10", "master", "1.2.15", profiling, "a")},
			`{check_id: 1.2.15, check_description: "` + profiling + `", benchmark: cis-1.10, reason: r`, "pinned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, changes, err := Pin([]byte(tt.in), "x.yaml", tt.checks)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("output does not have %q:\n%s", tt.want, out)
			}
			if len(changes) != 1 || !strings.Contains(changes[0].Message, tt.message) {
				t.Errorf("changes %v, want one saying %q", changes, tt.message)
			}
		})
	}
}

func TestRewriteRefusesInvalidFiles(t *testing.T) {
	t.Parallel()
	bad := []byte("exceptions:\n  - check_id: 1.2.15\n    reason: r\n")
	if _, _, err := Pin(bad, "bad.yaml", nil); err == nil || !strings.Contains(err.Error(), "bad.yaml:2") {
		t.Errorf("Pin of an invalid file: %v, want its problems", err)
	}
	if _, _, err := Migrate(bad, "bad.yaml", "cis-1.10", ""); err == nil {
		t.Error("Migrate of an invalid file: no error")
	}
	if _, _, err := Migrate([]byte("exceptions: []\n"), "x.yaml", "cis-9.99", ""); err == nil || !strings.Contains(err.Error(), "cis-9.99") {
		t.Errorf("Migrate to an unknown benchmark: %v", err)
	}
}

func readRewrite(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/rewrite/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func evaluateBytes(t *testing.T, data []byte, checks []benchresult.Check) *Evaluation {
	t.Helper()
	f, err := Parse(data, "x.yaml", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return Evaluate(f, checks, Date{2026, 7, 1}, -1)
}

// comments lists the comments of a YAML text: from a " #" or a leading
// "#" to the end of the line (the files here have no "#" in strings).
func comments(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, "#"); i >= 0 && (i == 0 || l[i-1] == ' ') {
			out = append(out, l[i:])
		}
	}
	return out
}

func edited(cs []Change) int {
	n := 0
	for _, c := range cs {
		if c.Edited {
			n++
		}
	}
	return n
}
