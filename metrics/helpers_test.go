package metrics_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/golden"
)

// fixtureDir holds real kube-bench outputs, inside the module.
const fixtureDir = "../benchresult/testdata/kube-bench"

// rulesDir holds the shipped alert rules, CronJobs and dashboard.
const rulesDir = "../examples/prometheus"

var day0 = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

// requireTools says whether a missing tool fails the test instead of
// skipping it (CI sets it).
func requireTools() bool { return os.Getenv("BENCH_ACTION_REQUIRE_TOOLS") == "1" }

func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if requireTools() {
		t.Fatalf(format+" (BENCH_ACTION_REQUIRE_TOOLS=1)", args...)
	}
	t.Skipf(format+" (set BENCH_ACTION_REQUIRE_TOOLS=1 to make this an error)", args...)
}

// report parses fixtures as nodes of one cluster: node=file pairs.
func report(t testing.TB, cluster string, nodeFiles ...string) *benchresult.Report {
	t.Helper()
	var nrs []*benchresult.NodeResult
	for i := 0; i+1 < len(nodeFiles); i += 2 {
		p := filepath.Join(fixtureDir, nodeFiles[i+1])
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		nr, err := benchresult.Parse(f, p, benchresult.Options{Node: nodeFiles[i]})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		nrs = append(nrs, nr)
	}
	return benchresult.Merge(cluster, nrs...)
}

// goldenFile compares got with testdata/NAME (see internal/golden; -update rewrites it).
func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}
