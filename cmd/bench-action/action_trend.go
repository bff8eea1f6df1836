package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bench-action/bench-action/metrics"
	"github.com/bench-action/bench-action/trend"
	"github.com/bench-action/bench-action/verdict"
)

// recordTrend appends the run to the history file (the action's history
// input), creating it and its directory on the first run, and returns the
// cluster's trend as Markdown for the job summary.
func recordTrend(path string, v *verdict.Verdict, now time.Time) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("append to history %s: %w", path, unwrap(err))
	}
	rec := trend.NewRecord(v.Report, now, trend.GateCounts{})
	rec.Gate = gateCounts(v)
	if err := trend.Append(path, rec); err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read history %s: %w", path, unwrap(err))
	}
	defer f.Close()
	h, err := trend.ReadHistory(f, path)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := trend.RenderMarkdown(&b, h, trend.ReportOptions{Cluster: v.Report.Cluster, Title: "Trend", Rows: 5, MaxFixed: 10}); err != nil {
		return "", err
	}
	return b.String(), nil
}

// gateCounts is what a history records of the gate's verdict, the same
// for `trend append` and the Action; recorded even when all are zero (a
// clean run is a gate that found nothing, not a run without a gate).
func gateCounts(v *verdict.Verdict) *trend.GateCounts {
	c := v.Counts
	return &trend.GateCounts{Open: c.Fail, New: c.New, Fixed: c.Fixed, Accepted: c.Accepted}
}

// writeMetrics writes the run's Prometheus metrics for node_exporter's
// textfile collector (the action's metrics-file input).
func writeMetrics(path string, v *verdict.Verdict, now time.Time) error {
	reg, err := metrics.OfReport(v.Report, now, metrics.ExceptionDates(v.Config.Exceptions, v.Report.Cluster))
	if err != nil {
		return err
	}
	return metrics.WriteTextfile(path, reg)
}

// failingSince reads the history file (the action's history input) and
// returns, by check id, when each control failing in the cluster's last
// run started failing without a break: the tracking issues' "failing
// since", as the trend report says it (see [trend.History.FailingSince]).
func failingSince(path, cluster string) (map[string]time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read history %s: %w", path, unwrap(err))
	}
	defer f.Close()
	h, err := trend.ReadHistory(f, path)
	if err != nil {
		return nil, err
	}
	return h.FailingSince(cluster), nil
}
