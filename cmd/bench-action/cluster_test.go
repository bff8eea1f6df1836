package main

import (
	"path/filepath"
	"strings"
	"testing"
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
