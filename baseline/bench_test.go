package baseline_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
)

// fleet synthesises n nodes from one real kube-bench output (130 checks
// for cis-1.10), every check node-scoped, every 7th status flipped when
// perturb is set.
func fleet(b *testing.B, name string, n int, perturb bool) []benchresult.Check {
	b.Helper()
	one := load(b, name)
	out := make([]benchresult.Check, 0, n*len(one))
	for i := range n {
		node := fmt.Sprintf("node-%04d", i)
		for j, c := range one {
			c.Node = node
			if perturb && (i*len(one)+j)%7 == 0 {
				if c.Status == benchresult.Fail {
					c.Status = benchresult.Pass
				} else {
					c.Status = benchresult.Fail
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// BenchmarkDiff: a 1,000-node fleet (130 checks each) against a baseline of
// the same benchmark with one check in seven changed.
func BenchmarkDiff(b *testing.B) {
	base := baseline.FromChecks(fleet(b, "v0.14.1-cis-1.10-insecure.json", 1000, true))
	checks := fleet(b, "v0.14.1-cis-1.10-insecure.json", 1000, false)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d := baseline.Diff(base, checks)
		if len(d.Persisting) == 0 {
			b.Fatal("nothing persists")
		}
	}
	b.ReportMetric(float64(len(checks)), "checks")
}

// BenchmarkDiffCarry: the same fleet, its baseline taken on cis-1.8, so every
// entry is carried by description.
func BenchmarkDiffCarry(b *testing.B) {
	base := baseline.FromChecks(fleet(b, "v0.14.1-cis-1.8-insecure.json", 1000, false))
	checks := fleet(b, "v0.14.1-cis-1.10-insecure.json", 1000, false)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d := baseline.Diff(base, checks)
		if len(d.Carried) != 126*1000 {
			b.Fatalf("carried %d", len(d.Carried))
		}
	}
}

// BenchmarkWriteTo and BenchmarkParse: the 1,000-node baseline file.
func BenchmarkWriteTo(b *testing.B) {
	base := baseline.FromChecks(fleet(b, "v0.14.1-cis-1.10-insecure.json", 1000, false))
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if _, err := base.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func BenchmarkParse(b *testing.B) {
	var buf bytes.Buffer
	if _, err := baseline.FromChecks(fleet(b, "v0.14.1-cis-1.10-insecure.json", 1000, false)).WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := baseline.Parse(buf.Bytes(), "b.json", baseline.ParseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
