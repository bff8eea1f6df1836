package baseline_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bench-action/bench-action/benchresult"
)

// fixtures holds the real kube-bench outputs of this module.
const fixtures = "../benchresult/testdata/kube-bench"

// fixture returns the path of a real kube-bench output. The fixtures are
// part of the module: a missing one fails the test.
func fixture(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(fixtures, name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return p
}

// load parses one real kube-bench output as node n1 of cluster prod.
func load(t testing.TB, name string) []benchresult.Check {
	t.Helper()
	path := fixture(t, name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nr, err := benchresult.Parse(f, path, benchresult.Options{Node: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	return benchresult.Merge("prod", nr).Checks
}

// check builds a check for table tests.
func check(cluster, node, bench string, target benchresult.Target, id string, st benchresult.Status, text string) benchresult.Check {
	if target.ClusterWide() {
		node = ""
	}
	return benchresult.Check{
		Control: &benchresult.Control{Benchmark: bench, Target: target, ID: id, Text: text},
		Cluster: cluster,
		Node:    node,
		Status:  st,
	}
}
