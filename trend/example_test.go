package trend_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/trend"
)

// Use Append after each scheduled run to keep the history; it costs the
// same whatever the history's size.
func ExampleAppend() {
	dir, _ := os.MkdirTemp("", "trend")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "history.jsonl")
	for day := 1; day <= 3; day++ {
		rec := trend.Record{Cluster: "prod", Time: time.Date(2026, 3, day, 6, 0, 0, 0, time.UTC),
			Totals: benchresult.Totals{Pass: 70 + day, Fail: 10 - day, Warn: 50}}
		if err := trend.Append(path, rec); err != nil {
			fmt.Println(err)
			return
		}
	}
	f, _ := os.Open(path)
	defer f.Close()
	h, err := trend.ReadHistory(f, path)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range h.Runs("prod") {
		fmt.Println(r.Time.Format("2006-01-02"), "FAIL", r.Totals.Fail)
	}
	// Output:
	// 2026-03-01 FAIL 9
	// 2026-03-02 FAIL 8
	// 2026-03-03 FAIL 7
}

// Use ReadHistory to load a history for a report; a run killed while
// writing leaves a torn last line, which is dropped with a warning.
func ExampleReadHistory() {
	in := `{"v":1,"time":"2026-03-01T06:00:00Z","cluster":"prod","totals":{"pass":71,"fail":9,"warn":50,"info":0}}
{"v":1,"time":"2026-03-02T06:00:00Z","clu`
	h, err := trend.ReadHistory(strings.NewReader(in), "history.jsonl")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(h.Records), "run")
	fmt.Println(h.Warnings[0][:60])
	// Output:
	// 1 run
	// history.jsonl: line 2: the last line is incomplete (a run ki
}

// Use FailingSince to say since when each control failing now has failed
// without a break. A run that did not hear from a node (day 2: w-1) is
// not a fix; a run in which the node reported and the control passed
// (day 3: 1.2.15 on cp-1) is, and the streak starts again.
func ExampleHistory_FailingSince() {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 6, 0, 0, 0, time.UTC) }
	all := []string{"cp-1", "w-1"}
	h := trend.History{Records: []trend.Record{
		{Cluster: "prod", Time: day(1), Benchmarks: []string{"cis-1.10"}, Nodes: all,
			Failing: map[string][]string{"cp-1": {"1.2.15"}, "w-1": {"4.2.1"}}},
		{Cluster: "prod", Time: day(2), Benchmarks: []string{"cis-1.10"}, Nodes: []string{"cp-1"},
			Failing: map[string][]string{"cp-1": {"1.2.15"}}},
		{Cluster: "prod", Time: day(3), Benchmarks: []string{"cis-1.10"}, Nodes: all,
			Failing: map[string][]string{"w-1": {"4.2.1"}}},
		{Cluster: "prod", Time: day(4), Benchmarks: []string{"cis-1.10"}, Nodes: all,
			Failing: map[string][]string{"cp-1": {"1.2.15"}, "w-1": {"4.2.1"}}},
	}}
	since := h.FailingSince("prod")
	for _, id := range []string{"1.2.15", "4.2.1"} {
		fmt.Println(id, "failing since", since[id].Format("2006-01-02"))
	}
	// Output:
	// 1.2.15 failing since 2026-11-04
	// 4.2.1 failing since 2026-11-01
}
