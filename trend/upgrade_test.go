package trend_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/trend"
)

// The upgrade scenario: one fake node (the same insecure API server, etcd
// and kubelet) benchmarked daily by kube-bench v0.14.1, against cis-1.8 on
// the first six days and against cis-1.10 from the seventh. cis-1.10
// renumbers most of 1.2 (cis-1.8's 1.2.17, --audit-log-path, is its 1.2.16;
// cis-1.8's 1.2.16, --profiling, its 1.2.15), and so reuses those ids for
// other controls.
const (
	upgradeDays = 9
	upgradeDay  = 6 // the first run of cis-1.10
)

// upgradeHistory builds the scenario's runs from the real outputs; edit,
// when set, changes a run's record (day d) before it is written. The
// records go through the history's JSON Lines, as trend append writes and
// trend report reads them.
func upgradeHistory(t testing.TB, edit func(d int, rec *trend.Record)) trend.History {
	t.Helper()
	old := report(t, "prod", "cp-1", "v0.14.1-cis-1.8-insecure.json")
	cur := report(t, "prod", "cp-1", "v0.14.1-cis-1.10-insecure.json")
	var recs []trend.Record
	for d := 0; d < upgradeDays; d++ {
		r := old
		if d >= upgradeDay {
			r = cur
		}
		rec := trend.NewRecord(r, day0.Add(time.Duration(d)*24*time.Hour), trend.GateCounts{})
		if edit != nil {
			edit(d, &rec)
		}
		recs = append(recs, rec)
	}
	return roundTrip(t, recs)
}

