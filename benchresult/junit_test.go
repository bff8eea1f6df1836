package benchresult

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/internal/golden"

	"github.com/google/go-cmp/cmp"
)

// update rewrites golden files: go test ./benchresult/... -update

// fixtureDir holds the real kube-bench outputs of the module.
const fixtureDir = "testdata/kube-bench"

// fixture reads a real kube-bench output by name; a missing one fails the
// test (the fixtures are part of the module).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return b
}

// dump renders checks one per line, stable and readable, for golden files.
func dump(nr *NodeResult) string {
	var b strings.Builder
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	fmt.Fprintf(&b, "# format=%s totals: pass=%d fail=%d warn=%d info=%d\n", nr.Format, nr.Totals.Pass, nr.Totals.Fail, nr.Totals.Warn, nr.Totals.Info)
	for _, c := range nr.Checks {
		extra := ""
		if c.Reason != "" {
			extra = " reason=" + fmt.Sprintf("%q", c.Reason)
		}
		fmt.Fprintf(&b, "%-15s %-9s %-4s node=%s benchmark=%s section=%s%s\n", c.Target, c.ID, c.Status, dash(c.Node), dash(c.Benchmark), dash(c.Section), extra)
	}
	return b.String()
}

func goldenDump(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name), []byte(got))
}

func TestJUnitGolden(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"v0.14.1-cis-1.10-mixed.xml", "v0.14.1-cis-1.10-insecure.xml"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			nr, err := ParseBytes(fixture(t, name), name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if nr.Format != FormatJUnit {
				t.Errorf("format %s, want junit", nr.Format)
			}
			goldenDump(t, name+".golden", dump(nr))
		})
	}
}

// TestFormatsAgree reads the same kube-bench run in its three formats and
// wants the same status, target and section for every check id, and the
// totals kube-bench itself printed.
func TestFormatsAgree(t *testing.T) {
	t.Parallel()
	wantTotals := map[string]Totals{
		"v0.14.1-cis-1.10-mixed":    {Pass: 71, Fail: 9, Warn: 50},
		"v0.14.1-cis-1.10-insecure": {Pass: 32, Fail: 41, Warn: 57},
	}
	for run, want := range wantTotals {
		t.Run(run, func(t *testing.T) {
			t.Parallel()
			type row struct {
				Target  Target
				Section string
				Status  Status
				Text    string
			}
			results := map[string]map[string]row{}
			var jsonChecks []Check
			for _, ext := range []string{"json", "xml", "txt"} {
				nr, err := ParseBytes(fixture(t, run+"."+ext), run+"."+ext, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(want, nr.Totals); d != "" {
					t.Errorf("%s totals (-kube-bench +parsed):\n%s", ext, d)
				}
				rows := map[string]row{}
				for _, c := range nr.Checks {
					rows[string(c.Target)+"/"+c.ID] = row{c.Target, c.Section, c.Status, c.Text}
				}
				results[ext] = rows
				if ext == "json" {
					jsonChecks = nr.Checks
				}
			}
			for _, ext := range []string{"xml", "txt"} {
				if d := cmp.Diff(results["json"], results[ext]); d != "" {
					t.Errorf("%s differs from json (-json +%s):\n%s", ext, ext, d)
				}
			}
			// JUnit's system-out carries everything but the benchmark id.
			xml, _ := ParseBytes(fixture(t, run+".xml"), run+".xml", Options{})
			for i := range jsonChecks {
				j := jsonChecks[i]
				ctl := *j.Control
				ctl.Benchmark = ""
				j.Control = &ctl
				if d := cmp.Diff(j, xml.Checks[i]); d != "" {
					t.Errorf("junit check %d differs from json (-json +junit):\n%s", i, d)
					break
				}
			}
		})
	}
}

// wrapperless turns kube-bench's JUnit into what kube-bench before v0.6.4
// printed: one <testsuite> document per target, no <testsuites>.
func wrapperless(b []byte) []byte {
	b = bytes.Replace(b, []byte("<testsuites>\n"), nil, 1)
	return bytes.Replace(b, []byte("</testsuites>"), nil, 1)
}

// stripSystemOut removes every <system-out> element.
func stripSystemOut(b []byte) []byte {
	var out bytes.Buffer
	for {
		i := bytes.Index(b, []byte("<system-out>"))
		if i < 0 {
			out.Write(b)
			return out.Bytes()
		}
		out.Write(b[:i])
		j := bytes.Index(b[i:], []byte("</system-out>"))
		b = b[i+j+len("</system-out>"):]
	}
}

func TestJUnitShapes(t *testing.T) {
	t.Parallel()
	real := fixture(t, "v0.14.1-cis-1.10-mixed.xml")
	want, err := ParseBytes(real, "x.xml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	statuses := func(nr *NodeResult) map[string]Status {
		m := map[string]Status{}
		for _, c := range nr.Checks {
			m[string(c.Target)+"/"+c.ID] = c.Status
		}
		return m
	}
	var prefixed bytes.Buffer
	prefixed.WriteString("[pod/kube-bench-x/kube-bench] I1126 10:00:00.000000 1 util.go:1] some log\n")
	for _, l := range strings.SplitAfter(string(real), "\n") {
		if l != "" {
			prefixed.WriteString("[pod/kube-bench-x/kube-bench] " + l)
		}
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"pre-v0.6.4 concatenated suites", wrapperless(real)},
		{"with an XML declaration", append([]byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), real...)},
		{"kubectl logs with log lines around", append(append([]byte("W1126 10:00:00.000000 1 util.go:1] warning: kubernetes version not detected\n"), real...), "I1126 done\n"...)},
		{"kubectl logs --prefix", prefixed.Bytes()},
		{"CRLF", bytes.ReplaceAll(real, []byte("\n"), []byte("\r\n"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseBytes(tt.in, "x.xml", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want.Checks, got.Checks); d != "" {
				t.Errorf("checks differ (-want +got):\n%s", d)
			}
			if got.Totals != want.Totals {
				t.Errorf("totals %+v, want %+v", got.Totals, want.Totals)
			}
		})
	}
	t.Run("without system-out", func(t *testing.T) {
		t.Parallel()
		got, err := ParseBytes(stripSystemOut(real), "x.xml", Options{})
		if err != nil {
			t.Fatal(err)
		}
		// WARN and INFO both read as WARN; this run has no INFO.
		if d := cmp.Diff(statuses(want), statuses(got)); d != "" {
			t.Errorf("statuses differ (-want +got):\n%s", d)
		}
		for _, c := range got.Checks {
			if c.Status == Fail && c.Remediation == "" {
				t.Errorf("FAIL %s: no remediation from <failure>", c.ID)
			}
		}
	})
}

