package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/verdict"
)

// WriteReportMarkdown writes the report as Markdown a person pastes into an
// issue: totals per target, the FAILs by control with their nodes,
// remediation in collapsible sections, drift and warnings. All text from
// the results is escaped (see [MarkdownText]), and no line is a workflow
// command (see [LogText]).
func WriteReportMarkdown(w io.Writer, r *benchresult.Report) error {
	return writeLogSafe(w, func(w io.Writer) error { return writeReportMarkdown(w, r) })
}

func writeReportMarkdown(w io.Writer, r *benchresult.Report) error {
	ew := &errWriter{w: w}
	title := "kube-bench results"
	if r.Cluster != "" {
		title += ": cluster " + codeSpan(r.Cluster)
	}
	fmt.Fprintf(ew, "## %s\n\n", title)
	fmt.Fprintf(ew, "%s: %s. Benchmark: %s.\n\n", plural(len(r.Inputs), "node"), MarkdownText(strings.Join(nodeNames(r), ", ")), MarkdownText(strings.Join(r.Benchmarks(), ", ")))
	fmt.Fprintf(ew, "Results per target (a result is one control on one node), as kube-bench counts them:\n\n")
	writeTotalsMarkdown(ew, r)
	writeCoverageMarkdown(ew, r)
	fails := verdict.GroupByControl(verdict.Select(r, isOpenFail))
	if len(fails) > 0 {
		fmt.Fprintf(ew, "\n### FAIL: %s\n\n", controlsAndResults(fails))
		writeGroupTableMarkdown(ew, interleaveUncheckedControls(fails), 10, nil, nil)
		writeRemediationMarkdown(ew, fails, -1)
	}
	writeDriftMarkdown(ew, benchresult.FindDrift(r), benchresult.MixedBenchmarks(r))
	return ew.err
}

func writeTotalsMarkdown(w io.Writer, r *benchresult.Report) {
	targets, sum := targetTotals(r)
	fmt.Fprintln(w, "| target | PASS | FAIL | WARN | INFO | N/A |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, t := range targets {
		tt := sum[t]
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d |\n", MarkdownText(string(t)), tt.Pass, tt.Fail, tt.Warn, tt.Info, tt.NotApplicable)
	}
	tot := r.Totals()
	fmt.Fprintf(w, "| **total** | %d | %d | %d | %d | %d |\n", tot.Pass, tot.Fail, tot.Warn, tot.Info, tot.NotApplicable)
}

// writeGroupTableMarkdown writes one row per group: id, description (with
// kube-bench's reason when the audit could not run), nodes, and, when
// owners is set, the owners of the i-th group. A control that failed on
// some nodes and could not be checked on others comes split in two groups
// (see [interleaveUnchecked]).
func writeGroupTableMarkdown(w io.Writer, groups []verdict.ControlGroup, nodeLimit int, owners, tags func(i int) string) {
	if owners != nil {
		fmt.Fprintln(w, "| id | control | nodes | owner |")
		fmt.Fprintln(w, "|---|---|---|---|")
	} else {
		fmt.Fprintln(w, "| id | control | nodes |")
		fmt.Fprintln(w, "|---|---|---|")
	}
	for i, g := range groups {
		text := MarkdownText(g.Control.Text)
		if tags != nil {
			if t := tags(i); t != "" {
				text = t + " " + text
			}
		}
		if couldNotCheck(g) {
			text += " *(could not check: " + MarkdownText(g.Checks[0].Reason) + ")*"
		}
		fmt.Fprintf(w, "| %s | %s | %s |", MarkdownText(g.Control.ID), text, MarkdownText(g.NodeList(nodeLimit)))
		if owners != nil {
			fmt.Fprintf(w, " %s |", MarkdownText(owners(i)))
		}
		fmt.Fprintln(w)
	}
}

// writeRemediationMarkdown writes each control's remediation in a
// collapsible section; limit < 0 means all of them.
func writeRemediationMarkdown(w io.Writer, groups []verdict.ControlGroup, limit int) {
	n := 0
	for _, g := range groups {
		rem := strings.TrimSpace(g.Control.Remediation)
		if rem == "" {
			continue
		}
		if limit >= 0 && n >= limit {
			fmt.Fprintf(w, "\n_Remediation of %s more is in the job summary._\n", plural(len(groups)-n, "control"))
			return
		}
		n++
		fmt.Fprintf(w, "\n<details><summary>%s remediation</summary>\n\n%s\n</details>\n", MarkdownText(g.Control.ID), CodeBlock(rem))
	}
}

func writeDriftMarkdown(w io.Writer, drift []benchresult.Drift, mixed map[string][]string) {
	if len(drift) > 0 {
		fmt.Fprintf(w, "\n### Drift: %s between nodes of the same role\n\n", driftCount(len(drift)))
		fmt.Fprintln(w, "| id | control | role | status by node |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, d := range drift {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", MarkdownText(d.Control.ID), MarkdownText(d.Control.Text), d.Role, MarkdownText(driftSummary(d)))
		}
	}
	if mixed != nil {
		fmt.Fprintf(w, "\n> [!WARNING]\n> Results of different benchmarks are not comparable check by check: %s\n", MarkdownText(mixedSummary(mixed)))
	}
}