func roundTrip(t testing.TB, recs []trend.Record) trend.History {
	t.Helper()
	var buf bytes.Buffer
	if err := trend.WriteJSONLines(&buf, recs); err != nil {
		t.Fatal(err)
	}
	h, err := trend.ReadHistory(&buf, "history.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// setFailing makes id fail (or not) on node in a record, as if kube-bench
// had reported it so.
func setFailing(rec *trend.Record, node, id string, fail bool, text string) {
	ids := slices.DeleteFunc(slices.Clone(rec.Failing[node]), func(x string) bool { return x == id })
	if fail {
		ids = append(ids, id)
		slices.SortFunc(ids, benchresult.CompareIDs)
		rec.Text[id] = text
	}
	rec.Failing[node] = ids
}

func TestUpgradeGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := trend.RenderMarkdown(&buf, upgradeHistory(t, nil), trend.ReportOptions{Title: "Compliance trend across cis-1.8 → cis-1.10"}); err != nil {
		t.Fatal(err)
	}
	goldenFile(t, "trend-upgrade.md", buf.Bytes())
}

// row is what the Markdown report says of one control: the cells after
// the check and description.
type row []string

func TestUpgradeFollowsControls(t *testing.T) {
	t.Parallel()
	at := func(d int) string { return day0.Add(time.Duration(d) * 24 * time.Hour).Format("2006-01-02 15:04") }
	upgraded, lastDay := at(upgradeDay), at(upgradeDays-1)
	for _, tt := range []struct {
		name string
		edit func(d int, rec *trend.Record)
		// failing and fixed rows of the report, by their check cell; only
		// the rows named here are compared.
		failing, fixed map[string]row
		absent         []string // check cells that must not appear as rows
		changes        []string // lines of "What changed" that must appear
	}{
		{
			name: "renumbered controls keep failing since",
			failing: map[string]row{
				"1.2.16 (was cis-1.8 1.2.17)": {"cp-1", "≤ " + at(0), "8 days"}, // --audit-log-path
				"1.2.15 (was cis-1.8 1.2.16)": {"cp-1", "≤ " + at(0), "8 days"}, // --profiling
				"1.2.14 (was cis-1.8 1.2.15)": {"cp-1", "≤ " + at(0), "8 days"}, // NodeRestriction
				"1.2.1":                       nil,
				"1.1.1":                       {"cp-1", "≤ " + at(0), "8 days"},
				"4.3.1":                       {"cp-1", upgraded + " (added by cis-1.10)", "2 days"},
			},
			fixed:   map[string]row{},
			absent:  []string{"1.2.20", "1.2.27", "1.2.14"},
			changes: []string{"| a week before | " + at(1) + " | +1 | -1 | 0 | 4.3.1 | – |"},
		},
		{
			// cis-1.8's 1.2.17 (--audit-log-path) was fixed before the
			// upgrade; cis-1.8's 1.2.16 (--profiling) failed throughout.
			// cis-1.10's 1.2.16 is --audit-log-path again: new, not ≤ day 0.
			name: "a reused id is another control",
			edit: func(d int, rec *trend.Record) {
				if d >= 1 && d < upgradeDay {
					setFailing(rec, "cp-1", "1.2.17", false, "")
				}
			},
			failing: map[string]row{
				"1.2.16":                      {"cp-1", upgraded, "2 days"},
				"1.2.15 (was cis-1.8 1.2.16)": {"cp-1", "≤ " + at(0), "8 days"},
			},
			fixed: map[string]row{
				"1.2.17": {at(0), at(1), "24 h (fails again now)"},
			},
			absent:  []string{"1.2.16 (was cis-1.8 1.2.17)"},
			changes: []string{"| a week before | " + at(1) + " | +1 | -1 | 0 | 1.2.16, 4.3.1 | – |"},
		},
		{
			// --audit-log-path is fixed on the day of the upgrade: the fix is
			// of cis-1.8's 1.2.17, and cis-1.10's 1.2.17 (--audit-log-maxage,
			// cis-1.8's 1.2.18) goes on failing.
			name: "a fix across the upgrade is of the control, not of its id",
			edit: func(d int, rec *trend.Record) {
				if d >= upgradeDay {
					setFailing(rec, "cp-1", "1.2.16", false, "")
				}
			},
			failing: map[string]row{
				"1.2.17 (was cis-1.8 1.2.18)": {"cp-1", "≤ " + at(0), "8 days"},
				"1.2.15 (was cis-1.8 1.2.16)": {"cp-1", "≤ " + at(0), "8 days"},
			},
			fixed: map[string]row{
				"1.2.17": {at(0), upgraded, "6 days"},
			},
			absent:  []string{"1.2.16", "1.2.16 (was cis-1.8 1.2.17)"},
			changes: []string{"| a week before | " + at(1) + " | +1 | -1 | 0 | 4.3.1 | 1.2.17 |"},
		},
		{
			// cis-1.8's 1.2.12 (SecurityContextDeny) is not in cis-1.10: it
			// left the benchmark, nobody fixed it.
			name: "a control that vanished is not fixed",
			edit: func(d int, rec *trend.Record) {
				if d < upgradeDay {
					setFailing(rec, "cp-1", "1.2.12", true, "Ensure that the admission control plugin SecurityContextDeny is set if PodSecurityPolicy is not used (Manual)")
				}
			},
			fixed: map[string]row{
				"1.2.12": {at(0), upgraded, "not fixed&#58; no longer in cis-1.10"},
			},
			changes: []string{"| a week before | " + at(1) + " | +1 | -1 | 0 | 4.3.1 | –; no longer in the benchmark: 1.2.12 |"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := trend.RenderMarkdown(&buf, upgradeHistory(t, tt.edit), trend.ReportOptions{}); err != nil {
				t.Fatal(err)
			}
			out := plain(buf.String())
			failing, fixed := tableRows(out, "### Failing now"), tableRows(out, "### Fixed")
			for check, want := range tt.failing {
				if diff := cmp.Diff(want, failing[check]); diff != "" {
					t.Errorf("failing %s (-want +got):\n%s", check, diff)
				}
			}
			for check, want := range tt.fixed {
				if diff := cmp.Diff(want, fixed[check]); diff != "" {
					t.Errorf("fixed %s (-want +got):\n%s", check, diff)
				}
			}
			if tt.fixed != nil && len(tt.fixed) == 0 && len(fixed) > 0 {
				t.Errorf("fixed rows %v, want none", fixed)
			}
			for _, check := range tt.absent {
				if failing[check] != nil || fixed[check] != nil {
					t.Errorf("report has a row %q", check)
				}
			}
			for _, want := range tt.changes {
				if !strings.Contains(out, want+"\n") {
					t.Errorf("what changed lacks %q", want)
				}
			}
			if !strings.Contains(out, "Latest run "+lastDay) {
				t.Errorf("latest run is not %s", lastDay)
			}
			if t.Failed() {
				t.Logf("report:\n%s", out)
			}
		})
	}
}

// tableRows reads the table under the heading that starts with heading:
// the check cell → the cells after the description.
func tableRows(md, heading string) map[string]row {
	md = plain(md)
	out := map[string]row{}
	i := strings.Index(md, "\n"+heading)
	if i < 0 {
		return out
	}
	lines := strings.Split(md[i+1:], "\n")
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "#") {
			break
		}
		if !strings.HasPrefix(l, "| ") || strings.HasPrefix(l, "| check ") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "| "), " | ")
		if len(cells) > 2 {
			out[cells[0]] = cells[2:]
		}
	}
	return out
}