func TestJUnitCases(t *testing.T) {
	t.Parallel()
	const okCase = `<testcase name="4.1.1 Ensure x (Automated)" classname="Worker Node Configuration Files" time="0"><skipped></skipped>` +
		`<system-out>{&#34;test_number&#34;:&#34;4.1.1&#34;,&#34;test_desc&#34;:&#34;Ensure x (Automated)&#34;,&#34;type&#34;:&#34;skip&#34;,&#34;status&#34;:&#34;INFO&#34;,&#34;scored&#34;:true,&#34;reason&#34;:&#34;Test marked as skip&#34;}</system-out></testcase>`
	suite := func(name, tests, body string) string {
		return `<testsuites><testsuite name="` + name + `" tests="` + tests + `" failures="0" errors="0" time="0">` + body + `</testsuite></testsuites>`
	}
	tests := []struct {
		name    string
		in      string
		target  Target
		status  Status
		wantErr string
		notKB   bool
	}{
		{name: "INFO from system-out", in: suite("Worker Node Security Configuration", "1", okCase), target: TargetNode, status: Info},
		{name: "unknown suite name falls back to the id", in: suite("Worker Node Security Configuration (renamed)", "1", okCase), target: TargetNode, status: Info},
		{name: "V- id of eks-stig", in: suite("Managed Services", "1", `<testcase name="V-242386 The API server must not be insecure" classname="x"><skipped/></testcase>`), target: TargetManagedServices, status: Warn},
		{name: "empty target", in: `<testsuites><testsuite name="Control Plane Components" tests="0" failures="0"></testsuite>` + `</testsuites>`, wantErr: "no checks", notKB: true},
		{name: "counts disagree", in: suite("Worker Node Security Configuration", "2", okCase), wantErr: "the input disagrees with itself: testsuite \"Worker Node Security Configuration\" says tests=2, failures=0 but its results count 1 testcase,"},
		{name: "system-out disagrees with the element", in: suite("Worker Node Security Configuration", "1", strings.Replace(okCase, "<skipped></skipped>", "", 1)), wantErr: "system-out says INFO but the testcase is marked passed"},
		{name: "system-out of another check", in: suite("Worker Node Security Configuration", "1", strings.Replace(okCase, "&#34;4.1.1&#34;", "&#34;4.1.2&#34;", 1)), wantErr: `describes check "4.1.2"`},
		{name: "go test JUnit", in: `<testsuites tests="1"><testsuite name="github.com/x/y" tests="1" failures="0" errors="0" id="0" hostname="h" time="0.1"><testcase name="TestFoo" classname="github.com/x/y" time="0.00"></testcase></testsuite></testsuites>`, wantErr: "another tool", notKB: true},
		{name: "unknown root", in: `<?xml version="1.0"?><report><x/></report>`, wantErr: "root is <report>", notKB: true},
		{name: "doctype with entities", in: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><testsuites></testsuites>`, wantErr: "DOCTYPE", notKB: true},
		{name: "undeclared entity", in: suite("Worker Node Security Configuration", "1", `<testcase name="4.1.1 &lol;" classname="x"></testcase>`), wantErr: "invalid XML"},
		{name: "truncated", in: suite("Worker Node Security Configuration", "1", okCase)[:200], wantErr: "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			nr, err := ParseBytes([]byte(tt.in), "case.xml", Options{})
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, want %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "case.xml") {
					t.Errorf("error %q, want it to name case.xml and say %q", err, tt.wantErr)
				}
				if errors.Is(err, ErrNotKubeBench) != tt.notKB {
					t.Errorf("errors.Is(err, ErrNotKubeBench) = %v, want %v: %v", !tt.notKB, tt.notKB, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := nr.Checks[0]
			if c.Target != tt.target || c.Status != tt.status {
				t.Errorf("got %s %s, want %s %s", c.Target, c.Status, tt.target, tt.status)
			}
		})
	}
}
