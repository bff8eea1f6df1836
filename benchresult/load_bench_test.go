package benchresult

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Fleets whose nodes differ as real ones do, for the JSON fast path's
// de-duplication (see checkMemo in json.go). In both, each node's
// actual_value is its own, as process lines, PIDs and times make it.
// live-B is the heap the Report holds.

// BenchmarkLoadFleetVaried loads 200 nodes as bench/fleetgen lays them
// out: one control-plane node in 20, every tenth worker the insecure one.
func BenchmarkLoadFleetVaried(b *testing.B) {
	worker, cp := readFixture(b, fixtureWorker), readFixture(b, fixtureControlPlane)
	insecure := readFixture(b, "testdata/kube-bench/v0.14.1-cis-1.10-insecure-node.json")
	benchmarkLoad(b, 200, func(i int) (string, []byte) {
		switch {
		case i%20 == 0:
			return fmt.Sprintf("control-plane-%05d.json", i), cp
		case i%10 == 5:
			return fmt.Sprintf("worker-%05d.json", i), insecure
		}
		return fmt.Sprintf("worker-%05d.json", i), worker
	})
}

// BenchmarkLoadFleetMixed loads 200 workers of two benchmark versions in
// turn (cis-1.10 and cis-1.8: the same check ids, other texts), so that
// what a worker saw last for a check id is never what comes next.
func BenchmarkLoadFleetMixed(b *testing.B) {
	cis110 := readFixture(b, fixtureWorker)
	cis18 := readFixture(b, "testdata/kube-bench/v0.8.0-cis-1.8-insecure-node.json")
	benchmarkLoad(b, 200, func(i int) (string, []byte) {
		if i%2 == 1 {
			return fmt.Sprintf("worker-%05d.json", i), cis18
		}
		return fmt.Sprintf("worker-%05d.json", i), cis110
	})
}

// benchmarkLoad writes n nodes, node(i) giving each one's file name and
// kube-bench JSON, and times Load of them all.
func benchmarkLoad(b *testing.B, n int, node func(i int) (string, []byte)) {
	dir := b.TempDir()
	var size int64
	for i := range n {
		name, data := node(i)
		data = bytes.ReplaceAll(data, []byte(`"actual_value":"`), fmt.Appendf(nil, `"actual_value":"node %05d `, i))
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
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	var r *Report
	for b.Loop() {
		r = nil
		if r, err = Load(sources, LoadOptions{Cluster: "bench"}); err != nil {
			b.Fatal(err)
		}
		if len(r.Inputs) != n {
			b.Fatalf("%d inputs, want %d", len(r.Inputs), n)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(int64(ms.HeapAlloc)-int64(before)), "live-B")
	runtime.KeepAlive(r)
}
