package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/verdict"
)

// The renderers of `bench-action report`: the results themselves, before
// any exception or baseline.

// reportJSON is the document `report --format json` prints. Its top level
// holds "totals" (pass, fail, warn, info counted exactly as kube-bench
// counts them, plus not_applicable) and "checks".
type reportJSON struct {
	Cluster         string                     `json:"cluster,omitempty"`
	Benchmarks      []string                   `json:"benchmarks"`
	Totals          benchresult.Totals         `json:"totals"`
	Inputs          []benchresult.InputSummary `json:"inputs"`
	Checks          []checkJSON                `json:"checks"`
	Drift           []driftJSON                `json:"drift,omitempty"`
	MixedBenchmarks map[string][]string        `json:"mixed_benchmarks,omitempty"`
}

// checkJSON is one check in JSON output.
type checkJSON struct {
	ID            string             `json:"id"`
	Target        benchresult.Target `json:"target"`
	Status        benchresult.Status `json:"status"`
	Node          string             `json:"node"`
	Benchmark     string             `json:"benchmark"`
	Cluster       string             `json:"cluster,omitempty"`
	Section       string             `json:"section,omitempty"`
	Text          string             `json:"text"`
	Scored        bool               `json:"scored"`
	Type          string             `json:"type,omitempty"`
	Reason        string             `json:"reason,omitempty"`
	NotApplicable string             `json:"not_applicable,omitempty"`
	Remediation   string             `json:"remediation,omitempty"`
	// Where are the places the configuration files set the check's
	// control (`--configs`), with the fix; absent without --configs and
	// for a check not traced to them.
	Where []WhereJSON `json:"where,omitempty"`
}

// driftJSON is one drifting control in JSON output.
type driftJSON struct {
	ID        string              `json:"id"`
	Target    benchresult.Target  `json:"target"`
	Benchmark string              `json:"benchmark"`
	Role      benchresult.Role    `json:"role"`
	Counts    map[string]int      `json:"counts"` // status → number of nodes
	Nodes     map[string][]string `json:"nodes"`  // status → nodes (at most benchresult.MaxDriftNodes)
	Odd       []string            `json:"odd"`
}

func newDriftJSON(drift []benchresult.Drift) []driftJSON {
	var out []driftJSON
	for _, d := range drift {
		nodes, counts := map[string][]string{}, map[string]int{}
		for st, ns := range d.Nodes {
			nodes[st.String()] = ns
		}
		for st, n := range d.Counts {
			counts[st.String()] = n
		}
		out = append(out, driftJSON{ID: d.Control.ID, Target: d.Control.Target, Benchmark: d.Control.Benchmark, Role: d.Role, Counts: counts, Nodes: nodes, Odd: d.Odd})
	}
	return out
}

// newCheckJSON converts a check for JSON output.
func newCheckJSON(c *benchresult.Check) checkJSON {
	return checkJSON{ID: c.ID, Target: c.Target, Status: c.Status, Node: c.Node, Benchmark: c.Benchmark, Cluster: c.Cluster,
		Section: c.Section, Text: c.Text, Scored: c.Scored, Type: c.Type, Reason: c.Reason, NotApplicable: c.NotApplicable, Remediation: c.Remediation}
}

// newReportJSON builds the JSON document of a report.
func newReportJSON(r *benchresult.Report) reportJSON {
	doc := reportJSON{Cluster: r.Cluster, Benchmarks: r.Benchmarks(), Totals: r.Totals(), Inputs: r.Inputs,
		Checks: make([]checkJSON, 0, len(r.Checks)), MixedBenchmarks: benchresult.MixedBenchmarks(r)}
	if doc.Benchmarks == nil {
		doc.Benchmarks = []string{}
	}
	for i := range r.Checks {
		doc.Checks = append(doc.Checks, newCheckJSON(&r.Checks[i]))
	}
	doc.Drift = newDriftJSON(benchresult.FindDrift(r))
	return doc
}

// WriteReportJSON writes the report as one indented JSON document, safe to
// print in a CI log (see [LogSafeJSON]).
func WriteReportJSON(w io.Writer, r *benchresult.Report) error {
	return writeJSON(w, newReportJSON(r))
}

