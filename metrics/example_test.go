package metrics_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/metrics"
)

// kubeBenchJSON is one control-plane node's kube-bench --json output, cut
// down to two checks.
const kubeBenchJSON = `{"Controls":[{"id":"1","version":"cis-1.10","node_type":"master","tests":[{"section":"1.2","results":[
  {"test_number":"1.2.1","test_desc":"Ensure that the --anonymous-auth argument is set to false (Manual)","status":"WARN"},
  {"test_number":"1.2.2","test_desc":"Ensure that the --token-auth-file parameter is not set (Automated)","status":"PASS"}]}]}],
  "Totals":{"total_pass":1,"total_fail":0,"total_warn":1,"total_info":0}}`

// Use OfReport and Write to expose a run to Prometheus, here as text on
// standard output (what `bench-action metrics` prints); WriteTextfile and
// Push send the same series to node_exporter or a Pushgateway.
func Example() {
	nr, err := benchresult.Parse(strings.NewReader(kubeBenchJSON), "cp-1.json", benchresult.Options{Node: "cp-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	reg, err := metrics.OfReport(benchresult.Merge("prod", nr), time.Unix(1772344800, 0), []metrics.ExceptionDate{
		{CheckID: "1.2.11", Owner: "platform-team", ReviewDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := metrics.Write(&b, reg); err != nil {
		fmt.Println(err)
		return
	}
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

// Use ExceptionDates to give OfReport the review dates of an exceptions
// file: exceptions scoped to other clusters are left out.
func ExampleExceptionDates() {
	f := &exceptions.File{Exceptions: []exceptions.Exception{
		{CheckID: "1.2.11", Owner: "platform-team", ReviewDate: exceptions.Date{Year: 2026, Month: 11, Day: 1}},
		{CheckID: "4.2.6", Owner: "node-team", Clusters: []string{"staging-*"}, ReviewDate: exceptions.Date{Year: 2026, Month: 6, Day: 30}},
	}}
	for _, cluster := range []string{"prod", "staging-eu"} {
		for _, d := range metrics.ExceptionDates(f, cluster) {
			fmt.Println(cluster, d.CheckID, d.Owner, d.ReviewDate.Format(time.RFC3339))
		}
	}
	// Output:
	// prod 1.2.11 platform-team 2026-11-01T00:00:00Z
	// staging-eu 1.2.11 platform-team 2026-11-01T00:00:00Z
	// staging-eu 4.2.6 node-team 2026-06-30T00:00:00Z
}

// Use Push from a CronJob that cannot be scraped: it replaces the group
// {job, cluster} on the Pushgateway, which adds those labels to every
// series itself, so the series are sent without their cluster label.
func ExamplePush() {
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.Path)
		dec := expfmt.NewDecoder(r.Body, expfmt.ResponseFormat(r.Header))
		var series []string
		for {
			var mf dto.MetricFamily
			if err := dec.Decode(&mf); err == io.EOF {
				break
			} else if err != nil {
				fmt.Println(err)
				return
			}
			for _, m := range mf.GetMetric() {
				var labels []string
				for _, lp := range m.GetLabel() {
					labels = append(labels, fmt.Sprintf("%s=%q", lp.GetName(), lp.GetValue()))
				}
				series = append(series, fmt.Sprintf("%s{%s} %g", mf.GetName(), strings.Join(labels, ","), m.GetGauge().GetValue()))
			}
		}
		sort.Strings(series)
		fmt.Println(strings.Join(series, "\n"))
	}))
	defer gateway.Close()

	nr, err := benchresult.Parse(strings.NewReader(kubeBenchJSON), "cp-1.json", benchresult.Options{Node: "cp-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	reg, err := metrics.OfReport(benchresult.Merge("prod", nr), time.Unix(1772344800, 0), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := metrics.Push(context.Background(), reg, metrics.PushOptions{URL: gateway.URL, Job: "kube-bench", Cluster: "prod", Client: gateway.Client()}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// PUT /metrics/job/kube-bench/cluster/prod
	// kube_bench_check_status{check_id="1.2.1"} -1
	// kube_bench_check_status{check_id="1.2.2"} 1
	// kube_bench_fail_total{section="1"} 0
	// kube_bench_pass_total{section="1"} 1
	// kube_bench_run_timestamp{} 1.7723448e+09
	// kube_bench_warn_total{} 1
}
