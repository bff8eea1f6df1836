package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/bench-action/bench-action/trend"
)

// trendAppendCmd is `bench-action trend append`: the gate's pipeline
// (gateFlags.evaluate, with the gate's flags), recorded as one run.
type trendAppendCmd struct {
	gateFlags
	history string
	at      string
}

func defineTrendAppend(fs *flag.FlagSet) func(*env, []string) int {
	c := &trendAppendCmd{}
	c.gateFlags.register(fs)
	c.purpose = "record"
	fs.StringVar(&c.history, "history", "", "the history `FILE` (JSON Lines) to append the run to (required)")
	fs.StringVar(&c.at, "time", "", "the run's time, `RFC3339` (default: the clock), to record a run after the fact")
	return c.run
}

func (c *trendAppendCmd) run(e *env, pos []string) int {
	if c.history == "" {
		return fail(e, "trend append", usageError("--history is required"))
	}
	at := e.now()
	if c.at != "" {
		t, err := time.Parse(time.RFC3339, c.at)
		if err != nil {
			return fail(e, "trend append", usageError(fmt.Sprintf("--time %q: want RFC3339, 2026-11-26T06:00:00Z", c.at)))
		}
		at = t
		if c.now == "" {
			c.now = t.UTC().Format("2006-01-02") // the exceptions' dates as of that run
		}
	}
	v, err := c.evaluate(e, pos, "append with --cluster ")
	if err != nil {
		return fail(e, "trend append", err)
	}
	rec := trend.NewRecord(v.Report, at, trend.GateCounts{})
	rec.Gate = gateCounts(v)
	if err := trend.Append(c.history, rec); err != nil {
		return fail(e, "trend append", err)
	}
	g := rec.Gate
	fmt.Fprintf(e.stderr, "bench-action trend append: %s: run of %s at %s: %s reported; results %d FAIL, %d WARN, %d PASS; gate %d open, %d new, %d fixed, %d accepted\n",
		c.history, clusterLabel(rec.Cluster), rec.Time.Format("2006-01-02 15:04:05Z"), plural(len(rec.Nodes), "node"), rec.Totals.Fail, rec.Totals.Warn, rec.Totals.Pass,
		g.Open, g.New, g.Fixed, g.Accepted)
	return exitPass
}

// trendReportCmd is `bench-action trend report`.
type trendReportCmd struct {
	history, format, output, cluster string
	runs                             int
}

func defineTrendReport(fs *flag.FlagSet) func(*env, []string) int {
	c := &trendReportCmd{}
	fs.StringVar(&c.history, "history", "", "the history `FILE` to report on (required)")
	fs.StringVar(&c.format, "format", "markdown", "report format, `markdown|html`")
	fs.StringVar(&c.output, "output", "", "write the report to this `FILE` (default: standard output)")
	fs.StringVar(&c.cluster, "cluster", "", "report only the cluster of this `NAME`")
	fs.IntVar(&c.runs, "runs", 10, "list the last `N` runs in the table of runs")
	return c.run
}

func (c *trendReportCmd) run(e *env, pos []string) int {
	if c.history == "" || len(pos) > 0 {
		return fail(e, "trend report", usageError("--history is required and no INPUT is taken"))
	}
	render := trend.RenderMarkdown
	switch c.format {
	case "markdown", "md":
	case "html":
		render = trend.RenderHTML
	default:
		return fail(e, "trend report", usageError(fmt.Sprintf("--format %q: want markdown or html", c.format)))
	}
	h, code := readHistoryFile(e, "trend report", c.history)
	if code >= 0 {
		return code
	}
	if c.cluster != "" {
		if err := h.CheckCluster(c.cluster); err != nil {
			return fail(e, "trend report", fmt.Errorf("history %s: %w", c.history, err))
		}
	}
	w, done, err := openOutput(e, c.output)
	if err != nil {
		return fail(e, "trend report", err)
	}
	err = render(w, h, trend.ReportOptions{Cluster: c.cluster, Rows: c.runs})
	if cerr := done(); err == nil && cerr != nil {
		err = fmt.Errorf("write %s: %w", c.output, cerr)
	}
	if err != nil {
		return fail(e, "trend report", fmt.Errorf("%s: %w", c.history, err))
	}
	return exitPass
}

