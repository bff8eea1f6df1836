package main

import (
	"fmt"
	"os"

	"github.com/bench-action/bench-action/trend"
)

const trendUsage = `trend append  --history F [--cluster C] [--profile P] INPUT...
       trend report  --history F [--format markdown|html] [--output F] [--cluster C] [--runs N]
       trend convert --history F [--output F] [--cluster C]
       trend compact --history F (--keep 400d | --keep-runs N)`

// runTrend keeps the run history and renders trend reports.
func runTrend(e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "usage: bench-action %s\n", trendUsage)
		return exitUsage
	}
	switch args[0] {
	case "append":
		return trendAppend(e, args[1:])
	case "report":
		return trendReport(e, args[1:])
	case "convert":
		return trendConvert(e, args[1:])
	case "compact":
		return trendCompact(e, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintf(e.stderr, "usage: bench-action %s\n", trendUsage)
		return exitPass
	}
	fmt.Fprintf(e.stderr, "bench-action trend: unknown subcommand %q\nusage: bench-action %s\n", args[0], trendUsage)
	return exitUsage
}

func trendAppend(e *env, args []string) int {
	fs := newFlagSet(e, "trend append", "trend append --history F [--cluster C] [--profile P] INPUT...")
	var in inputFlags
	in.register(fs)
	history := fs.String("history", "", "the history file (JSON Lines) to append the run to (required)")
	pos, err := parseFlags(fs, args)
	if code, done := flagResult(e, fs, "trend append", err); done {
		return code
	}
	if *history == "" {
		return fail(e, "trend append", usageError("--history is required"))
	}
	r, err := in.load(e, pos)
	if err != nil {
		return fail(e, "trend append", err)
	}
	rec := trend.NewRecord(r, e.now(), trend.GateCounts{})
	if err := trend.Append(*history, rec); err != nil {
		return fail(e, "trend append", err)
	}
	fmt.Fprintf(e.stderr, "bench-action trend append: %s: run of %s at %s: results %d FAIL, %d WARN, %d PASS\n",
		*history, clusterLabel(rec.Cluster), rec.Time.Format("2006-01-02 15:04:05Z"), rec.Totals.Fail, rec.Totals.Warn, rec.Totals.Pass)
	return exitPass
}

func trendReport(e *env, args []string) int {
	fs := newFlagSet(e, "trend report", "trend report --history F [--format markdown|html] [--output F] [--cluster C] [--runs N]")
	history := fs.String("history", "", "the history file to report on (required)")
	format := fs.String("format", "markdown", "markdown or html")
	output := fs.String("output", "", "write the report to this file (default: standard output)")
	cluster := fs.String("cluster", "", "report only this cluster")
	runs := fs.Int("runs", 10, "runs in the table of last runs")
	pos, err := parseFlags(fs, args)
	if code, done := flagResult(e, fs, "trend report", err); done {
		return code
	}
	if *history == "" || len(pos) > 0 {
		return fail(e, "trend report", usageError("--history is required and no INPUT is taken"))
	}
	render := trend.RenderMarkdown
	switch *format {
	case "markdown", "md":
	case "html":
		render = trend.RenderHTML
	default:
		return fail(e, "trend report", usageError(fmt.Sprintf("--format %q: want markdown or html", *format)))
	}
	h, code := readHistoryFile(e, "trend report", *history)
	if code >= 0 {
		return code
	}
	w, done, err := openOutput(e, *output)
	if err != nil {
		return fail(e, "trend report", err)
	}
	err = render(w, h, trend.ReportOptions{Cluster: *cluster, Rows: *runs})
	if cerr := done(); err == nil && cerr != nil {
		err = fmt.Errorf("write %s: %w", *output, cerr)
	}
	if err != nil {
		return fail(e, "trend report", fmt.Errorf("%s: %w", *history, err))
	}
	return exitPass
}

func trendConvert(e *env, args []string) int {
	fs := newFlagSet(e, "trend convert", "trend convert --history F [--output F] [--cluster C]")
	history := fs.String("history", "", "the history to convert: the seed's JSON array, or JSON Lines (required)")
	output := fs.String("output", "", "the JSON Lines history to write (default: standard output)")
	cluster := fs.String("cluster", "", "name runs that have no cluster (the seed's never do)")
	pos, err := parseFlags(fs, args)
	if code, done := flagResult(e, fs, "trend convert", err); done {
		return code
	}
	if *history == "" && len(pos) == 1 {
		*history = pos[0]
	} else if *history == "" || len(pos) > 0 {
		return fail(e, "trend convert", usageError("--history is required"))
	}
	h, code := readHistoryFile(e, "trend convert", *history)
	if code >= 0 {
		return code
	}
	for i := range h.Records {
		if h.Records[i].Cluster == "" {
			h.Records[i].Cluster = *cluster
		}
	}
	if *output == "" || *output == "-" {
		if err := trend.WriteJSONLines(e.stdout, h.Records); err != nil {
			return fail(e, "trend convert", err)
		}
		return exitPass
	}
	if err := writeFileAtomic(*output, func(f *os.File) error { return trend.WriteJSONLines(f, h.Records) }); err != nil {
		return fail(e, "trend convert", err)
	}
	fmt.Fprintf(e.stderr, "bench-action trend convert: wrote %s: %s\n", *output, plural(len(h.Records), "run"))
	return exitPass
}

func trendCompact(e *env, args []string) int {
	fs := newFlagSet(e, "trend compact", "trend compact --history F (--keep 400d | --keep-runs N)")
	history := fs.String("history", "", "the history file to compact in place (required)")
	keep := fs.String("keep", "", "keep runs newer than this age: 400d, 8w, 36h")
	keepRuns := fs.Int("keep-runs", 0, "keep the last N runs of each cluster")
	pos, err := parseFlags(fs, args)
	if code, done := flagResult(e, fs, "trend compact", err); done {
		return code
	}
	if *history == "" || len(pos) > 0 {
		return fail(e, "trend compact", usageError("--history is required and no INPUT is taken"))
	}
	var policy trend.KeepPolicy
	if *keep != "" {
		if policy.MaxAge, err = trend.ParseAge(*keep); err != nil {
			return fail(e, "trend compact", usageError("--keep: "+err.Error()))
		}
	}
	if *keepRuns < 0 {
		return fail(e, "trend compact", usageError("--keep-runs must not be negative"))
	}
	policy.MaxRuns = *keepRuns
	if policy == (trend.KeepPolicy{}) {
		return fail(e, "trend compact", usageError("give --keep or --keep-runs"))
	}
	res, err := trend.Compact(*history, policy, e.now())
	if err != nil {
		return fail(e, "trend compact", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "bench-action trend compact: warning: %s\n", w)
	}
	fmt.Fprintf(e.stderr, "bench-action trend compact: %s: kept %s, dropped %d\n", *history, plural(res.Kept, "run"), res.Dropped)
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
