package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCLI runs the command in-process with a pinned clock and empty
// environment, and returns the exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		getenv: func(string) string { return "" },
		now:    func() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }}
	code := run(e, args)
	return code, out.String(), errOut.String()
}

const fixtures = "../../internal/testfleet/testdata/scenario"

func TestReportJSONContract(t *testing.T) {
	t.Parallel()
	code, out, stderr := runCLI(t, "", "report", "--format", "json", "--cluster", "prod", fixtures)
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Totals map[string]int `json:"totals"`
		Checks []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// kube-bench's own totals of the four files: 71+78+15+14 PASS, 9+3+4+5 FAIL, 50+49+5+5 WARN.
	want := map[string]int{"pass": 178, "fail": 21, "warn": 109, "info": 0}
	for k, n := range want {
		if doc.Totals[k] != n {
			t.Errorf("totals.%s = %d, want %d", k, doc.Totals[k], n)
		}
	}
	for _, field := range []string{"id", "target", "status", "node", "benchmark"} {
		if _, ok := doc.Checks[0][field]; !ok {
			t.Errorf("checks[0] has no %q: %v", field, doc.Checks[0])
		}
	}
}

func TestGateExitCodes(t *testing.T) {
	t.Parallel()
	base := filepath.Join(t.TempDir(), "base.json")
	if code, _, stderr := runCLI(t, "", "baseline", "--output", base, "--cluster", "prod", fixtures); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	legacy := filepath.Join(t.TempDir(), ".kube-bench-baseline")
	os.WriteFile(legacy, []byte("3\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"same results as the baseline pass", []string{"--baseline", base}, exitPass},
		{"no baseline: every open FAIL is new", nil, exitFail},
		{"fail-on none never fails on findings", []string{"--fail-on", "none"}, exitPass},
		{"fail-on any fails on persisting FAILs", []string{"--baseline", base, "--fail-on", "any"}, exitFail},
		{"seed's FAIL-count baseline below the count fails", []string{"--baseline", legacy}, exitFail},
		{"expired exception fails", []string{"--baseline", base, "--exceptions", fixtures + "/exceptions.yaml"}, exitFail},
		{"expired exception allowed", []string{"--baseline", base, "--exceptions", fixtures + "/exceptions.yaml", "--allow-expired"}, exitPass},
		{"bad --fail-on", []string{"--fail-on", "some"}, exitUsage},
		{"bad --now", []string{"--now", "2026-02-30"}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"gate", "--cluster", "prod", "--now", "2026-11-26"}, tc.args...)
			code, out, stderr := runCLI(t, "", append(args, fixtures)...)
			if code != tc.want {
				t.Errorf("exit %d, want %d\nstdout: %.400s\nstderr: %s", code, tc.want, out, stderr)
			}
		})
	}
}

func TestBadInputExitsTwoNamingTheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	real, err := os.ReadFile(fixtures + "/w-1.json")
	if err != nil {
		t.Fatal(err)
	}
	emptyDir := filepath.Join(dir, "no-results")
	os.Mkdir(emptyDir, 0o755)
	os.WriteFile(filepath.Join(emptyDir, "notes.md"), []byte("x"), 0o644)
	loop := filepath.Join(dir, "loop.json")
	os.Symlink(loop, loop)
	aDir := filepath.Join(dir, "adir")
	os.Mkdir(aDir, 0o755)
	for _, tc := range []struct {
		name, input, mention string
	}{
		{"empty file", write("empty.json", ""), "empty.json"},
		{"white space only", write("blank.json", " \n\t\n"), "blank.json"},
		{"truncated JSON", write("cut.json", string(real[:len(real)/2])), "cut.json"},
		{"HTML error page", write("html.json", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"), "html.json"},
		{"kubectl error", write("kubectl.txt", "Error from server (NotFound): jobs.batch \"kube-bench\" not found\n"), "kubectl.txt"},
		{"trivy report", write("trivy.json", `{"SchemaVersion":2,"ArtifactName":"nginx","Results":[]}`), "trivy.json"},
		{"wrong type", write("types.json", `{"Controls":[{"id":"4","version":"cis-1.10","node_type":"node","tests":[{"section":"4.1","results":[{"test_number":"4.1.1","status":5}]}]}]}`), "types.json"},
		{"directory without results", emptyDir, "no-results"},
		{"glob matching nothing", filepath.Join(dir, "nothing-*.json"), "nothing-*.json"},
		{"symlink loop", loop, "loop.json"},
		{"a directory given as a node file", "n1=" + aDir, "adir"},
		{"missing file", filepath.Join(dir, "missing.json"), "missing.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, cmd := range []string{"report", "gate"} {
				code, _, stderr := runCLI(t, "", cmd, tc.input)
				if code != exitUsage {
					t.Errorf("%s: exit %d, want 2; stderr: %s", cmd, code, stderr)
				}
				if !strings.Contains(stderr, tc.mention) {
					t.Errorf("%s: message does not name %q: %s", cmd, tc.mention, stderr)
				}
				if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
					t.Errorf("%s: stack trace: %s", cmd, stderr)
				}
			}
		})
	}
}

