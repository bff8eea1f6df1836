package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/metrics"
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
	var dates []metrics.ExceptionDate
	if *exFile != "" {
		f, err := exceptions.Load(*exFile, exceptions.ParseOptions{Now: exceptions.DateOf(now.UTC())})
		if err != nil {
			return fail(e, "metrics", err)
		}
		dates = metrics.ExceptionDates(f, r.Cluster)
	}
	reg, err := metrics.OfReport(r, now, dates)
	if err != nil {
		return fail(e, "metrics", err)
	}
	switch {
	case *textfile != "":
		if err := metrics.WriteTextfile(*textfile, reg); err != nil {
			return fail(e, "metrics", err)
		}
	case *pushURL != "":
		ctx, cancel := context.WithTimeout(context.Background(), *timeout)
		defer cancel()
		if err := metrics.Push(ctx, *pushURL, *job, r.Cluster, reg, &http.Client{Timeout: *timeout}); err != nil {
			fmt.Fprintf(e.stderr, "bench-action metrics: %v\n", err)
			return exitUsage
		}
	default:
		if err := metrics.Write(e.stdout, reg); err != nil {
			return fail(e, "metrics", err)
		}
	}
	return exitPass
}
