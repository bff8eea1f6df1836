package trend_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bench-action/bench-action/trend"
)

// BenchmarkAppend appends a real run (cis-1.10, two nodes) to histories
// that already hold 10 and 100,000 runs: the cost must not grow with them.
func BenchmarkAppend(b *testing.B) {
	rec := trend.NewRecord(report(b, "prod", "cp-1", "v0.14.1-cis-1.10-insecure.json", "worker-1", "v0.14.1-cis-1.10-insecure-node.json"), day0, trend.GateCounts{Open: 46})
	line, err := trend.MarshalLine(rec)
	if err != nil {
		b.Fatal(err)
	}
	for _, runs := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("runs=%d", runs), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "history.jsonl")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			w := bufio.NewWriter(f)
			for i := 0; i < runs; i++ {
				w.Write(line)
			}
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
			f.Close()
			fi, _ := os.Stat(path)
			b.ReportMetric(float64(fi.Size())/(1<<20), "MiB-before")
			b.SetBytes(int64(len(line)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rec.Time = day0.Add(time.Duration(i) * time.Minute)
				if err := trend.Append(path, rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderMarkdownUpgrade reports on a year of daily runs of two
// nodes that switch from cis-1.8 to cis-1.10 half way: every run's
// failures are followed through the catalog.
func BenchmarkRenderMarkdownUpgrade(b *testing.B) {
	old := report(b, "prod", "cp-1", "v0.14.1-cis-1.8-insecure.json", "cp-2", "v0.14.1-cis-1.8-mixed.json")
	cur := report(b, "prod", "cp-1", "v0.14.1-cis-1.10-insecure.json", "cp-2", "v0.14.1-cis-1.10-mixed.json")
	var h trend.History
	for d := 0; d < 365; d++ {
		r := old
		if d >= 182 {
			r = cur
		}
		h.Records = append(h.Records, trend.NewRecord(r, day0.Add(time.Duration(d)*24*time.Hour), trend.GateCounts{}))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := trend.RenderMarkdown(io.Discard, h, trend.ReportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
