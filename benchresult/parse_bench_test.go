package benchresult

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The benchmarks guard the hot path of a fleet-scale gate (bench/run times
// the whole process): parsing one worker's and one control-plane node's
// kube-bench JSON, and loading a fleet of 200 nodes from files.
//
//	go test -run '^$' -bench . -benchmem ./benchresult/

const (
	fixtureWorker       = "testdata/kube-bench/v0.14.1-cis-1.10-mixed-node.json"
	fixtureControlPlane = "testdata/kube-bench/v0.14.1-cis-1.10-mixed.json"
)

func readFixture(b *testing.B, name string) []byte {
	b.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		b.Skipf("fixture not found: %v", err)
	}
	return data
}

func BenchmarkParseBytesWorker(b *testing.B) {
	benchmarkParseBytes(b, readFixture(b, fixtureWorker))
}

func BenchmarkParseBytesControlPlane(b *testing.B) {
	benchmarkParseBytes(b, readFixture(b, fixtureControlPlane))
}

func benchmarkParseBytes(b *testing.B, data []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseBytes(data, "bench.json", Options{Node: "n"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadFleet loads 200 nodes, one control-plane node in 20, as
// bench/fleetgen lays them out.
func BenchmarkLoadFleet(b *testing.B) {
	worker, cp := readFixture(b, fixtureWorker), readFixture(b, fixtureControlPlane)
	dir := b.TempDir()
	var size int64
	for i := 0; i < 200; i++ {
		name, data := fmt.Sprintf("worker-%05d.json", i), worker
		if i%20 == 0 {
			name, data = fmt.Sprintf("control-plane-%05d.json", i), cp
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
		size += int64(len(data))
	}
	sources, err := ResolveInputs([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(size)
	for b.Loop() {
		r, err := Load(sources, LoadOptions{Cluster: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Inputs) != 200 {
			b.Fatalf("%d inputs", len(r.Inputs))
		}
	}
}

// TestLoadMatchesMerge holds Load's streaming merge (ordered window, shared
// strings and Controls, reused buffers, reserved front) to Merge over
// ParseBytes: nodes of every format, a node given twice, and more nodes
// than the window, with one worker and with several.
func TestLoadMatchesMerge(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../../shared/fixtures/kube-bench/*")
	var sources []Source
	for i := 0; i < 5; i++ { // 70 sources: over Load's threshold for sizing the fleet
		for _, f := range files {
			if ext := filepath.Ext(f); ext == ".md" {
				continue
			}
			sources = append(sources, Source{Node: fmt.Sprintf("n%d-%s", i%3, filepath.Base(f)), Path: f})
		}
	}
	if len(sources) == 0 {
		t.Skip("no fixtures")
	}
	var results []*NodeResult
	for _, s := range sources {
		data, err := os.ReadFile(s.Path)
		if err != nil {
			t.Fatal(err)
		}
		nr, err := ParseBytes(data, s.Path, Options{Node: s.Node})
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, nr)
	}
	want := Merge("c", results...)
	for _, workers := range []int{1, 3} {
		got, err := Load(sources, LoadOptions{Cluster: "c", Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%d workers: Load differs from Merge (-Merge +Load):\n%s", workers, d)
		}
	}
}
