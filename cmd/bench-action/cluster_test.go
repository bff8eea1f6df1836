package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/internal/fakegithub"
)

// TestGateBaselineOfAnotherCluster: a baseline recorded for staging (or
// without --cluster) and gated as prod is called out in one line naming
// both clusters and the fix, with exit 2, instead of every FAIL turning
// new.
func TestGateBaselineOfAnotherCluster(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	staging, none := filepath.Join(dir, "staging.json"), filepath.Join(dir, "none.json")
	for path, args := range map[string][]string{staging: {"--cluster", "staging"}, none: nil} {
		args = append(append([]string{"baseline", "--output", path}, args...), fixtures)
		if code, _, stderr := runCLI(t, "", args...); code != 0 {
			t.Fatalf("baseline: exit %d: %s", code, stderr)
		}
	}
	for _, tc := range []struct {
		name, base string
		cluster    []string
		want       int
		line       string // stderr's line, "" for none
	}{
		{"staging baseline gated as prod", staging, []string{"--cluster", "prod"}, exitUsage,
			`baseline ` + staging + `: the baseline holds cluster "staging" and none for cluster "prod": gate with --cluster staging, or write a baseline of cluster "prod"`},
		{"baseline without a cluster gated as prod", none, []string{"--cluster", "prod"}, exitUsage,
			`the baseline holds cluster "" (no --cluster) and none for cluster "prod": gate with --cluster "", or write a baseline of cluster "prod"`},
		{"staging baseline gated without --cluster", staging, nil, exitUsage,
			`the baseline holds cluster "staging" and none for no cluster (no --cluster): gate with --cluster staging`},
		{"the right cluster passes", staging, []string{"--cluster", "staging"}, exitPass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append(append([]string{"gate", "--now", "2026-11-26", "--baseline", tc.base}, tc.cluster...), fixtures)
			code, _, stderr := runCLI(t, "", args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d: %s", code, tc.want, stderr)
			}
			if tc.line == "" {
				return
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tc.line) {
				t.Errorf("stderr %q: want one line containing %q", stderr, tc.line)
			}
		})
	}
}

// TestTrendReportHistoryOfAnotherCluster: `trend report --cluster C` on a
// history with no run of C says in one line which clusters it holds and
// which was asked for, exits 2, and writes no report.
func TestTrendReportHistoryOfAnotherCluster(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	two, unnamed := filepath.Join(dir, "two.jsonl"), filepath.Join(dir, "unnamed.jsonl")
	for _, app := range []struct {
		history string
		cluster []string
	}{{two, []string{"--cluster", "staging"}}, {two, []string{"--cluster", "dev"}}, {unnamed, nil}} {
		args := append(append([]string{"trend", "append", "--history", app.history}, app.cluster...), "cp-1="+trendFixtures+"v0.14.1-cis-1.10-insecure.json")
		if code, _, stderr := runCLI(t, "", args...); code != 0 {
			t.Fatalf("trend append: exit %d: %s", code, stderr)
		}
	}
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	for _, tc := range []struct {
		name, history, cluster string
		want                   int
		line                   string // stderr's one line, "" for none
	}{
		{"history of staging and dev asked for prod", two, "prod", exitUsage,
			`bench-action trend report: history ` + two + `: the history holds runs of clusters "dev", "staging" and none of cluster "prod": report with --cluster dev, or without --cluster for every cluster`},
		{"history without cluster names asked for prod", unnamed, "prod", exitUsage,
			`bench-action trend report: history ` + unnamed + `: the history holds runs of cluster "" (runs appended without --cluster) and none of cluster "prod": report without --cluster, or append runs with --cluster prod`},
		{"empty history asked for prod", empty, "prod", exitUsage,
			`bench-action trend report: history ` + empty + `: the history holds no runs, so none of cluster "prod"`},
		{"a cluster it holds", two, "staging", exitPass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "trend.md")
			code, _, stderr := runCLI(t, "", "trend", "report", "--history", tc.history, "--cluster", tc.cluster, "--output", out)
			if code != tc.want {
				t.Fatalf("exit %d, want %d: %s", code, tc.want, stderr)
			}
			_, err := os.Stat(out)
			if tc.line == "" {
				if err != nil {
					t.Errorf("no report written: %v", err)
				}
				return
			}
			if err == nil {
				t.Errorf("a report was written for a cluster the history lacks")
			}
			if got := strings.TrimRight(stderr, "\n"); got != tc.line {
				t.Errorf("stderr:\n%s\nwant the one line:\n%s", got, tc.line)
			}
		})
	}
}

// TestActionBaselineOfAnotherCluster: the GitHub Action gates through the
// same loading as `gate`, so a baseline of another cluster exits 2 there
// too, with the same one line (a workflow error), before anything is
// published.
func TestActionBaselineOfAnotherCluster(t *testing.T) {
	h := newHarness(t)
	staging := filepath.Join(t.TempDir(), "staging.json")
	if code, _, stderr := runCLI(t, "", append([]string{"baseline", "--output", staging, "--cluster", "staging"}, fleet(nil)...)...); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	res := h.run("push", 0, fakegithub.ActionsToken, fleet(nil), map[string]string{"baseline": staging})
	if res.code != exitUsage {
		t.Fatalf("exit %d, want 2\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	want := `::error::bench-action: baseline ` + staging + `: the baseline holds cluster "staging" and none for cluster "prod": set the action's cluster input to staging, or write a baseline of cluster "prod"`
	var errs []string
	for _, l := range strings.Split(res.stdout, "\n") {
		if strings.HasPrefix(l, "::error") {
			errs = append(errs, l)
		}
	}
	if len(errs) != 1 || errs[0] != want {
		t.Errorf("workflow errors %q, want the one line\n%s", errs, want)
	}
	if n := len(h.gh.Issues(owner, repo)); n != 0 {
		t.Errorf("%d issues published for a baseline of another cluster", n)
	}
	// The baseline's own cluster gates as usual.
	if res := h.run("push", 0, fakegithub.ActionsToken, fleet(nil), map[string]string{"baseline": staging, "cluster": "staging"}); res.code == exitUsage {
		t.Errorf("baseline of the gated cluster: exit 2\n%s", res.stdout)
	}
}
