package trace

import "testing"

// BenchmarkLoadAndTrace: read the hardened set and trace every check of
// the benchmark, as `gate --configs` does once per run.
func BenchmarkLoadAndTrace(b *testing.B) {
	set := readSet(b, "hardened")
	TraceBenchmark(load(b, set), benchmark) // the catalog decodes once
	b.ResetTimer()
	for b.Loop() {
		TraceBenchmark(load(b, set), benchmark)
	}
}
