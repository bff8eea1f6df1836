// Package metrics exposes a benchmark run to Prometheus: the series the
// design fixes, in the text format, for node_exporter's textfile collector
// or pushed to a Pushgateway.
//
// It is the one package of this module that imports the Prometheus client
// libraries, so that a program that only reads or reports history (package
// [github.com/bench-action/bench-action/trend]) does not pay for them.
//
// # Series
//
// [OfReport] builds, on a registry of its own, the series of one run of
// kube-bench on one cluster:
//
//	kube_bench_fail_total{cluster, section}      FAIL checks per top-level section
//	kube_bench_pass_total{cluster, section}      PASS checks per top-level section
//	kube_bench_warn_total{cluster}               WARN checks
//	kube_bench_check_status{cluster, check_id}   [CheckPass], [CheckFail] or [CheckNotMet]
//	kube_bench_run_timestamp{cluster}            the run's time, unix seconds
//	kube_bench_exception_review_timestamp{cluster, check_id, owner}
//
// The last one has a series per accepted exception ([ExceptionDate]);
// [ExceptionDates] takes them from an exceptions file.
//
// # Exposition
//
// [Write] writes the series in the Prometheus text format (what
// `bench-action metrics` prints), [WriteTextfile] writes them atomically
// for node_exporter's textfile collector, and [Push] replaces the group
// {job, cluster} on a Pushgateway. The alert rules that read these series
// are in the repository's examples/prometheus.
//
// The package reads no clock and no environment: the caller passes the
// time of the run.
package metrics
