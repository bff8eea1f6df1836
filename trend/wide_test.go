package trend_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bench-action/bench-action/trend"
)

// wideFleet is a history of two clusters of 12 nodes made from real
// outputs: cp-1 (hardened), worker-01..06 (mixed) and worker-07..11
// (insecure), daily. worker-07..11 stop reporting after the fourth run;
// "carried" ends three runs later, while they are still expected (their
// FAILs are "not reported, last known failing"), "gone" six runs later,
// when they no longer are (their FAILs end, "not reported by"). The cells
// that list nodes hold up to 11 of them.
func wideFleet(t testing.TB) trend.History {
	t.Helper()
	var all, stay []string
	all = append(all, "cp-1", "v0.14.1-cis-1.10-hardened.json")
	for i := 1; i <= 11; i++ {
		file := "v0.14.1-cis-1.10-mixed-node.json"
		if i > 6 {
			file = "v0.14.1-cis-1.10-insecure-node.json"
		}
		all = append(all, fmt.Sprintf("worker-%02d", i), file)
	}
	stay = all[:2*7]
	var recs []trend.Record
	for _, c := range []struct {
		name string
		runs int
	}{{"carried", 7}, {"gone", 10}} {
		full, part := report(t, c.name, all...), report(t, c.name, stay...)
		start := day0.Add(time.Duration(10-c.runs) * 24 * time.Hour) // both end on the same day
		for d := 0; d < c.runs; d++ {
			r := full
			if d >= 4 {
				r = part
			}
			recs = append(recs, trend.NewRecord(r, start.Add(time.Duration(d)*24*time.Hour), trend.GateCounts{}))
		}
	}
	return roundTrip(t, recs)
}

func TestWideFleetGolden(t *testing.T) {
	t.Parallel()
	h := wideFleet(t)
	for _, tt := range []struct {
		name   string
		render func(*bytes.Buffer, trend.History, trend.ReportOptions) error
	}{
		{"trend-wide.md", func(b *bytes.Buffer, h trend.History, o trend.ReportOptions) error {
			return trend.RenderMarkdown(b, h, o)
		}},
		{"trend-wide.html", func(b *bytes.Buffer, h trend.History, o trend.ReportOptions) error { return trend.RenderHTML(b, h, o) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := tt.render(&buf, h, trend.ReportOptions{Rows: 3, MaxFixed: 5}); err != nil {
				t.Fatal(err)
			}
			goldenFile(t, tt.name, buf.Bytes())
		})
	}
}

// No cell of the tables of a wide fleet lists more than four nodes: the
// rest are folded away, named in the <details> and, in HTML, the title; a
// control failing on every node of a run that heard from all says "all 7
// nodes".
func TestWideFleetFoldsNodes(t *testing.T) {
	t.Parallel()
	h := wideFleet(t)
	var md, page bytes.Buffer
	if err := trend.RenderMarkdown(&md, h, trend.ReportOptions{MaxFixed: 100}); err != nil {
		t.Fatal(err)
	}
	if err := trend.RenderHTML(&page, h, trend.ReportOptions{MaxFixed: 100}); err != nil {
		t.Fatal(err)
	}
	out := plain(md.String())
	folded := map[string]int{} // table heading → cells folded
	for _, sec := range []string{"### Failing now", "### Fixed"} {
		for _, cluster := range []string{"## Cluster carried", "## Cluster gone"} {
			part := out[strings.Index(out, cluster):]
			if i := strings.Index(part[1:], "\n## "); i >= 0 {
				part = part[:i+1]
			}
			for id, cells := range tableRows(part, sec) {
				for _, c := range cells {
					_, summary, ok := strings.Cut(c, "<summary>")
					shown, _, _ := strings.Cut(summary, "</summary>")
					if !ok {
						if n := strings.Count(c, "worker-"); n > 4 {
							t.Errorf("%s %s %s: %d nodes in a cell: %q", cluster, sec, id, n, c)
						}
						continue
					}
					folded[cluster+" "+sec]++
					if n := strings.Count(shown, "worker-") + strings.Count(shown, "cp-1"); n != 3 {
						t.Errorf("%s %s %s: %d nodes shown, want 3: %q", cluster, sec, id, n, shown)
					}
				}
			}
		}
	}
	for _, want := range []string{"## Cluster carried ### Failing now", "## Cluster gone ### Failing now", "## Cluster gone ### Fixed"} {
		if folded[want] == 0 {
			t.Errorf("%s: no cell folded: the history does not test folding (%v)", want, folded)
		}
	}
	for _, want := range []string{
		"not reported, last known failing&#58; <details><summary>worker-07, worker-08, worker-09, and 2 more</summary>worker-10, worker-11</details>",
		"| <details><summary>cp-1, worker-01, worker-02, and 4 more</summary>worker-03, worker-04, worker-05, worker-06</details>; not reported, last known failing&#58; <details><summary>worker-07,",
		"| all 7 nodes | ≤ 2026-03-01 06:00 |",
		"not fixed&#58; not reported by <details><summary>worker-07, worker-08, worker-09, and 2 more</summary>worker-10, worker-11</details>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	sp := func(names ...string) string {
		for i, n := range names {
			names[i] = `<span class="nw">` + n + "</span>"
		}
		return strings.Join(names, ", ")
	}
	want := `<details title="worker-01, worker-02, worker-03, worker-04, worker-05, worker-06"><summary>` + sp("worker-01", "worker-02", "worker-03") + ", and\u00a03\u00a0more</summary>" + sp("worker-04", "worker-05", "worker-06") + "</details>"
	if !strings.Contains(page.String(), want) {
		t.Errorf("html lacks %q", want)
	}
	want = `<span title="cp-1, worker-01, worker-02, worker-03, worker-04, worker-05, worker-06">all&nbsp;7&nbsp;nodes</span>`
	if !strings.Contains(page.String(), want) {
		t.Errorf("html lacks %q", want)
	}
}
