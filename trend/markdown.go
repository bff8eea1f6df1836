package trend

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Chart colours, in the order of the chart's lines: FAIL, WARN, PASS.
const (
	colorFail = "#d1242f"
	colorWarn = "#bf8700"
	colorPass = "#1a7f37"
)

// RenderMarkdown writes a GitHub-flavoured Markdown trend report: per
// cluster the latest run, what changed since the previous run and since a
// week before it, a Mermaid xychart-beta chart of FAIL, WARN and PASS over
// time, a table of the last runs, the checks failing now with the time they
// have been failing, and the checks fixed with their time to fix. Text from
// the results is escaped: it cannot add markup, mentions or links.
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
	for _, ct := range trends {
		l := ct.Latest
		p("## Cluster %s\n\n", mdText(clusterName(ct.Cluster)))
		p("Latest run %s UTC%s: **%d FAIL**, %d WARN, %d PASS, %d INFO", formatTime(l.Time), mdBenchmarks(l.Benchmarks), l.Totals.Fail, l.Totals.Warn, l.Totals.Pass, l.Totals.Info)
		if g := l.Gate; g != nil {
			p("; gate: %d open, %d new, %d fixed, %d accepted", g.Open, g.New, g.Fixed, g.Accepted)
		}
		p(". Counts are results (one control on one node). %s recorded since %s UTC.\n\n", plural(len(ct.Runs), "run"), formatTime(ct.Runs[0].Time))

		p("### What changed\n\n")
		p("| since | run | FAIL | WARN | PASS | newly failing | fixed |\n|---|---|--:|--:|--:|---|---|\n")
		mdChange(p, "previous run", ct.SincePrev)
		mdChange(p, "a week before", ct.SinceWeek)
		p("\n")

		p("### Checks by status over time\n\n")
		writeMermaid(bw, ct, opts.chartRuns())
		p("\nLines: red FAIL, amber WARN, green PASS.\n\n")

		rows := ct.Runs
		if len(rows) > opts.rows() {
			rows = rows[len(rows)-opts.rows():]
		}
		p("### %s\n\n", lastRuns(len(rows)))
		p("| run (UTC) | benchmarks | FAIL | WARN | PASS | INFO | open | new | fixed | accepted |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		for i := len(rows) - 1; i >= 0; i-- {
			r := rows[i]
			gate := "| – | – | – | –"
			if g := r.Gate; g != nil {
				gate = fmt.Sprintf("| %d | %d | %d | %d", g.Open, g.New, g.Fixed, g.Accepted)
			}
			p("| %s | %s | %d | %d | %d | %d %s |\n", formatTime(r.Time), mdText(strings.Join(r.Benchmarks, ", ")), r.Totals.Fail, r.Totals.Warn, r.Totals.Pass, r.Totals.Info, gate)
		}
		p("\n")

		p("### Failing now: %s\n\n", plural(len(ct.Failing), "control"))
		if len(ct.Failing) > 0 {
			p("| check | description | nodes | failing since (UTC) | for |\n|---|---|---|---|---|\n")
			for _, f := range ct.Failing {
				p("| %s | %s | %s | %s | %s |\n", mdText(f.checkLabel()), mdText(f.Text), mdText(nodeList(f.Nodes)), f.since(mdText), formatDuration(f.For))
			}
			p("\n")
		}
		if len(ct.Fixed) > 0 {
			p("### Fixed, most recent first: %s\n\n", plural(len(ct.Fixed), "control"))
			p("| check | description | failing from (UTC) | fixed by run (UTC) | time to fix |\n|---|---|---|---|---|\n")
			for _, f := range ct.Fixed {
				p("| %s | %s | %s | %s | %s |\n", mdText(f.ID), mdText(f.Text), formatTime(f.From), formatTime(f.FixedAt), mdText(f.timeToFix()))
			}
			p("\n")
		}
	}
	return bw.Flush()
}

func mdChange(p func(string, ...any), label string, c *change) {
	if c == nil {
		p("| %s | – | – | – | – | – | – |\n", label)
		return
	}
	p("| %s | %s | %s | %s | %s | %s | %s%s |\n", label, formatTime(c.From.Time), signed(c.Fail), signed(c.Warn), signed(c.Pass), mdIDs(c.NewlyFailing), mdIDs(c.Fixed), goneNote(c.Gone, mdIDs))
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

func mdBenchmarks(b []string) string {
	if len(b) == 0 {
		return ""
	}
	return " (" + mdText(strings.Join(b, ", ")) + ")"
}

func nodeList(nodes []string) string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		if n == "" {
			n = "(cluster)"
		}
		out[i] = n
	}
	return strings.Join(out, ", ")
}

// writeMermaid writes the chart of the last n runs. Labels in a Mermaid
// block are not Markdown: only safe characters are kept.
func writeMermaid(w io.Writer, ct clusterTrend, n int) {
	runs := ct.Runs
	if len(runs) > n {
		runs = runs[len(runs)-n:]
	}
	labels := runLabels(runs)
	var fails, warns, passes []string
	top := 0
	for _, r := range runs {
		fails = append(fails, fmt.Sprint(r.Totals.Fail))
		warns = append(warns, fmt.Sprint(r.Totals.Warn))
		passes = append(passes, fmt.Sprint(r.Totals.Pass))
		top = max(top, r.Totals.Fail, r.Totals.Warn, r.Totals.Pass)
	}
	q := make([]string, len(labels))
	for i, l := range labels {
		q[i] = `"` + l + `"`
	}
	fmt.Fprintf(w, "```mermaid\n")
	fmt.Fprintf(w, "%%%%{init: {\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": \"%s, %s, %s\"}}}}%%%%\n", colorFail, colorWarn, colorPass)
	fmt.Fprintf(w, "xychart-beta\n")
	fmt.Fprintf(w, "    title \"%s: checks by status\"\n", mermaidText(clusterName(ct.Cluster)))
	fmt.Fprintf(w, "    x-axis [%s]\n", strings.Join(q, ", "))
	fmt.Fprintf(w, "    y-axis \"checks\" 0 --> %d\n", niceTop(top))
	fmt.Fprintf(w, "    line [%s]\n", strings.Join(fails, ", "))
	fmt.Fprintf(w, "    line [%s]\n", strings.Join(warns, ", "))
	fmt.Fprintf(w, "    line [%s]\n", strings.Join(passes, ", "))
	fmt.Fprintf(w, "```\n")
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

// niceTop rounds a chart's maximum up to a round number.
func niceTop(n int) int {
	if n <= 0 {
		return 10
	}
	step := 10
	for n/step > 10 {
		step *= 5
		if n/step <= 10 {
			break
		}
		step *= 2
	}
	return (n/step + 1) * step
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