// trendConvertCmd is `bench-action trend convert`.
type trendConvertCmd struct {
	history, output, cluster string
}

func defineTrendConvert(fs *flag.FlagSet) func(*env, []string) int {
	c := &trendConvertCmd{}
	fs.StringVar(&c.history, "history", "", "the history `FILE` to convert: the seed's JSON array, or JSON Lines (required, or given as FILE)")
	fs.StringVar(&c.output, "output", "", "the JSON Lines history `FILE` to write (default: standard output)")
	fs.StringVar(&c.cluster, "cluster", "", "the cluster `NAME` of runs that have none (the seed's never do)")
	return c.run
}

func (c *trendConvertCmd) run(e *env, pos []string) int {
	if c.history == "" && len(pos) == 1 {
		c.history = pos[0]
	} else if c.history == "" || len(pos) > 0 {
		return fail(e, "trend convert", usageError("--history is required"))
	}
	h, code := readHistoryFile(e, "trend convert", c.history)
	if code >= 0 {
		return code
	}
	for i := range h.Records {
		if h.Records[i].Cluster == "" {
			h.Records[i].Cluster = c.cluster
		}
	}
	if c.output == "" || c.output == "-" {
		if err := trend.WriteJSONLines(e.stdout, h.Records); err != nil {
			return fail(e, "trend convert", err)
		}
		return exitPass
	}
	if err := writeFileAtomic(c.output, func(f *os.File) error { return trend.WriteJSONLines(f, h.Records) }); err != nil {
		return fail(e, "trend convert", err)
	}
	fmt.Fprintf(e.stderr, "bench-action trend convert: wrote %s: %s\n", c.output, plural(len(h.Records), "run"))
	return exitPass
}

// trendCompactCmd is `bench-action trend compact`.
type trendCompactCmd struct {
	history, keep string
	keepRuns      int
}

func defineTrendCompact(fs *flag.FlagSet) func(*env, []string) int {
	c := &trendCompactCmd{}
	fs.StringVar(&c.history, "history", "", "the history `FILE` to compact in place (required)")
	fs.StringVar(&c.keep, "keep", "", "keep runs newer than this `AGE`: 400d, 8w, 36h (this or --keep-runs)")
	fs.IntVar(&c.keepRuns, "keep-runs", 0, "keep the last `N` runs of each cluster")
	return c.run
}

func (c *trendCompactCmd) run(e *env, pos []string) int {
	if c.history == "" || len(pos) > 0 {
		return fail(e, "trend compact", usageError("--history is required and no INPUT is taken"))
	}
	var policy trend.KeepPolicy
	if c.keep != "" {
		var err error
		if policy.MaxAge, err = trend.ParseAge(c.keep); err != nil {
			return fail(e, "trend compact", usageError("--keep: "+err.Error()))
		}
	}
	if c.keepRuns < 0 {
		return fail(e, "trend compact", usageError("--keep-runs must not be negative"))
	}
	policy.MaxRuns = c.keepRuns
	if policy == (trend.KeepPolicy{}) {
		return fail(e, "trend compact", usageError("give --keep or --keep-runs"))
	}
	res, err := trend.Compact(c.history, policy, e.now())
	if err != nil {
		return fail(e, "trend compact", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "bench-action trend compact: warning: %s\n", w)
	}
	fmt.Fprintf(e.stderr, "bench-action trend compact: %s: kept %s, dropped %d\n", c.history, plural(res.Kept, "run"), res.Dropped)
	return exitPass
}

// readHistoryFile reads a history, printing its warnings; code is -1 on success.
func readHistoryFile(e *env, cmd, path string) (trend.History, int) {
	f, err := os.Open(path)
	if err != nil {
		return trend.History{}, fail(e, cmd, fmt.Errorf("read history: %w", err))
	}
	defer f.Close()
	h, err := trend.ReadHistory(f, path)
	if err != nil {
		return h, fail(e, cmd, err)
	}
	for _, w := range h.Warnings {
		fmt.Fprintf(e.stderr, "bench-action %s: warning: %s\n", cmd, w)
	}
	return h, -1
}

func clusterLabel(c string) string {
	if c == "" {
		return "the unnamed cluster"
	}
	return "cluster " + c
}
