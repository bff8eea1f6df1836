package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
