package junit_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/render/junit"
	"github.com/bench-action/bench-action/render/sarif"
	"github.com/google/go-cmp/cmp"
	gojunit "github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/golden"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/verdict"
)

// fmtRawTotals sums kube-bench's own Totals of the result files, read without
// bench-action's parser.
func fmtRawTotals(t *testing.T, files map[string]string) benchresult.Totals {
	t.Helper()
	var sum benchresult.Totals
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(testfleet.KubeBench("x")), name))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Totals struct {
				Pass int `json:"total_pass"`
				Fail int `json:"total_fail"`
				Warn int `json:"total_warn"`
				Info int `json:"total_info"`
			}
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		sum = sum.Plus(benchresult.Totals{Pass: doc.Totals.Pass, Fail: doc.Totals.Fail, Warn: doc.Totals.Warn, Info: doc.Totals.Info})
	}
	return sum
}

func TestWriteJUnitGolden(t *testing.T) {
	t.Parallel()
	var first, second bytes.Buffer
	if err := junit.Write(&first, testfleet.FormatVerdict(t)); err != nil {
		t.Fatal(err)
	}
	if err := junit.Write(&second, testfleet.FormatVerdict(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("two writes of the same verdict differ")
	}
	if bytes.Contains(first.Bytes(), []byte("timestamp=")) {
		t.Errorf("output has a timestamp; none was given")
	}
	golden.Check(t, filepath.Join("testdata", "gate.xml"), first.Bytes())
}

// TestJUnitRoundTrip reads the XML back through go-junit-report's own types,
// as a JUnit consumer would, and checks its counts against the verdict and
// against kube-bench's totals.
func TestJUnitRoundTrip(t *testing.T) {
	t.Parallel()
	v := testfleet.FormatVerdict(t)
	var out bytes.Buffer
	if err := junit.Write(&out, v); err != nil {
		t.Fatal(err)
	}
	var got gojunit.Testsuites
	if err := xml.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JUnit XML: %v", err)
	}

	type counts struct {
		Tests, Failures, Skipped, Errors int // as the suites' attributes say
		Cases, Failed, SkippedCases      int // as the test cases say
		Passed, New, Persisting          int
		Accepted, Warn, Info, NA         int
	}
	var c counts
	var names []string
	for _, s := range got.Suites {
		names = append(names, s.Name)
		c.Tests += s.Tests
		c.Failures += s.Failures
		c.Skipped += s.Skipped
		c.Errors += s.Errors
		seen := map[string]bool{}
		for _, tc := range s.Testcases {
			c.Cases++
			id := tc.Classname + "\x00" + tc.Name
			if seen[id] {
				t.Errorf("suite %s: (classname, name) %q/%q repeats", s.Name, tc.Classname, tc.Name)
			}
			seen[id] = true
			switch {
			case tc.Failure != nil:
				c.Failed++
				switch {
				case strings.HasPrefix(tc.Failure.Message, "new FAIL"), strings.HasPrefix(tc.Failure.Message, "new "+manualFailed):
					c.New++
				case strings.HasPrefix(tc.Failure.Message, "FAIL, in the baseline"), strings.HasPrefix(tc.Failure.Message, manualFailed+", in the baseline"):
					c.Persisting++
				default:
					t.Errorf("%s: failure message %q", tc.Name, tc.Failure.Message)
				}
			case tc.Skipped != nil:
				c.SkippedCases++
				switch tc.Skipped.Type {
				case "accepted":
					c.Accepted++
				case "WARN":
					c.Warn++
				case "INFO":
					c.Info++
				case "NOT APPLICABLE":
					c.NA++
				default:
					t.Errorf("%s: skipped type %q", tc.Name, tc.Skipped.Type)
				}
			default:
				c.Passed++
			}
		}
	}
	raw := fmtRawTotals(t, testfleet.FormatResults)
	na := 0
	for i := range v.Report.Checks {
		if v.Report.Checks[i].NotApplicable != "" {
			na++
		}
	}
	// No check is cluster-wide on more than one node here (w-1 ran only the
	// node target), so kube-bench's totals count each check once.
	total := raw.Pass + raw.Fail + raw.Warn + raw.Info
	fc := v.Counts
	want := counts{
		Tests: total, Failures: fc.Fail, Skipped: total - raw.Pass - fc.Fail, Errors: 0,
		Cases: total, Failed: fc.Fail, SkippedCases: total - raw.Pass - fc.Fail,
		Passed: raw.Pass, New: fc.New, Persisting: fc.Persisting,
		Accepted: v.Counts.Accepted, Warn: raw.Warn - manualFindings(v), Info: raw.Info, NA: na,
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("counts (-want +junit):\n%s", diff)
	}
	if got.Tests != c.Tests || got.Failures != c.Failures || got.Skipped != c.Skipped || got.Errors != 0 {
		t.Errorf("testsuites totals tests=%d failures=%d skipped=%d errors=%d; suites sum to %d, %d, %d, 0",
			got.Tests, got.Failures, got.Skipped, got.Errors, c.Tests, c.Failures, c.Skipped)
	}
	wantNames := []string{"(cluster)/policies", "cp-1/master", "cp-1/etcd", "cp-1/controlplane", "cp-1/node", "w-1/node"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("suites (-want +got):\n%s", diff)
	}
	// The figures of this scenario, so that a change in the fixtures or the
	// gate shows here rather than silently keeping both sides equal.
	if c.Tests != 154 || c.Failures != 27 || c.New != 1 || c.Persisting != 26 || c.Accepted != 1 || c.NA != 1 || c.Warn != 40 || c.Passed != 85 {
		t.Errorf("scenario figures changed: %+v", c)
	}
	t.Logf("junit round trip: %+v; verdict counts %+v", c, v.Counts)
}

