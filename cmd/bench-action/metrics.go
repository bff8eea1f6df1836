package main

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"time"

	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/trend"
)

// runMetrics prints, writes or pushes the Prometheus metrics of one run.
func runMetrics(e *env, args []string) int {
	fs := newFlagSet(e, "metrics", "metrics [--cluster C] [--profile P] [--textfile PATH | --push URL [--job J]] [--exceptions F] INPUT...")
	var in inputFlags
	in.register(fs)
	textfile := fs.String("textfile", "", "write the metrics to this file for node_exporter's textfile collector (atomically; name it *.prom)")
	pushURL := fs.String("push", "", "push the metrics to the Pushgateway at this URL (grouping key job and cluster)")
	job := fs.String("job", "kube-bench", "the Pushgateway job name")
	exFile := fs.String("exceptions", "", "exceptions file: adds kube_bench_exception_review_timestamp per exception")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit of a push")
	pos, err := parseFlags(fs, args)
	if code, done := flagResult(e, fs, "metrics", err); done {
		return code
	}
	if *textfile != "" && *pushURL != "" {
		return fail(e, "metrics", usageError("give --textfile or --push, not both"))
	}
	r, err := in.load(e, pos)
	if err != nil {
		return fail(e, "metrics", err)
	}
	now := e.now()
	var dates []trend.ExceptionDate
	if *exFile != "" {
		f, err := exceptions.Load(*exFile, exceptions.ParseOptions{Now: exceptions.DateOf(now.UTC())})
		if err != nil {
			return fail(e, "metrics", err)
		}
		dates = exceptionDates(f, r.Cluster)
	}
	reg, err := trend.Metrics(r, now, dates)
	if err != nil {
		return fail(e, "metrics", err)
	}
	switch {
	case *textfile != "":
		if err := trend.WriteTextfile(*textfile, reg); err != nil {
			return fail(e, "metrics", err)
		}
	case *pushURL != "":
		ctx, cancel := context.WithTimeout(context.Background(), *timeout)
		defer cancel()
		if err := trend.Push(ctx, *pushURL, *job, r.Cluster, reg, &http.Client{Timeout: *timeout}); err != nil {
			fmt.Fprintf(e.stderr, "bench-action metrics: %v\n", err)
			return exitUsage
		}
	default:
		if err := trend.WriteText(e.stdout, reg); err != nil {
			return fail(e, "metrics", err)
		}
	}
	return exitPass
}

// exceptionDates keeps the exceptions that apply to the cluster.
func exceptionDates(f *exceptions.File, cluster string) []trend.ExceptionDate {
	var out []trend.ExceptionDate
	for _, x := range f.Exceptions {
		if !matchesAny(x.Clusters, cluster) || x.ReviewDate.IsZero() {
			continue
		}
		d := x.ReviewDate
		out = append(out, trend.ExceptionDate{CheckID: x.CheckID, Owner: x.Owner,
			ReviewDate: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)})
	}
	return out
}

func matchesAny(globs []string, s string) bool {
	if len(globs) == 0 {
		return true
	}
	for _, g := range globs {
		if ok, _ := path.Match(g, s); ok {
			return true
		}
	}
	return false
}
