package trend_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/trend"
)

// fixtureDir holds the real kube-bench outputs of this module.
const fixtureDir = "../benchresult/testdata/kube-bench"

// requireTools says whether a missing tool or fixture fails the test
// instead of skipping it (CI sets it).
func requireTools() bool { return os.Getenv("BENCH_ACTION_REQUIRE_TOOLS") == "1" }

func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if requireTools() {
		t.Fatalf(format+" (BENCH_ACTION_REQUIRE_TOOLS=1)", args...)
	}
	t.Skipf(format+" (set BENCH_ACTION_REQUIRE_TOOLS=1 to make this an error)", args...)
}

// fixture returns the path of a real kube-bench output. The fixtures are
// part of the module: a missing one fails the test.
func fixture(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(fixtureDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return p
}

// report parses fixtures as nodes of one cluster: node=file pairs.
func report(t testing.TB, cluster string, nodeFiles ...string) *benchresult.Report {
	t.Helper()
	var nrs []*benchresult.NodeResult
	for i := 0; i+1 < len(nodeFiles); i += 2 {
		p := fixture(t, nodeFiles[i+1])
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

var day0 = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

// fleetHistory is a deterministic history of two clusters made from real
// outputs: prod goes from insecure to mixed to hardened over ten daily runs;
// staging has two runs with hostile text in it.
func fleetHistory(t testing.TB) trend.History {
	t.Helper()
	insecure := report(t, "prod", "cp-1", "v0.14.1-cis-1.10-insecure.json", "worker-1", "v0.14.1-cis-1.10-insecure-node.json")
	mixed := report(t, "prod", "cp-1", "v0.14.1-cis-1.10-mixed.json", "worker-1", "v0.14.1-cis-1.10-mixed-node.json")
	hardened := report(t, "prod", "cp-1", "v0.14.1-cis-1.10-hardened.json", "worker-1", "v0.14.1-cis-1.10-mixed-node.json")
	var h trend.History
	for d := 0; d < 10; d++ {
		r := insecure
		switch {
		case d >= 8:
			r = hardened
		case d >= 3:
			r = mixed
		}
		g := trend.GateCounts{Open: r.Totals().Fail, New: 0, Accepted: 0}
		if d == 3 {
			g.Fixed = 32
		}
		h.Records = append(h.Records, trend.NewRecord(r, day0.Add(time.Duration(d)*24*time.Hour), g))
	}
	hostile := `<script>alert(1)</script> @octocat #1 | **bold** [x](https://evil.example)`
	for d, ids := range [][]string{{"1.1.1"}, {"1.1.1", "9.9"}} {
		rec := trend.Record{Version: 1, Cluster: "staging <b>x</b>", Time: day0.Add(time.Duration(d) * 12 * time.Hour),
			Benchmarks: []string{"cis-1.10"}, Totals: benchresult.Totals{Pass: 10, Fail: len(ids), Warn: 3},
			Failing: map[string][]string{"node`1": ids}, Text: map[string]string{"1.1.1": hostile, "9.9": "```\n</details>"}}
		h.Records = append(h.Records, rec)
	}
	return h
}

// plain reads a report as a person reads it: no-break spaces and hyphens
// (which keep dates, node names and flags on one line) as plain ones.
func plain(md string) string {
	return strings.NewReplacer("\u00a0", " ", "\u2011", "-").Replace(md)
}
