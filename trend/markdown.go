package trend

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Chart colours: FAIL, WARN, PASS, and coverage (nodes reported, nodes
// expected).
const (
	colorFail     = "#d1242f"
	colorWarn     = "#bf8700"
	colorPass     = "#1a7f37"
	colorReported = "#8c959f"
	colorExpected = "#1f2328"
)

// RenderMarkdown writes a GitHub-flavoured Markdown trend report: per
// cluster the latest run and how many of the fleet's nodes it heard from,
// what changed since the previous run and since a week before it, Mermaid
// xychart-beta charts (FAIL on its own scale, WARN and PASS, and the nodes
// reported of those expected when a run missed some), a table of the last
// runs, the checks failing now with the time they have been failing, and
// the checks fixed with their time to fix. A cluster whose last run is far
// behind the others' is flagged stale. Text from the results is escaped:
// it cannot add markup, mentions or links.
func RenderMarkdown(w io.Writer, h History, opts ReportOptions) error {
	trends, err := analyse(h, opts)
	if err != nil {
		return fmt.Errorf("render markdown: %w", err)
	}
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# %s\n\n", mdText(opts.title()))
	if len(trends) == 0 {
		p("No runs recorded yet.\n")
		return bw.Flush()
	}
	if len(trends) > 1 {
		var stale []string
		for _, ct := range trends {
			if ct.Stale {
				stale = append(stale, fmt.Sprintf("%s (%s behind)", mdText(clusterName(ct.Cluster)), formatDuration(ct.Lag)))
			}
		}
		if len(stale) > 0 {
			p("> [!WARNING]\n> Stale: %s. Its last run is much older than the newest run of the history: its figures are not today's.\n\n", strings.Join(stale, ", "))
		}
	}
	for _, ct := range trends {
		l := ct.Latest
		p("## Cluster %s\n\n", mdText(clusterName(ct.Cluster)))
		if ct.Stale {
			p("**Stale**: the last run is %s older than the newest run of the history; this cluster has not reported since %s UTC.\n\n", formatDuration(ct.Lag), formatTime(l.Time))
		}
		p("Latest run %s UTC%s: **%d FAIL**, %d WARN, %d PASS, %d INFO", formatTime(l.Time), mdBenchmarks(l.Benchmarks), l.Totals.Fail, l.Totals.Warn, l.Totals.Pass, l.Totals.Info)
		if g := l.Gate; g != nil {
			p("; gate: %d open, %d new, %d fixed, %d accepted", g.Open, g.New, g.Fixed, g.Accepted)
		}
		p(". Counts are results (one control on one node). %s recorded since %s UTC.", plural(len(ct.Runs), "run"), formatTime(ct.Runs[0].Time))
		if c := ct.Coverage[len(ct.Coverage)-1]; c.Partial() {
			p(" **%d of %d nodes reported**; not reported: %s (their checks keep their last known state).", c.Reported, c.Expected, mdText(nodeList(c.Missing)))
		}
		p("\n\n")

		p("### What changed\n\n")
		p("| since | run | FAIL | WARN | PASS | newly failing | fixed |\n|---|---|--:|--:|--:|---|---|\n")
		mdChange(p, "previous run", ct.SincePrev)
		mdChange(p, "a week before", ct.SinceWeek)
		p("\n")

		p("### Checks by status over time\n\n")
		writeMermaid(bw, ct, opts.chartRuns())
		p("\n")

		rows := ct.Runs
		if len(rows) > opts.rows() {
			rows = rows[len(rows)-opts.rows():]
		}
		covs := ct.Coverage[len(ct.Coverage)-len(rows):]
		// The benchmarks get a column only when they change between the
		// rows: the table has to fit a 900 px comment.
		same := true
		for _, r := range rows {
			same = same && slices.Equal(r.Benchmarks, rows[0].Benchmarks)
		}
		if same {
			p("### %s%s\n\n", lastRuns(len(rows)), mdBenchmarks(rows[0].Benchmarks))
			p("| run (UTC) | nodes | FAIL | WARN | PASS | INFO | open | new | fixed | accepted |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		} else {
			p("### %s\n\n", lastRuns(len(rows)))
			p("| run (UTC) | benchmarks | nodes | FAIL | WARN | PASS | INFO | open | new | fixed | accepted |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		}
		for i := len(rows) - 1; i >= 0; i-- {
			r := rows[i]
			gate := "| – | – | – | –"
			if g := r.Gate; g != nil {
				gate = fmt.Sprintf("| %d | %d | %d | %d", g.Open, g.New, g.Fixed, g.Accepted)
			}
			bench := ""
			if !same {
				bench = " " + unbroken(mdText(strings.Join(r.Benchmarks, ", "))) + " |"
			}
			p("| %s |%s %s | %d | %d | %d | %d %s |\n", formatTime(r.Time), bench, mdCoverage(covs[i]), r.Totals.Fail, r.Totals.Warn, r.Totals.Pass, r.Totals.Info, gate)
		}
		p("\n")

		p("### Failing now: %s\n\n", plural(len(ct.Failing), "control"))
		if len(ct.Failing) > 0 {
			p("| check | description | nodes | failing since (UTC) | for |\n|---|---|---|---|---|\n")
			for _, f := range ct.Failing {
				p("| %s | %s | %s | %s | %s |\n", mdText(f.checkLabel()), unbrokenFlags(mdText(f.Text)), f.nodes(mdNodes, mdText), f.since(mdText), formatDuration(f.For))
			}
			p("\n")
		}
		if len(ct.Fixed) > 0 {
			p("### Fixed, most recent first: %s\n\n", plural(len(ct.Fixed), "control"))
			p("| check | description | failing from (UTC) | fixed by run (UTC) | time to fix |\n|---|---|---|---|---|\n")
			for _, f := range ct.Fixed {
				p("| %s | %s | %s | %s | %s |\n", mdText(f.ID), unbrokenFlags(mdText(f.Text)), formatTime(f.From), formatTime(f.FixedAt), f.timeToFix(mdNodes, mdText))
			}
			p("\n")
		}
	}
	return bw.Flush()
}

// mdCoverage is a run's nodes cell: "5 of 5", "**3 of 5**" when it missed
// some, "–" when the record does not say.
func mdCoverage(c coverage) string {
	switch {
	case !c.Known:
		return "–"
	case c.Partial():
		return fmt.Sprintf("**%d of %d**", c.Reported, c.Expected)
	}
	return fmt.Sprintf("%d of %d", c.Reported, c.Expected)
}

func mdChange(p func(string, ...any), label string, c *change) {
	if c == nil {
		p("| %s | – | – | – | – | – | – |\n", label)
		return
	}
	run := formatTime(c.From.Time)
	if fc := c.FromCoverage; fc.Partial() {
		run += fmt.Sprintf(" (**%d of %d** nodes)", fc.Reported, fc.Expected)
	}
	p("| %s | %s | %s | %s | %s | %s | %s%s%s |\n", label, run, signed(c.Fail), signed(c.Warn), signed(c.Pass), mdIDs(c.NewlyFailing), mdIDs(c.Fixed), goneNote(c.Gone, mdIDs), unreportedNote(c.NotReported, mdIDs))
}

func mdIDs(ids []string) string {
	if len(ids) == 0 {
		return "–"
	}
	const max = 15
	more := ""
	if len(ids) > max {
		more = fmt.Sprintf(" and %d more", len(ids)-max)
		ids = ids[:max]
	}
	return mdText(strings.Join(ids, ", ")) + more
}

// goneNote adds to the fixed cell the controls that left the benchmark.
func goneNote(gone []string, ids func([]string) string) string {
	if len(gone) == 0 {
		return ""
	}
	return "; no longer in the benchmark: " + ids(gone)
}

// unreportedNote adds to the fixed cell the controls that are neither
// fixed nor new: their node did not report in one of the two runs.
func unreportedNote(ids []string, list func([]string) string) string {
	if len(ids) == 0 {
		return ""
	}
	return "; not reported (a node missed a run), not fixed: " + list(ids)
}

func mdBenchmarks(b []string) string {
	if len(b) == 0 {
		return ""
	}
	return " (" + mdText(strings.Join(b, ", ")) + ")"
}

// nodesShown is how many nodes a table cell names before the rest are
// folded away ("and 54 more"); a cell of up to nodesShown+1 nodes names
// them all (never "and 1 more").
const nodesShown = 3

// foldNodes splits a cell's list of nodes into the ones it shows and the
// rest, folded away.
func foldNodes(nodes []string) (shown, rest []string) {
	if len(nodes) <= nodesShown+1 {
		return nodes, nil
	}
	return nodes[:nodesShown], nodes[nodesShown:]
}

// more is the summary of a folded list: "cp-1, cp-2, cp-3, and 54 more",
// the count kept on one line.
func more(shown string, rest int) string {
	return fmt.Sprintf("%s, and\u00a0%d\u00a0more", shown, rest)
}

// mdNodes is a list of nodes for a Markdown table cell: the first
// nodesShown and, folded in a <details> (which GitHub renders in a table
// cell), the rest, so that a control failing on 57 of 62 nodes takes a
// line, not a screen.
func mdNodes(nodes []string) string {
	shown, rest := foldNodes(nodes)
	s := mdText(nodeList(shown))
	if len(rest) == 0 {
		return s
	}
	return "<details><summary>" + more(s, len(rest)) + "</summary>" + mdText(nodeList(rest)) + "</details>"
}

// nodeList is nodes for people: "(cluster)" for cluster-wide checks, each
// name unbroken.
func nodeList(nodes []string) string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		if n == "" {
			n = "(cluster)"
		}
		out[i] = strings.ReplaceAll(n, "-", nbHyphen) // worker-1 stays whole (see unbroken)
	}
	return strings.Join(out, ", ")
}

// writeMermaid writes the charts of the last n runs: FAIL on its own
// scale (it is a few results where PASS and WARN are hundreds), WARN and
// PASS, and, when one of the runs missed a node, the nodes reported of
// those expected; such a run's label is starred ("11-03*"), and the
// legend says how many reported. Labels in a Mermaid block are not Markdown: only safe
// characters are kept.
func writeMermaid(w io.Writer, ct clusterTrend, n int) {
	runs, covs := ct.Runs, ct.Coverage
	if len(runs) > n {
		runs, covs = runs[len(runs)-n:], covs[len(covs)-n:]
	}
	labels := runLabels(runs)
	q := make([]string, len(labels))
	var missed []string
	for i, l := range labels {
		// a run that missed nodes is starred under its point, and named
		// below the charts: its dip is nodes not reporting, not fixes
		if c := covs[i]; c.Partial() {
			missed = append(missed, fmt.Sprintf("%s: %d of %d", l, c.Reported, c.Expected))
			l += "*"
		}
		q[i] = `"` + l + `"`
	}
	xAxis := strings.Join(q, ", ")
	name := mermaidText(clusterName(ct.Cluster))
	series := func(get func(i int) int) (string, int) {
		var vals []string
		top := 0
		for i := range runs {
			v := get(i)
			vals = append(vals, fmt.Sprint(v))
			top = max(top, v)
		}
		return strings.Join(vals, ", "), top
	}
	chart := func(title, yLabel string, top int, colors []string, plots ...string) {
		fmt.Fprintf(w, "```mermaid\n")
		fmt.Fprintf(w, "%%%%{init: {\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": \"%s\"}}}}%%%%\n", strings.Join(colors, ", "))
		fmt.Fprintf(w, "xychart-beta\n")
		fmt.Fprintf(w, "    title \"%s: %s\"\n", name, title)
		fmt.Fprintf(w, "    x-axis [%s]\n", xAxis)
		// Mermaid picks its own ticks: an axis of at least 10 keeps them whole numbers.
		fmt.Fprintf(w, "    y-axis \"%s\" 0 --> %d\n", yLabel, max(10, niceScale(top).Top))
		for _, pl := range plots {
			fmt.Fprintf(w, "    %s\n", pl)
		}
		fmt.Fprintf(w, "```\n\n")
	}
	fails, topFail := series(func(i int) int { return runs[i].Totals.Fail })
	chart("FAIL results", "FAIL", topFail, []string{colorFail}, "line ["+fails+"]")
	warns, topWarn := series(func(i int) int { return runs[i].Totals.Warn })
	passes, topPass := series(func(i int) int { return runs[i].Totals.Pass })
	chart("WARN and PASS results", "results", max(topWarn, topPass), []string{colorWarn, colorPass}, "line ["+warns+"]", "line ["+passes+"]")
	fmt.Fprintf(w, "Lines: red FAIL (its own scale), amber WARN, green PASS.")
	if len(missed) > 0 {
		fmt.Fprintf(w, " \\* marks a run that missed nodes (%s nodes reported): its dip is the nodes that did not report, not fixes.", strings.Join(missed, "; "))
	}
	fmt.Fprintf(w, "\n")
	partial := false
	for _, c := range covs {
		partial = partial || c.Partial()
	}
	if !partial {
		return
	}
	reported, _ := series(func(i int) int { return covs[i].Reported })
	expected, topExp := series(func(i int) int { return covs[i].Expected })
	fmt.Fprintf(w, "\n")
	chart("nodes reported of expected", "nodes", topExp, []string{colorReported, colorExpected}, "bar ["+reported+"]", "line ["+expected+"]")
	fmt.Fprintf(w, "Bars: nodes that reported; line: nodes expected (reported in the last %d runs). A run below the line missed nodes: their checks are not reported, not fixed.\n", CoverageWindow+1)
}

// runLabels labels runs by day, or by day and time when a day has several.
func runLabels(runs []Record) []string {
	perDay := map[string]int{}
	for _, r := range runs {
		perDay[r.Time.UTC().Format("01-02")]++
	}
	out := make([]string, len(runs))
	for i, r := range runs {
		d := r.Time.UTC().Format("01-02")
		if perDay[d] > 1 {
			d = r.Time.UTC().Format("01-02 15:04")
		}
		out[i] = d
	}
	return out
}

// scale is a chart's value axis: from 0 to Top in steps of Step, a round
// number (1, 2 or 5 times a power of ten), so ticks read 0, 50, 100, 150.
type scale struct{ Top, Step int }

// niceScale is the axis of values up to n: four to six round ticks.
func niceScale(n int) scale {
	if n <= 0 {
		return scale{Top: 4, Step: 1}
	}
	step := 1
	for mag := 1; ; mag *= 10 {
		found := false
		for _, m := range []int{1, 2, 5} {
			if s := m * mag; (n+s-1)/s <= 5 {
				step, found = s, true
				break
			}
		}
		if found {
			break
		}
	}
	top := (n + step - 1) / step * step
	if top == n && n > 0 && top/step < 5 {
		top += step // room above the highest point
	}
	return scale{Top: top, Step: step}
}

// mermaidText keeps letters, digits, spaces and a few punctuation marks.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(" ._-/()", r):
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	if b.Len() > 60 {
		return b.String()[:60]
	}
	return b.String()
}

// mdText escapes text for a Markdown table cell: no HTML, no emphasis or
// links, no @mentions or #references, no line breaks, no pipes.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '|':
			b.WriteString("&#124;")
		case '@':
			b.WriteString("&#64;")
		case '#':
			b.WriteString("&#35;")
		case '\\', '`', '*', '_', '[', ']', '~', '!', ':':
			fmt.Fprintf(&b, "&#%d;", r)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plural is n followed by word, with an "s" unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// lastRuns heads the table of the last n runs.
func lastRuns(n int) string {
	if n == 1 {
		return "Last run"
	}
	return fmt.Sprintf("Last %d runs", n)
}
