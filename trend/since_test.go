package trend_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/trend"
)

func TestFailingSince(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 6, 0, 0, 0, time.UTC) }
	// run is a run of cluster prod against bench on day d: nodes reported,
	// failing maps node → failing ids.
	run := func(d int, bench string, nodes []string, failing map[string][]string) trend.Record {
		return trend.Record{Version: 1, Time: day(d), Cluster: "prod", Benchmarks: []string{bench}, Nodes: nodes, Failing: failing}
	}
	cp := []string{"cp-1"}
	workers := []string{"w-1", "w-2"}
	w2 := []string{"w-2"}
	tests := []struct {
		name    string
		runs    []trend.Record
		cluster string
		want    map[string]time.Time
	}{
		{name: "no history", want: nil},
		{name: "no run of the cluster", cluster: "staging", runs: []trend.Record{
			run(1, "cis-1.10", cp, map[string][]string{"cp-1": {"1.2.15"}}),
		}, want: nil},
		{name: "nothing fails", runs: []trend.Record{
			run(1, "cis-1.10", cp, nil),
		}, want: map[string]time.Time{}},
		{name: "failing since the first run", runs: []trend.Record{
			run(1, "cis-1.10", cp, map[string][]string{"cp-1": {"1.2.15"}}),
			run(2, "cis-1.10", cp, map[string][]string{"cp-1": {"1.2.15"}}),
		}, want: map[string]time.Time{"1.2.15": day(1)}},
		{name: "fixed then failing again restarts the streak", runs: []trend.Record{
			run(1, "cis-1.10", cp, map[string][]string{"cp-1": {"1.2.15"}}),
			run(2, "cis-1.10", cp, map[string][]string{"cp-1": {"1.1.1"}}),
			run(3, "cis-1.10", cp, map[string][]string{"cp-1": {"1.1.1", "1.2.15"}}),
		}, want: map[string]time.Time{"1.1.1": day(2), "1.2.15": day(3)}},
		{name: "a partial run is not a fix", runs: []trend.Record{
			run(1, "cis-1.10", workers, map[string][]string{"w-1": {"4.2.1"}, "w-2": {"4.1.1"}}),
			run(2, "cis-1.10", w2, map[string][]string{"w-2": {"4.1.1"}}), // w-1 did not report
			run(3, "cis-1.10", workers, map[string][]string{"w-1": {"4.2.1"}, "w-2": {"4.1.1"}}),
		}, want: map[string]time.Time{"4.1.1": day(1), "4.2.1": day(1)}},
		{name: "failing only on a node that did not report in the last run", runs: []trend.Record{
			run(1, "cis-1.10", workers, map[string][]string{"w-1": {"4.2.1"}, "w-2": {"4.1.1"}}),
			run(2, "cis-1.10", w2, map[string][]string{"w-2": {"4.1.1"}}),
		}, want: map[string]time.Time{"4.1.1": day(1)}},
		{name: "the control's streak, whichever node it fails on", runs: []trend.Record{
			run(1, "cis-1.10", workers, map[string][]string{"w-1": {"4.2.1"}}),
			run(2, "cis-1.10", workers, map[string][]string{"w-2": {"4.2.1"}}),
		}, want: map[string]time.Time{"4.2.1": day(1)}},
		{
			// cis-1.8's 1.2.17 (--audit-log-path) is cis-1.10's 1.2.16;
			// cis-1.8's 1.2.16 (--profiling), fixed on day 2, is another
			// control than cis-1.10's 1.2.16.
			name: "a control renumbered by a benchmark upgrade keeps its streak", runs: []trend.Record{
				run(1, "cis-1.8", cp, map[string][]string{"cp-1": {"1.2.16", "1.2.17"}}),
				run(2, "cis-1.8", cp, map[string][]string{"cp-1": {"1.2.17"}}),
				run(3, "cis-1.10", cp, map[string][]string{"cp-1": {"1.2.16"}}),
			}, want: map[string]time.Time{"1.2.16": day(1)},
		},
		{name: "a reused id is another control", runs: []trend.Record{
			run(1, "cis-1.8", cp, map[string][]string{"cp-1": {"1.2.16"}}),
			run(2, "cis-1.10", cp, map[string][]string{"cp-1": {"1.2.15", "1.2.16"}}),
		}, want: map[string]time.Time{"1.2.15": day(1), "1.2.16": day(2)}},
		{name: "a node gone, the others still failing", runs: []trend.Record{
			run(1, "cis-1.10", workers, map[string][]string{"w-1": {"4.2.1"}, "w-2": {"4.2.1"}}),
			run(2, "cis-1.10", w2, map[string][]string{"w-2": {"4.2.1"}}),
			run(3, "cis-1.10", w2, map[string][]string{"w-2": {"4.2.1"}}),
			run(4, "cis-1.10", w2, map[string][]string{"w-2": {"4.2.1"}}),
			run(5, "cis-1.10", w2, map[string][]string{"w-2": {"4.2.1"}}),
			run(6, "cis-1.10", w2, map[string][]string{"w-2": {"4.2.1"}}),
		}, want: map[string]time.Time{"4.2.1": day(1)}},
		{name: "a node back within the coverage window keeps its streak", runs: []trend.Record{
			run(1, "cis-1.10", workers, map[string][]string{"w-1": {"4.2.1"}}),
			run(2, "cis-1.10", w2, nil),
			run(3, "cis-1.10", w2, nil),
			run(4, "cis-1.10", w2, nil),
			run(5, "cis-1.10", workers, map[string][]string{"w-1": {"4.2.1"}}),
		}, want: map[string]time.Time{"4.2.1": day(1)}},
		{name: "a node back after the coverage window starts a new streak", runs: []trend.Record{
			run(1, "cis-1.10", workers, map[string][]string{"w-1": {"4.2.1"}}),
			run(2, "cis-1.10", w2, nil),
			run(3, "cis-1.10", w2, nil),
			run(4, "cis-1.10", w2, nil),
			run(5, "cis-1.10", w2, nil),
			run(6, "cis-1.10", w2, nil),
			run(7, "cis-1.10", workers, map[string][]string{"w-1": {"4.2.1"}}),
		}, want: map[string]time.Time{"4.2.1": day(7)}},
		{name: "a cluster-wide check", runs: []trend.Record{
			run(1, "cis-1.10", cp, map[string][]string{"": {"5.1.1"}}),
			run(2, "cis-1.10", cp, map[string][]string{"": {"5.1.1"}}),
		}, want: map[string]time.Time{"5.1.1": day(1)}},
		{name: "runs out of order", runs: []trend.Record{
			run(3, "cis-1.10", cp, map[string][]string{"cp-1": {"1.2.15"}}),
			run(1, "cis-1.10", cp, map[string][]string{"cp-1": {"1.1.1"}}),
			run(2, "cis-1.10", cp, map[string][]string{"cp-1": {"1.2.15"}}),
		}, want: map[string]time.Time{"1.2.15": day(2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cluster := tt.cluster
			if cluster == "" {
				cluster = "prod"
			}
			h := roundTrip(t, tt.runs)
			if diff := cmp.Diff(tt.want, h.FailingSince(cluster)); diff != "" {
				t.Errorf("FailingSince(%q) (-want +got):\n%s", cluster, diff)
			}
		})
	}
}