// TestJUnitCases checks how each kind of result becomes a test case.
func TestJUnitCases(t *testing.T) {
	t.Parallel()
	v := testfleet.FormatVerdict(t)
	cases := map[string]gojunit.Testcase{} // by suite name + " " + check id
	suites := junit.New(v)
	for _, s := range suites.Suites {
		for _, tc := range s.Testcases {
			cases[s.Name+" "+strings.Fields(tc.Name)[0]] = tc
		}
	}
	tests := []struct {
		name      string
		key       string
		status    string
		classname string
		failure   []string // substrings of message, then of body
		skipped   []string
	}{
		{name: "pass", key: "cp-1/master 1.2.1", status: "PASS", classname: "cis-1.10/master/1.2"},
		{name: "new fail", key: "w-1/node 4.2.2", status: "FAIL", classname: "cis-1.10/node/4.2",
			failure: []string{"new FAIL", "Remediation:\n", "Node: w-1", "Owner: infrastructure-team"}},
		{name: "persisting fail", key: "cp-1/master 1.1.1", status: "FAIL", classname: "cis-1.10/master/1.1",
			failure: []string{"FAIL, in the baseline", "Owner: platform-team"}},
		{name: "could not check", key: "w-1/node 4.3.1", status: "FAIL",
			failure: []string{"FAIL, in the baseline, could not check", "Could not check: failed to run"}},
		{name: "expired exception", key: "cp-1/node 4.2.1", status: "FAIL",
			failure: []string{"FAIL, in the baseline, exception expired 2026-01-15", "kube-bench-exceptions.yaml:8", "accepted by ciso"}},
		{name: "accepted", key: "cp-1/master 1.1.12", status: "FAIL",
			skipped: []string{"FAIL accepted by exception: owner platform-team, review date 2027-01-31, accepted by security-eng",
				"Reason: etcd runs as root in our <kubeadm> image & is tracked in INFRA-101", "Exception: kube-bench-exceptions.yaml:2"}},
		{name: "warn manual", key: "cp-1/master 1.2.20", status: "WARN", skipped: []string{"WARN: manual check", "Remediation:"}},
		{name: "failed manual", key: "cp-1/master 1.1.9", status: "WARN",
			failure: []string{"failed, Manual in this benchmark (kube-bench reports WARN), in the baseline", "Remediation:", "Owner: platform-team"}},
		{name: "not applicable", key: "cp-1/master 1.1.7", status: "NOT APPLICABLE",
			skipped: []string{"NOT APPLICABLE: etcd runs outside the cluster", "kube-bench reported FAIL"}},
		{name: "cluster-wide", key: "(cluster)/policies 5.1.1", status: "WARN", classname: "cis-1.10/policies/5.1",
			skipped: []string{"WARN: unscored check not met", "Remediation:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tc, ok := cases[tt.key]
			if !ok {
				t.Fatalf("no test case %s", tt.key)
			}
			if tc.Status != tt.status {
				t.Errorf("status %q, want %q", tc.Status, tt.status)
			}
			if tt.classname != "" && tc.Classname != tt.classname {
				t.Errorf("classname %q, want %q", tc.Classname, tt.classname)
			}
			check := func(what string, r *gojunit.Result, want []string) {
				if len(want) == 0 {
					if r != nil {
						t.Errorf("unexpected %s %+v", what, r)
					}
					return
				}
				if r == nil {
					t.Fatalf("no %s", what)
				}
				if !strings.HasPrefix(r.Message, want[0]) {
					t.Errorf("%s message %q, want it to start with %q", what, r.Message, want[0])
				}
				for _, s := range want[1:] {
					if !strings.Contains(r.Data, s) {
						t.Errorf("%s body lacks %q:\n%s", what, s, r.Data)
					}
				}
			}
			check("failure", tc.Failure, tt.failure)
			check("skipped", tc.Skipped, tt.skipped)
		})
	}
}

