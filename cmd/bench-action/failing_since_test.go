package main

import (
	"testing"
	"time"

	"github.com/bench-action/bench-action/trend"
	"github.com/google/go-cmp/cmp"
)

func TestStreakStarts(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 6, 0, 0, 0, time.UTC) }
	run := func(d int, failing map[string][]string) trend.Record {
		return trend.Record{Time: day(d), Cluster: "prod", Failing: failing}
	}
	tests := []struct {
		name string
		runs []trend.Record
		want map[string]time.Time
	}{
		{name: "no history", runs: nil, want: nil},
		{name: "failing since the first run", runs: []trend.Record{
			run(1, map[string][]string{"cp-1": {"1.2.15"}}),
			run(2, map[string][]string{"cp-1": {"1.2.15"}}),
		}, want: map[string]time.Time{"1.2.15": day(1)}},
		{name: "a pass breaks the streak", runs: []trend.Record{
			run(1, map[string][]string{"cp-1": {"1.2.15"}}),
			run(2, map[string][]string{"cp-1": {"1.1.1"}}),
			run(3, map[string][]string{"cp-1": {"1.1.1", "1.2.15"}}),
		}, want: map[string]time.Time{"1.1.1": day(2), "1.2.15": day(3)}},
		{name: "a run without the node is not a fix", runs: []trend.Record{
			run(1, map[string][]string{"w-1": {"4.2.1"}, "w-2": {"4.2.1"}}),
			run(2, map[string][]string{"w-2": {"4.1.1"}}), // w-1 did not report
			run(3, map[string][]string{"w-1": {"4.2.1"}}),
		}, want: map[string]time.Time{"4.2.1": day(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, streakStarts(tt.runs)); diff != "" {
				t.Errorf("streakStarts (-want +got):\n%s", diff)
			}
		})
	}
}
