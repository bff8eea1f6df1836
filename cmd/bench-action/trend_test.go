package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// trendFixtures holds the real kube-bench outputs of this module.
const trendFixtures = "../../benchresult/testdata/kube-bench/"

func TestTrendCommands(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(trendFixtures); err != nil {
		t.Fatalf("fixtures: %v", err)
	}
	dir := t.TempDir()
	h := filepath.Join(dir, "history.jsonl")
	for _, f := range []string{"v0.14.1-cis-1.10-insecure.json", "v0.14.1-cis-1.10-mixed.json"} {
		if code, _, stderr := runCLI(t, "", "trend", "append", "--history", h, "--cluster", "prod", "cp-1="+trendFixtures+f); code != 0 {
			t.Fatalf("append %s: exit %d: %s", f, code, stderr)
		}
	}
	code, out, stderr := runCLI(t, "", "trend", "report", "--history", h)
	if code != 0 || !strings.Contains(out, "## Cluster prod") || !strings.Contains(out, "xychart-beta") {
		t.Errorf("report markdown: exit %d, %s\n%s", code, stderr, out)
	}
	html := filepath.Join(dir, "trend.html")
	if code, _, stderr := runCLI(t, "", "trend", "report", "--history", h, "--format", "html", "--output", html); code != 0 {
		t.Errorf("report html: exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(html); !strings.Contains(string(data), "<svg") {
		t.Errorf("html report has no chart")
	}
	if code, _, stderr := runCLI(t, "", "trend", "compact", "--history", h, "--keep-runs", "1"); code != 0 || !strings.Contains(stderr, "kept 1 run, dropped 1") {
		t.Errorf("compact: exit %d: %s", code, stderr)
	}
	conv := filepath.Join(dir, "converted.jsonl")
	if code, _, stderr := runCLI(t, "", "trend", "convert", "--history", "../../trend/testdata/seed-history.json", "--cluster", "prod", "--output", conv); code != 0 || !strings.Contains(stderr, "3 runs") {
		t.Errorf("convert: exit %d: %s", code, stderr)
	}
}

func TestTrendBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	torn := filepath.Join(dir, "torn.jsonl")
	os.WriteFile(torn, []byte("{\"v\":1,\"ti\n{\"v\":1,\"time\":\"2026-01-01T00:00:00Z\",\"cluster\":\"a\",\"totals\":{\"pass\":1,\"fail\":0,\"warn\":0,\"info\":0}}\n"), 0o644)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no history flag", []string{"trend", "report"}, "--history is required"},
		{"missing history", []string{"trend", "report", "--history", filepath.Join(dir, "nope.jsonl")}, "nope.jsonl"},
		{"torn middle line", []string{"trend", "report", "--history", torn}, "torn.jsonl: line 1:"},
		{"unknown cluster", []string{"trend", "report", "--history", torn, "--cluster", "b"}, `cluster "b"`},
		{"bad format", []string{"trend", "report", "--history", torn, "--format", "pdf"}, "--format"},
		{"bad keep", []string{"trend", "compact", "--history", torn, "--keep", "forever"}, "--keep"},
		{"unknown subcommand", []string{"trend", "frobnicate"}, "unknown subcommand"},
		{"metrics of a missing file", []string{"metrics", filepath.Join(dir, "missing.json")}, "missing.json"},
		{"metrics with both outputs", []string{"metrics", "--textfile", "x.prom", "--push", "http://127.0.0.1:1", "in.json"}, "not both"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.name == "unknown cluster" {
				// the torn middle line is reported first; use a clean history
				clean := filepath.Join(t.TempDir(), "h.jsonl")
				os.WriteFile(clean, []byte("{\"v\":1,\"time\":\"2026-01-01T00:00:00Z\",\"cluster\":\"a\",\"totals\":{\"pass\":1,\"fail\":0,\"warn\":0,\"info\":0}}\n"), 0o644)
				tt.args[3] = clean
			}
			code, _, stderr := runCLI(t, "", tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "goroutine") {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

func TestMetricsCommand(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(trendFixtures); err != nil {
		t.Fatalf("fixtures: %v", err)
	}
	code, out, stderr := runCLI(t, "", "metrics", "--cluster", "prod", trendFixtures+"v0.14.1-cis-1.10-insecure.json")
	if code != 0 || !strings.Contains(out, `kube_bench_check_status{check_id="1.2.1",cluster="prod"} -1`) {
		t.Errorf("exit %d: %s\n%s", code, stderr, out)
	}
	ex := filepath.Join(t.TempDir(), "ex.yaml")
	os.WriteFile(ex, []byte("exceptions:\n  - check_id: \"1.2.11\"\n    reason: \"r\"\n    owner: \"platform-team\"\n    review_date: \"2026-11-01\"\n    risk_accepted_by: \"ciso\"\n"), 0o644)
	tf := filepath.Join(t.TempDir(), "kube_bench.prom")
	if code, _, stderr := runCLI(t, "", "metrics", "--cluster", "prod", "--exceptions", ex, "--textfile", tf, trendFixtures+"v0.14.1-cis-1.10-insecure.json"); code != 0 {
		t.Fatalf("textfile: exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(tf)
	if !strings.Contains(string(data), `kube_bench_exception_review_timestamp{check_id="1.2.11",cluster="prod",owner="platform-team"} 1.7934912e+09`) {
		t.Errorf("textfile lacks the exception's review date:\n%s", data)
	}
}

// trend append runs the gate's pipeline: given the gate's exceptions and
// baseline, it records the gate's counts, so the report's open, new,
// fixed and accepted columns are filled.
func TestTrendAppendRecordsTheGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, base := filepath.Join(dir, "history.jsonl"), filepath.Join(dir, "baseline.json")
	if code, _, stderr := runCLI(t, "", "baseline", "--output", base, "../../examples/results"); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	exc := filepath.Join(dir, "exceptions.yaml")
	os.WriteFile(exc, []byte("exceptions:\n  - check_id: \"4.2.4\"\n    reason: \"read-only port scraped by the legacy agent until it moves\"\n    owner: infrastructure-team\n    review_date: \"2027-01-31\"\n    risk_accepted_by: ciso\n"), 0o644)
	args := []string{"--exceptions", exc, "--baseline", base, "--now", "2026-10-20"}
	gateArgs := append([]string{"gate", "--format", "json"}, append(args, "../../examples/results-pr")...)
	_, gateOut, _ := runCLI(t, "", gateArgs...)
	var v struct {
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(gateOut), &v); err != nil || v.Counts == nil {
		t.Fatalf("gate json: %v\n%s", err, gateOut)
	}
	appendArgs := append([]string{"trend", "append", "--history", h, "--time", "2026-11-26T06:00:00Z"}, append(args, "../../examples/results-pr")...)
	if code, _, stderr := runCLI(t, "", appendArgs...); code != 0 {
		t.Fatalf("append: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(h)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Time  string         `json:"time"`
		Nodes []string       `json:"nodes"`
		Gate  map[string]int `json:"gate"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"open": v.Counts["fail"], "new": v.Counts["new"], "fixed": v.Counts["fixed"], "accepted": v.Counts["accepted"]}
	if want["accepted"] == 0 || want["open"] == 0 {
		t.Errorf("the example's gate has %v: want open and accepted FAILs, or the test proves little", want)
	}
	if diff := cmp.Diff(want, rec.Gate); diff != "" {
		t.Errorf("recorded gate counts differ from the gate's (-gate +recorded):\n%s", diff)
	}
	if rec.Time != "2026-11-26T06:00:00Z" || len(rec.Nodes) != 5 {
		t.Errorf("recorded time %s, nodes %v; want 2026-11-26T06:00:00Z and 5 nodes", rec.Time, rec.Nodes)
	}
	code, out, _ := runCLI(t, "", "trend", "report", "--history", h)
	out = strings.NewReplacer("\u00a0", " ", "\u2011", "-").Replace(out) // as read: no-break spaces and hyphens as plain ones
	row := tableLine(out, "| 2026-11-26 06:00 |")
	if code != 0 || row == "" || strings.Contains(row, "–") {
		t.Errorf("report: exit %d; the run's row is %q, want one without a dash", code, row)
	}
}

func tableLine(md, prefix string) string {
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