// WriteReportJSONWhere is [WriteReportJSON] with, for each FAIL that l
// locates in the configuration files (`report --configs`), a "where"
// array: file, line, setting and the fix. The other fields are those of
// WriteReportJSON, unchanged. A nil l locates nothing.
func WriteReportJSONWhere(w io.Writer, r *benchresult.Report, l verdict.Locator) error {
	doc := newReportJSON(r)
	if l != nil {
		for i := range r.Checks {
			if r.Checks[i].Status != benchresult.Fail {
				continue
			}
			if loc, ok := l.Locate(&r.Checks[i]); ok {
				doc.Checks[i].Where = []WhereJSON{NewWhereJSON(&loc)}
			}
		}
	}
	return writeJSON(w, doc)
}

// writeJSON writes doc as indented JSON through [LogSafeJSON].
func writeJSON(w io.Writer, doc any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(LogSafeJSON(b.Bytes()))
	return err
}

// targetTotals sums the inputs' per-target totals, in kube-bench's order.
func targetTotals(r *benchresult.Report) ([]benchresult.Target, map[benchresult.Target]benchresult.Totals) {
	sum := map[benchresult.Target]benchresult.Totals{}
	for _, in := range r.Inputs {
		for t, tt := range in.ByTarget {
			sum[t] = sum[t].Plus(tt)
		}
	}
	targets := make([]benchresult.Target, 0, len(sum))
	for t := range sum {
		targets = append(targets, t)
	}
	sort.Slice(targets, func(i, j int) bool {
		ri, rj := benchresult.TargetRank(targets[i]), benchresult.TargetRank(targets[j])
		return ri < rj || (ri == rj && targets[i] < targets[j])
	})
	return targets, sum
}

func nodeNames(r *benchresult.Report) []string {
	out := make([]string, 0, len(r.Inputs))
	for _, in := range r.Inputs {
		out = append(out, in.Node)
	}
	return out
}

func isOpenFail(c *benchresult.Check) bool { return c.EffectiveStatus() == benchresult.Fail }

// WriteReportText writes the report as a person reads it in a terminal or a
// CI log: totals per target as kube-bench prints them, the FAILs grouped by
// control with their nodes and remediation, drift and warnings. No line of
// it is a workflow command (see [LogText]).
func WriteReportText(w io.Writer, r *benchresult.Report) error {
	return writeLogSafe(w, func(w io.Writer) error { return writeReportText(w, r) })
}

func writeReportText(w io.Writer, r *benchresult.Report) error {
	ew := &errWriter{w: w}
	cluster := r.Cluster
	if cluster == "" {
		cluster = "(unnamed)"
	}
	fmt.Fprintf(ew, "cluster %s: %s: %s\n", cluster, plural(len(r.Inputs), "node"), strings.Join(nodeNames(r), ", "))
	fmt.Fprintf(ew, "benchmark: %s\n\n", strings.Join(r.Benchmarks(), ", "))
	fmt.Fprintln(ew, "results per target (a result is one control on one node), as kube-bench counts them:")

	targets, sum := targetTotals(r)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tPASS\tFAIL\tWARN\tINFO\tN/A\t")
	for _, t := range targets {
		tt := sum[t]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", t, tt.Pass, tt.Fail, tt.Warn, tt.Info, tt.NotApplicable)
	}
	tot := r.Totals()
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%d\t\n", tot.Pass, tot.Fail, tot.Warn, tot.Info, tot.NotApplicable)
	tw.Flush()
	writeCoverageText(ew, r)

	fails, unchecked := splitUncheckedControls(verdict.GroupByControl(verdict.Select(r, isOpenFail)))
	if len(fails) > 0 {
		fmt.Fprintf(ew, "\n== FAIL: %s ==\n", controlsAndResults(fails))
		for _, g := range fails {
			writeGroupText(ew, g, "FAIL", "")
		}
	}
	if len(unchecked) > 0 {
		fmt.Fprintf(ew, "\n== FAIL, could not check (the audit did not run): %s ==\n", controlsAndResults(unchecked))
		for _, g := range unchecked {
			writeGroupText(ew, g, "FAIL", "")
		}
	}
	if na := verdict.GroupByControl(verdict.Select(r, func(c *benchresult.Check) bool { return c.NotApplicable != "" && c.Status == benchresult.Fail })); len(na) > 0 {
		fmt.Fprintf(ew, "\n== FAIL, not applicable: %s ==\n", controlsAndResults(na))
		for _, g := range na {
			fmt.Fprintf(ew, "[N/A ] %s %s\n       %s\n", g.Control.ID, OneLine(g.Control.Text), g.Checks[0].NotApplicable)
		}
	}
	writeDriftText(ew, benchresult.FindDrift(r), benchresult.MixedBenchmarks(r))
	return ew.err
}

