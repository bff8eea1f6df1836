package installtest

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReleaseFiles checks release/ of this commit: a commit that is not a
// release carries no release checksums (else the install step would run an
// older release's binary for it), and a release commit lists every binary
// the install step may ask for.
func TestReleaseFiles(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../release/VERSION")
	if err != nil {
		t.Fatal(err)
	}
	version := strings.TrimSpace(string(data))
	sums, err := os.ReadFile("../../release/checksums.txt")
	repo, repoErr := os.ReadFile("../../release/REPOSITORY")
	switch {
	case version == "dev":
		if err == nil {
			t.Errorf("release/VERSION says dev, but release/checksums.txt exists")
		}
		if repoErr == nil {
			t.Errorf("release/VERSION says dev, but release/REPOSITORY exists")
		}
	case regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`).MatchString(version):
		if err != nil {
			t.Fatalf("release %s: %v", version, err)
		}
		if !regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`).Match(bytes.TrimSpace(repo)) {
			t.Errorf("release/REPOSITORY of %s says %q (%v), want owner/name", version, repo, repoErr)
		}
		got := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
			if m := regexp.MustCompile(`^[0-9a-f]{64}  (\S+)$`).FindStringSubmatch(line); m != nil {
				got[m[1]] = true
			}
		}
		for _, asset := range platforms {
			if !got[asset] {
				t.Errorf("release/checksums.txt of %s has no line for %s", version, asset)
			}
		}
	default:
		t.Errorf("release/VERSION says %q, want dev or vX.Y.Z", version)
	}
}

// TestKubeBenchPin checks that the kube-bench step downloads a pinned
// version from kube-bench's own releases, and that release/kube-bench.sha256
// has a checksum for each Linux archive of that version and nothing else.
func TestKubeBenchPin(t *testing.T) {
	t.Parallel()
	a := loadAction(t)
	var env map[string]string
	for _, s := range a.Runs.Steps {
		if s.ID == "kube-bench" {
			env = s.Env
		}
	}
	version := env["KUBE_BENCH_VERSION"]
	if !regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`).MatchString(version) {
		t.Errorf("KUBE_BENCH_VERSION = %q, want a pinned X.Y.Z", version)
	}
	if want := "https://github.com/aquasecurity/kube-bench/releases/download"; env["KUBE_BENCH_RELEASES"] != want {
		t.Errorf("KUBE_BENCH_RELEASES = %q, want %q", env["KUBE_BENCH_RELEASES"], want)
	}
	data, err := os.ReadFile("../../release/kube-bench.sha256")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		m := regexp.MustCompile(`^[0-9a-f]{64}  (\S+)$`).FindStringSubmatch(line)
		if m == nil {
			t.Errorf("release/kube-bench.sha256:%d: %q is not SHA256  NAME", i+1, line)
			continue
		}
		names = append(names, m[1])
	}
	want := []string{"kube-bench_" + version + "_linux_amd64.tar.gz", "kube-bench_" + version + "_linux_arm64.tar.gz"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("release/kube-bench.sha256 names (-want +got):\n%s", diff)
	}
}
