package metrics

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/trend"
)

// Values of kube_bench_check_status.
const (
	CheckPass   = 1  // every node that ran the check reported PASS
	CheckFail   = 0  // at least one node reported FAIL
	CheckNotMet = -1 // no FAIL, but at least one WARN: a manual check, or an unscored check whose audit did not pass
)

// ExceptionDate is one accepted exception as the metrics see it: one series
// of kube_bench_exception_review_timestamp. [ExceptionDates] lists them for
// an exceptions file.
type ExceptionDate struct {
	CheckID    string
	Owner      string
	ReviewDate time.Time // the day the exception holds through, at 00:00 UTC
}

// OfReport builds the Prometheus series of one run, taken at time at, on a
// registry of its own (never the global one):
//
//	kube_bench_fail_total{cluster,section}   FAIL checks per top-level section ("1".."5")
//	kube_bench_pass_total{cluster,section}   PASS checks per top-level section
//	kube_bench_warn_total{cluster}           WARN checks
//	kube_bench_check_status{cluster,check_id} 1 PASS, 0 FAIL, -1 WARN (see below)
//	kube_bench_run_timestamp{cluster}        the run's time, unix seconds
//	kube_bench_exception_review_timestamp{cluster,check_id,owner}
//	                                         an exception's review date (00:00 UTC of that
//	                                         day, unix seconds); it lapses one day later
//
// Counts are by the status kube-bench reported, one per check identity: a
// node check counts once per node, a cluster-wide check (policies,
// managedservices) once per cluster however many nodes reported it. For one
// input they equal kube-bench's own totals.
//
// kube_bench_check_status has one series per check id, the worst status
// over every node (and target) that ran it: 0 if any FAILed, else -1 if any
// WARNed, else 1 if any PASSed. WARN gets -1, not 0, so that "== 0" keeps
// meaning an automated check failed, while "< 1" also catches a check that
// a benchmark version made manual (1.2.1 in cis-1.8 and later reports WARN
// when anonymous auth is on). INFO and not-applicable checks (a
// managed-provider profile) have no series.
func OfReport(r *benchresult.Report, at time.Time, ex []ExceptionDate) (*prometheus.Registry, error) {
	if r == nil {
		return nil, errors.New("metrics: no report")
	}
	reg := prometheus.NewRegistry()
	cl := prometheus.Labels{"cluster": r.Cluster}
	fail := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "kube_bench_fail_total", Help: "Checks that kube-bench reported FAIL in the last run, per top-level benchmark section.", ConstLabels: cl}, []string{"section"})
	pass := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "kube_bench_pass_total", Help: "Checks that kube-bench reported PASS in the last run, per top-level benchmark section.", ConstLabels: cl}, []string{"section"})
	warn := prometheus.NewGauge(prometheus.GaugeOpts{Name: "kube_bench_warn_total", Help: "Checks that kube-bench reported WARN (manual, or unscored and not met) in the last run.", ConstLabels: cl})
	status := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "kube_bench_check_status", Help: "Worst status of a check over all nodes in the last run: 1 PASS, 0 FAIL, -1 WARN. INFO and not-applicable checks have no series.", ConstLabels: cl}, []string{"check_id"})
	ts := prometheus.NewGauge(prometheus.GaugeOpts{Name: "kube_bench_run_timestamp", Help: "Time of the last kube-bench run, in unix seconds.", ConstLabels: cl})
	review := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "kube_bench_exception_review_timestamp", Help: "Review date of an accepted exception (00:00 UTC of the day it holds through), in unix seconds.", ConstLabels: cl}, []string{"check_id", "owner"})
	for _, c := range []prometheus.Collector{fail, pass, warn, status, ts, review} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
	}

	worst := map[string]benchresult.Status{}
	sections := map[string]bool{}
	for i := range r.Checks {
		c := &r.Checks[i]
		sec := trend.TopSection(c.ID)
		if !sections[sec] {
			sections[sec] = true
			fail.WithLabelValues(sec) // every section has both series, 0 included
			pass.WithLabelValues(sec)
		}
		switch c.Status {
		case benchresult.Fail:
			fail.WithLabelValues(sec).Inc()
		case benchresult.Pass:
			pass.WithLabelValues(sec).Inc()
		case benchresult.Warn:
			warn.Inc()
		}
		s := c.EffectiveStatus()
		if s == benchresult.Pass || s == benchresult.Fail || s == benchresult.Warn {
			if s.Severity() > worst[c.ID].Severity() {
				worst[c.ID] = s
			}
		}
	}
	for id, s := range worst {
		v := CheckPass
		switch s {
		case benchresult.Fail:
			v = CheckFail
		case benchresult.Warn:
			v = CheckNotMet
		}
		status.WithLabelValues(id).Set(float64(v))
	}
	ts.Set(float64(at.Unix()))
	earliest := map[[2]string]time.Time{}
	for _, e := range ex {
		if e.CheckID == "" || e.ReviewDate.IsZero() {
			return nil, fmt.Errorf("metrics: exception %q of %q: no check id or review date", e.CheckID, e.Owner)
		}
		// Two exceptions for the same id and owner: the earliest review counts.
		k := [2]string{e.CheckID, e.Owner}
		if t, ok := earliest[k]; !ok || e.ReviewDate.Before(t) {
			earliest[k] = e.ReviewDate
		}
	}
	for k, t := range earliest {
		review.WithLabelValues(k[0], k[1]).Set(float64(t.Unix()))
	}
	return reg, nil
}