func TestEveryBadInputIsReported(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), []byte("<html></html>"), 0o644)
	code, _, stderr := runCLI(t, "", "report", dir)
	if code != exitUsage || !strings.Contains(stderr, "a.json") || !strings.Contains(stderr, "b.json") {
		t.Errorf("exit %d; want 2 and both files named: %s", code, stderr)
	}
}

func TestStdinAndUsage(t *testing.T) {
	t.Parallel()
	data, _ := os.ReadFile(fixtures + "/w-1.json")
	code, out, stderr := runCLI(t, string(data), "report", "w-9=-")
	if code != exitPass || !strings.Contains(out, "w-9") {
		t.Errorf("stdin: exit %d: %s %s", code, out, stderr)
	}
	if code, _, _ := runCLI(t, "", "nonsense"); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
	if code, _, stderr := runCLI(t, "", "report"); code != exitUsage || !strings.Contains(stderr, "no INPUT") {
		t.Errorf("no input: exit %d: %s", code, stderr)
	}
}

func TestGateFormats(t *testing.T) {
	t.Parallel()
	for _, f := range []struct{ format, starts string }{
		{"text", "bench-action gate: FAIL"}, {"json", "{"}, {"markdown", "### ❌"},
		{"junit", "<?xml"}, {"sarif", "{"},
	} {
		code, out, stderr := runCLI(t, "", "gate", "--format", f.format, "--cluster", "prod", fixtures)
		if code != exitFail || !strings.HasPrefix(out, f.starts) {
			t.Errorf("--format %s: exit %d, output starts %.40q; stderr %s", f.format, code, out, stderr)
		}
	}
	if code, _, _ := runCLI(t, "", "gate", "--format", "pdf", fixtures); code != exitUsage {
		t.Errorf("--format pdf: exit %d, want 2", code)
	}
}

func TestGateRefusesAFleetWithoutChecks(t *testing.T) {
	t.Parallel()
	empty := "../../benchresult/testdata/kube-bench/v0.14.1-eks-1.7.0-mixed-master.json"
	if code, out, _ := runCLI(t, "", "report", "--format", "json", empty); code != exitPass || !strings.Contains(out, `"pass": 0`) {
		t.Errorf("report of an empty target: exit %d", code)
	}
	if code, _, stderr := runCLI(t, "", "gate", empty); code != exitUsage || !strings.Contains(stderr, "nothing to gate") {
		t.Errorf("gate of an empty target: exit %d: %s", code, stderr)
	}
}

func TestBadExceptionsExitTwoWithFileAndLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	entry := func(fields string) string {
		return "exceptions:\n  - check_id: \"4.2.1\"\n    reason: r\n    owner: o\n    risk_accepted_by: a\n" + fields
	}
	for _, tc := range []struct{ name, yaml, want string }{
		{"bad date", entry("    review_date: \"2027-13-01\"\n"), ":6:"},
		{"february 30", entry("    review_date: \"2027-02-30\"\n"), ":6:"},
		{"fifty years", entry("    review_date: \"2076-01-01\"\n"), ":6:"},
		{"typo in a field", entry("    reveiw_date: \"2027-01-01\"\n"), ":6:"},
		{"tab indentation", "exceptions:\n\t- check_id: \"1\"\n", ":2:"},
		{"duplicate key", entry("    review_date: \"2027-01-01\"\n    owner: p\n"), ":7:"},
		{"billion laughs", "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nexceptions: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n", ":1:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			os.WriteFile(path, []byte(tc.yaml), 0o644)
			for _, args := range [][]string{{"exceptions", "lint", path}, {"gate", "--exceptions", path, fixtures}} {
				code, _, stderr := runCLI(t, "", args...)
				if code != exitUsage || !strings.Contains(stderr, path+tc.want) {
					t.Errorf("%s: exit %d, want 2 and %q in: %s", args[0], code, path+tc.want, stderr)
				}
				if strings.Contains(stderr, "goroutine") {
					t.Errorf("stack trace: %s", stderr)
				}
			}
		})
	}
}