// writeGroupText writes one control of a list: its nodes, kube-bench's
// reason when the audit could not run, the remediation. The group's checks
// are all checked or all unchecked (see [splitUnchecked]).
// writeGroupText writes a failing control: its nodes, why it could not be
// checked, the catalog's concrete fix, where the configuration sets it
// (where, a [WhereSet] line, when traced), then kube-bench's remediation.
func writeGroupText(w io.Writer, g verdict.ControlGroup, label, where string) {
	tag := label
	if couldNotCheck(g) {
		tag = label + ", could not check"
	}
	fmt.Fprintf(w, "[%s] %s %s\n", tag, g.Control.ID, OneLine(g.Control.Text))
	fmt.Fprintf(w, "       nodes: %s\n", g.NodeList(20))
	if couldNotCheck(g) {
		fmt.Fprintf(w, "       reason: %s\n", cleanReason(g.Checks[0].Reason))
	} else if fix := Fix(g.Control); fix != "" {
		fmt.Fprintf(w, "       fix: %s\n", fix)
	}
	if where != "" {
		fmt.Fprintf(w, "       %s\n", where)
	}
	if rem := strings.TrimSpace(g.Control.Remediation); rem != "" {
		fmt.Fprintf(w, "       remediation: %s\n", indent(rem, "         "))
	}
}

func writeDriftText(w io.Writer, drift []benchresult.Drift, mixed map[string][]string) {
	if len(drift) > 0 {
		fmt.Fprintf(w, "\n== Drift: %s between nodes of the same role ==\n", driftCount(len(drift)))
		for _, d := range drift {
			fmt.Fprintf(w, "%s %s (%s): %s\n", d.Control.ID, OneLine(d.Control.Text), d.Role, driftSummary(d))
		}
	}
	if mixed != nil {
		fmt.Fprintf(w, "\nwarning: results of different benchmarks are not comparable check by check: %s\n", mixedSummary(mixed))
	}
}

func driftSummary(d benchresult.Drift) string {
	statuses := make([]benchresult.Status, 0, len(d.Counts))
	for st := range d.Counts {
		statuses = append(statuses, st)
	}
	sort.Slice(statuses, func(i, j int) bool { return statuses[i].Severity() > statuses[j].Severity() })
	parts := make([]string, 0, len(statuses))
	for _, st := range statuses {
		n, names := d.Counts[st], d.Nodes[st]
		switch {
		case st != d.OddStatus && n > 5:
			parts = append(parts, fmt.Sprintf("%s on %d other nodes", st, n))
		case n > 5:
			parts = append(parts, fmt.Sprintf("%s on %s and %d more", st, strings.Join(names[:5], ", "), n-5))
		default:
			parts = append(parts, fmt.Sprintf("%s on %s", st, strings.Join(names, ", ")))
		}
	}
	return strings.Join(parts, "; ")
}

func mixedSummary(mixed map[string][]string) string {
	benches := make([]string, 0, len(mixed))
	for b := range mixed {
		benches = append(benches, b)
	}
	sort.Strings(benches)
	parts := make([]string, 0, len(benches))
	for _, b := range benches {
		parts = append(parts, fmt.Sprintf("%s on %s", b, strings.Join(mixed[b], ", ")))
	}
	return strings.Join(parts, "; ")
}

// OneLine folds s into one line of printable text: kube-bench's
// multi-line texts in a table cell, an annotation or a JUnit message.
func OneLine(s string) string { return strings.Join(strings.Fields(printable(s)), " ") }

// indent puts prefix before every line of s but the first; every line
// break of s counts (see [LogText]).
func indent(s, prefix string) string {
	return strings.ReplaceAll(strings.TrimRight(logLines(s), "\n"), "\n", "\n"+prefix)
}

// printable drops control characters but white space ones (tab, line
// breaks), which oneLine turns into spaces.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// errWriter remembers the first write error so renderers can write freely
// and report it once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