// TestFailingSinceAgreesWithReport: on real outputs (the upgrade from
// cis-1.8 to cis-1.10, and a 5-node fleet with a run that heard from 3
// nodes), FailingSince says what the report's "Failing now" table says.
func TestFailingSinceAgreesWithReport(t *testing.T) {
	t.Parallel()
	partial, _ := partialFleet(t, 7, 4)
	for _, tt := range []struct {
		name string
		h    trend.History
		want map[string]time.Time // some of the map: controls the case is about
	}{
		{name: "upgrade", h: upgradeHistory(t, nil), want: map[string]time.Time{
			"1.2.16": day0, // cis-1.8's 1.2.17
			"1.2.15": day0, // cis-1.8's 1.2.16
			"4.3.1":  day0.Add(upgradeDay * 24 * time.Hour),
		}},
		{name: "partial run", h: partial},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.h.FailingSince("prod")
			for id, want := range tt.want {
				if !got[id].Equal(want) {
					t.Errorf("%s: failing since %v, want %v", id, got[id], want)
				}
			}
			var buf bytes.Buffer
			if err := trend.RenderMarkdown(&buf, tt.h, trend.ReportOptions{}); err != nil {
				t.Fatal(err)
			}
			rows := tableRows(plain(buf.String()), "### Failing now")
			if len(rows) == 0 || len(rows) != len(got) {
				t.Errorf("%d controls failing now in the report, %d in FailingSince", len(rows), len(got))
			}
			for label, r := range rows {
				id, _, _ := strings.Cut(label, " ")
				want := strings.TrimPrefix(r[1], "≤ ")
				want, _, _ = strings.Cut(want, " (")
				if s, ok := got[id]; !ok || s.UTC().Format("2006-01-02 15:04") != want {
					t.Errorf("%s: report says failing since %q, FailingSince %v (%v)", id, r[1], s, ok)
				}
			}
		})
	}
}
