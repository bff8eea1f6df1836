package trend

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"unicode/utf8"
)

//go:embed report.html.tmpl
var htmlTemplate string

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"plural": plural, "lastRuns": lastRuns, "prose": prose}).Parse(htmlTemplate))

// prose is text from the results for an HTML table cell: escaped, with
// each command-line flag in a span that does not wrap.
func prose(s string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range flagPattern.FindAllStringIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		b.WriteString(`<span class="nw">` + template.HTMLEscapeString(s[m[0]:m[1]]) + `</span>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String()) // every piece is escaped above
}

// RenderHTML writes the trend report as one self-contained HTML page: the
// same content as RenderMarkdown, with inline SVG charts, no scripts and no
// external fonts, styles or images. Every text is HTML-escaped.
func RenderHTML(w io.Writer, h History, opts ReportOptions) error {
	trends, err := analyse(h, opts)
	if err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	page := htmlPage{Title: opts.title()}
	for i, ct := range trends {
		if ct.Stale && len(trends) > 1 {
			page.Stale = append(page.Stale, htmlStale{Name: clusterName(ct.Cluster), Lag: formatDuration(ct.Lag)})
		}
		page.Clusters = append(page.Clusters, newHTMLCluster(ct, i, opts))
	}
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	// The page says nowrap in its style: its hyphens are ASCII, as one
	// searches and copies them (see unbroken).
	if _, err := io.WriteString(w, strings.ReplaceAll(buf.String(), nbHyphen, "-")); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	return nil
}

type htmlPage struct {
	Title    string
	Stale    []htmlStale // when the history has several clusters
	Clusters []htmlCluster
}

type htmlStale struct{ Name, Lag string }

type htmlCluster struct {
	Name       string
	Anchor     string
	Latest     Record
	Benchmarks string
	First      string
	RunCount   int
	Stale      string // "10 days" when the cluster is stale
	Coverage   *coverage
	Missing    string
	Changes    []htmlChange
	Charts     []svgChart
	Rows       []htmlRow
	Failing    []htmlFailing
	Fixed      []htmlFixed
}

type htmlChange struct {
	Label, From, FromNodes, Fail, Warn, Pass, Newly, Fixed, NotReported string
	None                                                                bool
}

type htmlRow struct {
	Time, Benchmarks       string
	Nodes                  string
	Partial                bool
	Fail, Warn, Pass, Info int
	Gate                   *GateCounts
}

type htmlFailing struct {
	ID, Text       string
	Nodes, Missing template.HTML // htmlNodes
	Since, For     string
}

type htmlFixed struct {
	ID, Text, From, FixedAt string
	TimeToFix               template.HTML // escaped by timeToFix
}

// htmlNodes is a list of nodes for a table cell: the first nodesShown and
// the rest folded in a <details>, the whole list in its title (as
// mdNodes); each name in a span that does not wrap, so that a line breaks
// between names, never inside one.
func htmlNodes(nodes []string) template.HTML {
	shown, rest := foldNodes(nodes)
	s := htmlNodeList(shown)
	if len(rest) == 0 {
		return s
	}
	return template.HTML(`<details title="` + template.HTMLEscapeString(nodeList(nodes)) + `"><summary>` + more(string(s), len(rest)) + "</summary>" +
		string(htmlNodeList(rest)) + "</details>") // every piece is escaped
}

// htmlNodeList is nodeList in HTML, each name in a span that does not
// wrap; a name longer than unwrappedName may wrap (the cell says where:
// anywhere), not widen the table past the screen.
func htmlNodeList(nodes []string) template.HTML {
	var b strings.Builder
	for i, n := range nodes {
		if i > 0 {
			b.WriteString(", ")
		}
		name := template.HTMLEscapeString(nodeList([]string{n}))
		if utf8.RuneCountInString(n) > unwrappedName {
			b.WriteString(name)
			continue
		}
		b.WriteString(`<span class="nw">` + name + "</span>")
	}
	return template.HTML(b.String())
}

// unwrappedName is the longest node name kept on one line in HTML: an EC2
// name ("ip-10-0-12-34.eu-west-1.compute.internal") is 40 characters.
const unwrappedName = 48

func newHTMLCluster(ct clusterTrend, i int, opts ReportOptions) htmlCluster {
	hc := htmlCluster{
		Name: clusterName(ct.Cluster), Anchor: fmt.Sprintf("cluster-%d", i+1), Latest: ct.Latest, Benchmarks: strings.Join(ct.Latest.Benchmarks, ", "),
		First: formatTime(ct.Runs[0].Time), RunCount: len(ct.Runs),
	}
	if ct.Stale {
		hc.Stale = formatDuration(ct.Lag)
	}
	if c := ct.Coverage[len(ct.Coverage)-1]; c.Partial() {
		hc.Coverage = &c
		hc.Missing = nodeList(c.Missing)
	}
	for _, c := range []struct {
		label string
		c     *change
	}{{"previous run", ct.SincePrev}, {"a week before", ct.SinceWeek}} {
		if c.c == nil {
			hc.Changes = append(hc.Changes, htmlChange{Label: c.label, None: true})
			continue
		}
		ch := htmlChange{Label: c.label, From: formatTime(c.c.From.Time),
			Fail: signed(c.c.Fail), Warn: signed(c.c.Warn), Pass: signed(c.c.Pass),
			Newly: idList(c.c.NewlyFailing), Fixed: idList(c.c.Fixed) + goneNote(c.c.Gone, idList)}
		if fc := c.c.FromCoverage; fc.Partial() {
			ch.FromNodes = fmt.Sprintf("%d of %d nodes", fc.Reported, fc.Expected)
		}
		if len(c.c.NotReported) > 0 {
			ch.NotReported = idList(c.c.NotReported)
		}
		hc.Changes = append(hc.Changes, ch)
	}
	runs, covs := ct.Runs, ct.Coverage
	if len(runs) > opts.chartRuns() {
		runs, covs = runs[len(runs)-opts.chartRuns():], covs[len(covs)-opts.chartRuns():]
	}
	hc.Charts = newSVGCharts(runs, covs)
	rows := ct.Runs
	if len(rows) > opts.rows() {
		rows = rows[len(rows)-opts.rows():]
	}
	rowCovs := ct.Coverage[len(ct.Coverage)-len(rows):]
	for i := len(rows) - 1; i >= 0; i-- {
		r, c := rows[i], rowCovs[i]
		row := htmlRow{Time: formatTime(r.Time), Benchmarks: strings.Join(r.Benchmarks, ", "), Nodes: "–", Partial: c.Partial(),
			Fail: r.Totals.Fail, Warn: r.Totals.Warn, Pass: r.Totals.Pass, Info: r.Totals.Info, Gate: r.Gate}
		if c.Known {
			row.Nodes = fmt.Sprintf("%d of %d", c.Reported, c.Expected)
		}
		hc.Rows = append(hc.Rows, row)
	}
	for _, f := range ct.Failing {
		nodes := htmlNodes(f.Nodes)
		if f.All {
			nodes = template.HTML(fmt.Sprintf(`<span title="%s">all&nbsp;%d&nbsp;nodes</span>`, template.HTMLEscapeString(nodeList(f.Nodes)), len(f.Nodes)))
		}
		hc.Failing = append(hc.Failing, htmlFailing{ID: f.checkLabel(), Text: f.Text, Nodes: nodes, Missing: htmlNodes(f.Missing),
			Since: f.since(func(s string) string { return s }), For: formatDuration(f.For)})
	}
	for _, f := range ct.Fixed {
		hc.Fixed = append(hc.Fixed, htmlFixed{ID: f.ID, Text: f.Text, From: formatTime(f.From), FixedAt: formatTime(f.FixedAt), TimeToFix: template.HTML(f.timeToFix(func(n []string) string { return string(htmlNodes(n)) }, template.HTMLEscapeString))})
	}
	return hc
}

func idList(ids []string) string {
	if len(ids) == 0 {
		return "–"
	}
	return strings.Join(ids, ", ")
}

// svgChart is one small chart laid out in Go; the template only prints
// numbers and escaped labels. Its size is its viewBox: the page scales it
// to the width of its column.
type svgChart struct {
	Title                    string
	Width, Height            int
	Left, Right, Top, Bottom int
	YTicks                   []svgTick
	XTicks                   []svgTick
	Bands                    []svgBand // runs that missed nodes
	Bars                     []svgBar
	Series                   []svgSeries
	Legend                   []svgLegend
}

type svgTick struct {
	Pos   float64
	Label string
}

type svgBand struct {
	X, W  float64
	Title string
}

type svgBar struct {
	X, Y, W, H float64
	Title      string
}

type svgSeries struct {
	Name, Color string
	Points      string
	Dots        []svgDot
}

type svgDot struct {
	X, Y  float64
	Title string
}

type svgLegend struct{ Name, Color string }

// PlotHeight is the height of the chart's plot area.
func (c svgChart) PlotHeight() int { return c.Bottom - c.Top }

// The charts' viewBox: about the width a chart gets in a column, so its
// 12-unit text reads as 10 to 12 px.
const (
	chartWidth  = 520
	chartHeight = 210
)

// newSVGCharts draws one chart per status, each on its own scale (FAIL is
// a few results where PASS is hundreds), and the nodes reported of those
// expected when the coverage is known. Runs that missed nodes are shaded
// in every chart: a dip there is a node that did not report, not a fix.
func newSVGCharts(runs []Record, covs []coverage) []svgChart {
	charts := []svgChart{
		newSVGChart("FAIL results", runs, covs, []svgLine{{"FAIL", colorFail, func(i int) int { return runs[i].Totals.Fail }}}, nil),
		newSVGChart("WARN results", runs, covs, []svgLine{{"WARN", colorWarn, func(i int) int { return runs[i].Totals.Warn }}}, nil),
		newSVGChart("PASS results", runs, covs, []svgLine{{"PASS", colorPass, func(i int) int { return runs[i].Totals.Pass }}}, nil),
	}
	known := false
	for _, c := range covs {
		known = known || c.Known
	}
	if known {
		charts = append(charts, newSVGChart("nodes reported of expected", runs, covs,
			[]svgLine{{"expected", colorExpected, func(i int) int { return covs[i].Expected }}},
			&svgLine{"reported", colorReported, func(i int) int { return covs[i].Reported }}))
	}
	return charts
}

type svgLine struct {
	name, color string
	get         func(i int) int
}

func newSVGChart(title string, runs []Record, covs []coverage, lines []svgLine, bars *svgLine) svgChart {
	c := svgChart{Title: title, Width: chartWidth, Height: chartHeight, Left: 44, Right: chartWidth - 12, Top: 12, Bottom: chartHeight - 28}
	top := 0
	for i := range runs {
		for _, l := range lines {
			top = max(top, l.get(i))
		}
		if bars != nil {
			top = max(top, bars.get(i))
		}
	}
	sc := niceScale(top)
	y := func(v int) float64 {
		return float64(c.Bottom) - float64(v)*float64(c.Bottom-c.Top)/float64(sc.Top)
	}
	slot := float64(c.Right-c.Left) / float64(max(1, len(runs)))
	x := func(i int) float64 { return float64(c.Left) + slot*(float64(i)+0.5) }
	for v := 0; v <= sc.Top; v += sc.Step {
		c.YTicks = append(c.YTicks, svgTick{Pos: y(v), Label: fmt.Sprint(v)})
	}
	labels := runLabels(runs)
	step := max(1, (len(runs)+4)/5)
	for i := len(runs) - 1; i >= 0; i -= step { // the latest run is always labelled
		c.XTicks = append(c.XTicks, svgTick{Pos: x(i), Label: labels[i]})
	}
	for i, cv := range covs {
		if cv.Partial() {
			c.Bands = append(c.Bands, svgBand{X: x(i) - slot/2, W: slot,
				Title: fmt.Sprintf("%s: %d of %d nodes reported; not reported: %s", formatTime(runs[i].Time), cv.Reported, cv.Expected, nodeList(cv.Missing))})
		}
	}
	if bars != nil {
		w := min(slot*0.6, 24)
		for i := range runs {
			v := bars.get(i)
			c.Bars = append(c.Bars, svgBar{X: x(i) - w/2, Y: y(v), W: w, H: y(0) - y(v), Title: fmt.Sprintf("%s: %d nodes %s", formatTime(runs[i].Time), v, bars.name)})
		}
		c.Legend = append(c.Legend, svgLegend{bars.name, bars.color})
	}
	for _, l := range lines {
		ser := svgSeries{Name: l.name, Color: l.color}
		var pts []string
		for i := range runs {
			v := l.get(i)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
			ser.Dots = append(ser.Dots, svgDot{X: x(i), Y: y(v), Title: fmt.Sprintf("%s %s: %d", formatTime(runs[i].Time), l.name, v)})
		}
		ser.Points = strings.Join(pts, " ")
		c.Series = append(c.Series, ser)
		c.Legend = append(c.Legend, svgLegend{l.name, l.color})
	}
	return c
}
