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

// Use Metrics to expose a run to Prometheus: here as text on standard
// output; WriteTextfile and Push send it to node_exporter or a Pushgateway.
func ExampleMetrics() {
	nr, err := benchresult.Parse(strings.NewReader(`{"Controls":[{"id":"1","version":"cis-1.10","node_type":"master","tests":[{"section":"1.2","results":[
  {"test_number":"1.2.1","test_desc":"Ensure that the --anonymous-auth argument is set to false (Manual)","status":"WARN"},
  {"test_number":"1.2.2","test_desc":"Ensure that the --token-auth-file parameter is not set (Automated)","status":"PASS"}]}]}],
  "Totals":{"total_pass":1,"total_fail":0,"total_warn":1,"total_info":0}}`), "cp-1.json", benchresult.Options{Node: "cp-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	reg, err := trend.Metrics(benchresult.Merge("prod", nr), time.Unix(1772344800, 0), []trend.ExceptionDate{
		{CheckID: "1.2.11", Owner: "platform-team", ReviewDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	trend.WriteText(&b, reg)
	for _, l := range strings.Split(b.String(), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			fmt.Println(l)
		}
	}
	// Output:
	// kube_bench_check_status{check_id="1.2.1",cluster="prod"} -1
	// kube_bench_check_status{check_id="1.2.2",cluster="prod"} 1
	// kube_bench_exception_review_timestamp{check_id="1.2.11",cluster="prod",owner="platform-team"} 1.7934912e+09
	// kube_bench_fail_total{cluster="prod",section="1"} 0
	// kube_bench_pass_total{cluster="prod",section="1"} 1
	// kube_bench_run_timestamp{cluster="prod"} 1.7723448e+09
	// kube_bench_warn_total{cluster="prod"} 1
}