// TestJUnitWarnInfo builds checks kube-bench would report as WARN and INFO
// and checks the two stay apart.
func TestJUnitWarnInfo(t *testing.T) {
	t.Parallel()
	ctl := func(id, typ string, scored bool) *benchresult.Control {
		return &benchresult.Control{Benchmark: "cis-1.10", Target: benchresult.TargetNode, Section: "4.2", ID: id, Text: "check " + id, Type: typ, Scored: scored}
	}
	r := &benchresult.Report{Cluster: "c", Checks: []benchresult.Check{
		{Control: ctl("4.2.1", "manual", false), Cluster: "c", Node: "n", Status: benchresult.Warn},
		{Control: ctl("4.2.2", "", false), Cluster: "c", Node: "n", Status: benchresult.Warn},
		{Control: ctl("4.2.3", "", true), Cluster: "c", Node: "n", Status: benchresult.Warn, Reason: "audit output unreadable"},
		{Control: ctl("4.2.4", "skip", false), Cluster: "c", Node: "n", Status: benchresult.Info},
		{Control: ctl("4.2.5", "", true), Cluster: "c", Node: "n", Status: benchresult.Info},
	}}
	s := junit.New(verdict.Evaluate(r, verdict.Config{}))
	if len(s.Suites) != 1 {
		t.Fatalf("%d suites, want 1", len(s.Suites))
	}
	var got [][2]string
	for _, tc := range s.Suites[0].Testcases {
		if tc.Skipped == nil {
			t.Fatalf("%s not skipped", tc.Name)
		}
		got = append(got, [2]string{tc.Skipped.Type, tc.Skipped.Message})
	}
	want := [][2]string{
		{"WARN", "WARN: manual check"},
		{"WARN", "WARN: unscored check not met"},
		{"WARN", "WARN: audit output unreadable"},
		{"INFO", "INFO: skipped by the benchmark"},
		{"INFO", "INFO"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s.Suites[0].Skipped != 5 || s.Suites[0].Failures != 0 || s.Suites[0].Tests != 5 {
		t.Errorf("suite counts tests=%d failures=%d skipped=%d", s.Suites[0].Tests, s.Suites[0].Failures, s.Suites[0].Skipped)
	}
}

// TestJUnitInvalidCharacters: text from results and exceptions can hold
// bytes XML 1.0 cannot carry at all, not even escaped (NUL, ESC from a
// terminal colour code). The output must stay well-formed.
func TestJUnitInvalidCharacters(t *testing.T) {
	t.Parallel()
	ctl := &benchresult.Control{Benchmark: "cis-1.10", Target: benchresult.TargetMaster, Section: "1.2", ID: "1.2.1",
		Text:        "Ensure \x00anonymous\x1b[31m auth ]]> is <off> & \"quoted\"",
		Remediation: "Set --anonymous-auth=false\x00\x1b[0m ]]> </failure>\xff\n\tthen restart\r\n",
		Scored:      true}
	r := &benchresult.Report{Cluster: "c\x07", Checks: []benchresult.Check{
		{Control: ctl, Cluster: "c\x07", Node: "cp\x01-1", Status: benchresult.Fail, Reason: "audit \x1b failed"},
	}}
	var out bytes.Buffer
	if err := junit.Write(&out, verdict.Evaluate(r, verdict.Config{})); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(out.Bytes(), "\x00\x01\x07\x1b") {
		t.Errorf("output holds control characters:\n%q", out.String())
	}
	// encoding/xml's decoder refuses characters outside XML 1.0's Char.
	var got gojunit.Testsuites
	if err := xml.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not well-formed XML: %v\n%s", err, out.String())
	}
	tc := got.Suites[0].Testcases[0]
	if want := "1.2.1 Ensure anonymous[31m auth ]]> is <off> & \"quoted\""; tc.Name != want { // oneLine drops control characters in names
		t.Errorf("name %q, want %q", tc.Name, want)
	}
	if tc.Failure == nil || !strings.Contains(tc.Failure.Data, "Set --anonymous-auth=false\uFFFD\uFFFD[0m ]]> </failure>\uFFFD\n\tthen restart") {
		t.Errorf("failure body did not survive: %+v", tc.Failure)
	}
	if got.Suites[0].Hostname != "cp\uFFFD-1" {
		t.Errorf("hostname %q", got.Suites[0].Hostname)
	}
}

func TestXMLText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain", "kubelet <config> & \"file\"", "kubelet <config> & \"file\""},
		{"whitespace kept", "a\tb\nc\rd", "a\tb\nc\rd"},
		{"nul and esc", "a\x00b\x1bc", "a\uFFFDb\uFFFDc"},
		{"del and c1 are allowed", "a\x7fb\u0085c", "a\x7fb\u0085c"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
		{"non-characters", "a\uFFFEb\uFFFFc", "a\uFFFDb\uFFFDc"},
		{"astral", "a😀b", "a😀b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := render.XMLText(tt.in); got != tt.want {
				t.Errorf("XMLText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestJUnitLegacyBaseline: the seed's baseline holds only a FAIL count, so
// no single FAIL can be called new or persisting.
func TestJUnitLegacyBaseline(t *testing.T) {
	t.Parallel()
	r := testfleet.FormatReport(t, testfleet.FormatResults)
	v := verdict.Evaluate(r, verdict.Config{Baseline: &baseline.Baseline{Legacy: true, FailCount: 5}})
	failures := 0
	for _, s := range junit.New(v).Suites {
		for _, tc := range s.Testcases {
			if tc.Failure == nil {
				continue
			}
			failures++
			if tc.Failure.Message != "FAIL" && tc.Failure.Message != "FAIL, could not check" && tc.Failure.Message != manualFailed {
				t.Errorf("%s: message %q with a count-only baseline", tc.Name, tc.Failure.Message)
			}
		}
	}
	if failures != v.Counts.Fail {
		t.Errorf("%d failures, verdict has %d open FAILs", failures, v.Counts.Fail)
	}
	for _, res := range sarif.New(v, sarif.Options{}).Runs[0].Results {
		if res.BaselineState != nil {
			t.Errorf("%s: baselineState %q with a count-only baseline", *res.RuleID, *res.BaselineState)
		}
	}
}

// manualFailed is how a JUnit failure names a failed test of a Manual
// check (kube-bench's WARN).
const manualFailed = "failed, Manual in this benchmark (kube-bench reports WARN)"

// manualFindings counts the findings that are failed tests of Manual
// checks: JUnit writes them as failures (or accepted), not as WARN skips.
func manualFindings(v *verdict.Verdict) int {
	n := 0
	for _, f := range v.Findings {
		if f.Kind == verdict.KindFailedManual {
			n++
		}
	}
	return n
}
