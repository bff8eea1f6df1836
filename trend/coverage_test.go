package trend_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/trend"
)

// partialFleet is a 5-node fleet (cp-1, cp-2, worker-1..3) of real outputs:
// cp-1 and worker-1..2 are mixed, cp-2 and worker-3 insecure, so some
// checks fail only on cp-2 and worker-3. Each day in days is a run; the
// runs of the days in partial heard from cp-1, worker-1 and worker-2 only
// (3 of 5 nodes).
func partialFleet(t *testing.T, days int, partial ...int) (trend.History, *benchresult.Report) {
	t.Helper()
	full := report(t, "prod",
		"cp-1", "v0.14.1-cis-1.10-mixed.json", "cp-2", "v0.14.1-cis-1.10-insecure.json",
		"worker-1", "v0.14.1-cis-1.10-mixed-node.json", "worker-2", "v0.14.1-cis-1.10-mixed-node.json", "worker-3", "v0.14.1-cis-1.10-insecure-node.json")
	three := report(t, "prod",
		"cp-1", "v0.14.1-cis-1.10-mixed.json", "worker-1", "v0.14.1-cis-1.10-mixed-node.json", "worker-2", "v0.14.1-cis-1.10-mixed-node.json")
	var recs []trend.Record
	for d := 0; d < days; d++ {
		r := full
		if slices.Contains(partial, d) {
			r = three
		}
		recs = append(recs, trend.NewRecord(r, day0.Add(time.Duration(d)*24*time.Hour), trend.GateCounts{}))
	}
	return roundTrip(t, recs), full
}

// onlyOnMissing lists the ids that fail on cp-2 or worker-3 and on no node
// of the partial runs: the checks a 3-of-5 run would read as fixed.
func onlyOnMissing(t *testing.T, full *benchresult.Report) []string {
	t.Helper()
	rec := trend.NewRecord(full, day0, trend.GateCounts{})
	var out []string
	for _, id := range rec.FailingIDs() {
		nodes := rec.FailingNodes(id)
		if !slices.ContainsFunc(nodes, func(n string) bool { return n == "cp-1" || n == "worker-1" || n == "worker-2" || n == "" }) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		t.Fatal("the fixtures have no check failing only on cp-2 or worker-3: the test would prove nothing")
	}
	return out
}

func TestPartialRunIsNotAFix(t *testing.T) {
	t.Parallel()
	at := func(d int) string { return day0.Add(time.Duration(d) * 24 * time.Hour).Format("2006-01-02 15:04") }
	for _, tt := range []struct {
		name    string
		days    int
		partial []int
		// missing: the latest run is the partial one, so the checks of
		// cp-2 and worker-3 are "not reported, last known failing".
		missing bool
	}{
		{name: "partial run in the middle", days: 7, partial: []int{4}},
		{name: "partial latest run", days: 6, partial: []int{5}, missing: true},
		{name: "two partial runs in a row", days: 8, partial: []int{4, 5}},
		{name: "partial run just before the latest", days: 6, partial: []int{4}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, full := partialFleet(t, tt.days, tt.partial...)
			ids := onlyOnMissing(t, full)
			var buf bytes.Buffer
			if err := trend.RenderMarkdown(&buf, h, trend.ReportOptions{MaxFixed: 100}); err != nil {
				t.Fatal(err)
			}
			md := plain(buf.String())
			if fixed := tableRows(md, "### Fixed"); len(fixed) > 0 {
				t.Errorf("a run of 3 of 5 nodes fixed %d controls, want none: %v", len(fixed), fixed)
			}
			failing := tableRows(md, "### Failing now")
			for _, id := range ids {
				r, ok := failing[id]
				if !ok {
					t.Errorf("%s (fails only on the nodes that missed a run) is not failing now", id)
					continue
				}
				if want := "≤ " + at(0); r[1] != want {
					t.Errorf("%s: failing since %q, want %q (its streak goes on through the partial run)", id, r[1], want)
				}
				if got := strings.Contains(r[0], "not reported, last known failing"); got != tt.missing {
					t.Errorf("%s: nodes %q: says not reported = %v, want %v", id, r[0], got, tt.missing)
				}
			}
			if tt.missing {
				for _, want := range []string{"**3 of 5 nodes reported**; not reported: cp-2, worker-3", "| " + at(tt.days-1) + " | **3 of 5** |"} {
					if !strings.Contains(md, want) {
						t.Errorf("report lacks %q", want)
					}
				}
			}
			if !strings.Contains(md, `title "prod: nodes reported of expected"`) || !strings.Contains(md, "bar [") {
				t.Errorf("no coverage chart in the report of a history with a partial run")
			}
			if l := tableLine(md, "| previous run |"); !strings.HasSuffix(l, "| – | – |") {
				t.Errorf("since the previous run: %q, want nothing newly failing or fixed", l)
			}
			if slices.Contains(tt.partial, tt.days-2) {
				if want := "| previous run | " + at(tt.days-2) + " (**3 of 5** nodes) |"; !strings.Contains(md, want) {
					t.Errorf("report lacks %q: the dip is a partial run", want)
				}
			}
			if t.Failed() {
				t.Logf("report:\n%s", md)
			}
		})
	}
}

// A node that stops reporting for good is expected for CoverageWindow runs
// after its last; then its checks are "not reported", still not fixed.
func TestNodeGoneIsNotAFix(t *testing.T) {
	t.Parallel()
	days := trend.CoverageWindow + 4
	var partial []int
	for d := 2; d < days; d++ {
		partial = append(partial, d)
	}
	h, full := partialFleet(t, days, partial...)
	ids := onlyOnMissing(t, full)
	var buf bytes.Buffer
	if err := trend.RenderMarkdown(&buf, h, trend.ReportOptions{MaxFixed: 100}); err != nil {
		t.Fatal(err)
	}
	md := plain(buf.String())
	fixed := tableRows(md, "### Fixed")
	for _, id := range ids {
		r, ok := fixed[id]
		if !ok || !strings.HasPrefix(r[2], "not fixed&#58; not reported by ") {
			t.Errorf("%s: fixed row %q, want \"not fixed: not reported by\" its nodes", id, r)
		}
	}
	if t.Failed() {
		t.Logf("report:\n%s", md)
	}
}

func TestStaleCluster(t *testing.T) {
	t.Parallel()
	rec := func(cluster string, d int) trend.Record {
		return trend.Record{Version: 1, Cluster: cluster, Time: day0.Add(time.Duration(d) * 24 * time.Hour), Totals: benchresult.Totals{Pass: 1}}
	}
	var h trend.History
	for d := 0; d <= 20; d++ {
		h.Records = append(h.Records, rec("daily", d))
		if d <= 10 {
			h.Records = append(h.Records, rec("behind", d)) // last run 10 days before the others'
		}
		if d%7 == 0 {
			h.Records = append(h.Records, rec("weekly", d-1)) // 6 days behind, a week apart: not stale
		}
	}
	var md, page bytes.Buffer
	if err := trend.RenderMarkdown(&md, h, trend.ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := trend.RenderHTML(&page, h, trend.ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"> Stale: behind (10 days behind).", "**Stale**: the last run is 10 days older"} {
		if !strings.Contains(plain(md.String()), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if n := strings.Count(plain(md.String()), "**Stale**"); n != 1 {
		t.Errorf("%d clusters flagged stale, want 1 (behind)", n)
	}
	if !strings.Contains(plain(page.String()), "<strong>Stale:</strong> behind (10 days behind)") {
		t.Errorf("html does not flag behind as stale")
	}
}

func tableLine(md, prefix string) string {
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
