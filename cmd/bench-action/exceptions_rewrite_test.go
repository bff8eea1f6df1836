package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyRewrite copies an input of exceptions/testdata/rewrite to a
// temporary folder, to be rewritten in place.
func copyRewrite(t *testing.T, name string) (path string, data []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../exceptions/testdata/rewrite", name))
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, data
}

func TestExceptionsPinInPlace(t *testing.T) {
	t.Parallel()
	path, before := copyRewrite(t, "pin.yaml")
	results := "node-1=../../benchresult/testdata/kube-bench/v0.14.1-cis-1.10-insecure.json"
	code, out, stderr := runCLI(t, "", "exceptions", "pin", path, "--results", results)
	// 3.9.9 matches nothing: left for review, exit 1.
	if code != exitFail || stderr != "" {
		t.Fatalf("exit %d, stderr %q; want 1 and nothing", code, stderr)
	}
	for _, want := range []string{
		path + `:6: 1.2.15: pinned check_description "Ensure that the --profiling argument is set to false (Automated)", benchmark cis-1.10`,
		path + ":40: 3.9.9 matches no check in the results for clusters prod-*: left alone",
		path + ": pinned 4 exceptions, 1 left for review (in place)",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("stdout does not say %q:\n%s", want, out)
		}
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) == string(before) || !strings.Contains(string(after), "    benchmark: cis-1.10\n") {
		t.Errorf("the file was not pinned:\n%s", after)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode after rewrite: %v, %v; want 0600 kept", st.Mode(), err)
	}
	// Pinned: lint no longer calls them unpinned.
	_, lint, _ := runCLI(t, "", "exceptions", "lint", path, "--now", "2026-07-01", "--results", results)
	if strings.Contains(lint, "unpinned") {
		t.Errorf("lint after pin still reports unpinned exceptions:\n%s", lint)
	}
}

func TestExceptionsMigrateToStdout(t *testing.T) {
	t.Parallel()
	path, before := copyRewrite(t, "migrate.yaml")
	code, out, stderr := runCLI(t, "", "exceptions", "migrate", path, "--to", "cis-1.10", "--from", "cis-1.8", "--output", "-")
	if code != exitFail { // 1.2.12 vanished from cis-1.10
		t.Errorf("exit %d, want 1; stderr %s", code, stderr)
	}
	if !strings.Contains(out, `  - check_id: "1.2.15"   # --profiling`+"\n") || !strings.HasPrefix(out, "# Exceptions written for cis-1.8") {
		t.Errorf("stdout is not the migrated file:\n%s", out)
	}
	for _, want := range []string{
		path + ":6: 1.2.16 → 1.2.15 (--profiling); benchmark cis-1.8 → cis-1.10",
		path + ":31: 1.2.12 (--enable-admission-plugins has SecurityContextDeny, --enable-admission-plugins has PodSecurityPolicy) no longer exists in cis-1.10: left alone, remove it or write it anew",
		path + ": migrated to cis-1.10 4 exceptions, 1 left for review (to stdout)",
	} {
		if !strings.Contains(stderr, want+"\n") {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("--output - rewrote the input file")
	}
}

func TestExceptionsMigrateMistakes(t *testing.T) {
	t.Parallel()
	path, _ := copyRewrite(t, "migrate.yaml")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{path}, "--to BENCHMARK is required"},
		{[]string{path, "--to", "cis-1.100"}, "--to cis-1.100: the catalog does not know this benchmark; did you mean cis-1.10?"},
		{[]string{path, "--to", "cis-1.10", "--from", "cis1.8"}, "did you mean cis-1.8?"},
		{[]string{path, path, "--to", "cis-1.10"}, "one exceptions FILE"},
		{[]string{"missing.yaml", "--to", "cis-1.10"}, "read exceptions file: open missing.yaml"},
	} {
		code, out, stderr := runCLI(t, "", append([]string{"exceptions", "migrate"}, tt.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, out, stderr, tt.want)
		}
	}
	code, _, stderr := runCLI(t, "", "exceptions", "pin", path)
	if code != exitUsage || !strings.Contains(stderr, "--results INPUT...") {
		t.Errorf("pin without results: exit %d, %q", code, stderr)
	}
}