// A fleet upgraded node by node holds two benchmarks in one run; each
// node's failing ids are followed in its own benchmark.
func TestUpgradeNodeByNode(t *testing.T) {
	t.Parallel()
	before := report(t, "prod", "cp-1", "v0.14.1-cis-1.8-insecure.json", "cp-2", "v0.14.1-cis-1.8-insecure.json")
	during := report(t, "prod", "cp-1", "v0.14.1-cis-1.10-insecure.json", "cp-2", "v0.14.1-cis-1.8-insecure.json")
	recs := []trend.Record{
		trend.NewRecord(before, day0, trend.GateCounts{}),
		trend.NewRecord(during, day0.Add(24*time.Hour), trend.GateCounts{}),
	}
	if diff := cmp.Diff(map[string]string{"cp-1": "cis-1.10", "cp-2": "cis-1.8"}, recs[1].Benchmark); diff != "" {
		t.Errorf("benchmark by node (-want +got):\n%s", diff)
	}
	if recs[0].Benchmark != nil {
		t.Errorf("a run of one benchmark records it by node: %v", recs[0].Benchmark)
	}
	line, err := trend.MarshalLine(recs[1])
	if err != nil {
		t.Fatal(err)
	}
	if want := `"benchmark":{"cp-1":"cis-1.10","cp-2":"cis-1.8"}`; !bytes.Contains(line, []byte(want)) {
		t.Errorf("history line lacks %s", want)
	}
	var buf bytes.Buffer
	if err := trend.RenderMarkdown(&buf, roundTrip(t, recs), trend.ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	since := "≤ " + day0.Format("2006-01-02 15:04")
	got := tableRows(buf.String(), "### Failing now")
	for check, want := range map[string]row{
		"1.2.16 (was cis-1.8 1.2.17)": {"cp-1", since, "24 h"}, // --audit-log-path, upgraded
		"1.2.17":                      {"cp-2", since, "24 h"}, // --audit-log-path, not yet
		"1.2.17 (was cis-1.8 1.2.18)": {"cp-1", since, "24 h"}, // --audit-log-maxage, upgraded
		"1.2.16":                      {"cp-2", since, "24 h"}, // --profiling, not yet
		"4.3.1":                       {"cp-1", day0.Add(24*time.Hour).Format("2006-01-02 15:04") + " (added by cis-1.10)", "0 min"},
	} {
		if diff := cmp.Diff(want, got[check]); diff != "" {
			t.Errorf("failing %s (-want +got):\n%s", check, diff)
		}
	}
	if fixed := tableRows(buf.String(), "### Fixed"); len(fixed) > 0 {
		t.Errorf("fixed rows %v, want none:\n%s", fixed, buf.String())
	}
}

// Records written before the per-node benchmark still read; where they
// cannot say a node's benchmark, the id decides as it did.
func TestRecordBenchmarkOf(t *testing.T) {
	t.Parallel()
	const old = `{"v":1,"time":"2026-03-01T06:00:00Z","cluster":"prod","benchmarks":["cis-1.10","cis-1.8"],"totals":{"pass":0,"fail":2,"warn":0,"info":0},"failing":{"cp-1":["1.2.16"],"cp-2":["1.2.16"]}}
{"v":1,"time":"2026-03-02T06:00:00Z","cluster":"prod","benchmarks":["cis-1.8"],"totals":{"pass":0,"fail":1,"warn":0,"info":0},"failing":{"cp-1":["1.2.16"]}}
{"v":1,"time":"2026-03-03T06:00:00Z","cluster":"prod","benchmarks":["cis-1.10","cis-1.8"],"totals":{"pass":0,"fail":1,"warn":0,"info":0},"failing":{"cp-1":["1.2.16"],"cp-2":["1.2.16"]},"benchmark":{"cp-1":"cis-1.10"}}
`
	h, err := trend.ReadHistory(strings.NewReader(old), "old.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, r := range h.Records {
		got = append(got, []string{r.BenchmarkOf("cp-1"), r.BenchmarkOf("cp-2")})
	}
	want := [][]string{{"", ""}, {"cis-1.8", "cis-1.8"}, {"cis-1.10", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("BenchmarkOf (-want +got):\n%s", diff)
	}
}
