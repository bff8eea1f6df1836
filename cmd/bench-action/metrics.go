package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/metrics"
)

// metricsCmd is `bench-action metrics`: it prints, writes or pushes the
// Prometheus metrics of one run.
type metricsCmd struct {
	inputFlags
	textfile, pushURL, job, exFile string
	timeout                        time.Duration
}

func defineMetrics(fs *flag.FlagSet) func(*env, []string) int {
	c := &metricsCmd{}
	c.inputFlags.register(fs)
	c.purpose = "export as metrics"
	fs.StringVar(&c.textfile, "textfile", "", "write the metrics to this `FILE` for node_exporter's textfile collector (atomically; name it *.prom)")
	fs.StringVar(&c.pushURL, "push", "", "push the metrics to the Pushgateway at this `URL` (grouping key job and cluster)")
	fs.StringVar(&c.job, "job", "kube-bench", "the Pushgateway `JOB` name")
	fs.StringVar(&c.exFile, "exceptions", "", "exceptions `FILE`: adds kube_bench_exception_review_timestamp per exception")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "time limit of a push, a `DURATION` such as 30s or 2m")
	return c.run
}

func (c *metricsCmd) run(e *env, pos []string) int {
	if c.textfile != "" && c.pushURL != "" {
		return fail(e, "metrics", usageError("give --textfile or --push, not both"))
	}
	r, err := c.load(e, pos)
	if err != nil {
		return fail(e, "metrics", err)
	}
	now := e.now()
	var dates []metrics.ExceptionDate
	if c.exFile != "" {
		f, err := exceptions.LoadFile(c.exFile, exceptions.ParseOptions{Now: exceptions.DateOf(now.UTC())})
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
	case c.textfile != "":
		if err := metrics.WriteTextfile(c.textfile, reg); err != nil {
			return fail(e, "metrics", err)
		}
	case c.pushURL != "":
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		defer cancel()
		if err := metrics.Push(ctx, reg, metrics.PushOptions{URL: c.pushURL, Job: c.job, Cluster: r.Cluster, Client: &http.Client{Timeout: c.timeout}}); err != nil {
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
