package trend

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var htmlTemplate string

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"plural": plural, "lastRuns": lastRuns}).Parse(htmlTemplate))

// RenderHTML writes the trend report as one self-contained HTML page: the
// same content as RenderMarkdown, with inline SVG charts, no scripts and no
// external fonts, styles or images. Every text is HTML-escaped.
func RenderHTML(w io.Writer, h History, opts ReportOptions) error {
	trends, err := analyse(h, opts)
	if err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	page := htmlPage{Title: opts.title()}
	for _, ct := range trends {
		page.Clusters = append(page.Clusters, newHTMLCluster(ct, opts))
	}
	bw := bufio.NewWriter(w)
	if err := reportTemplate.Execute(bw, page); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	return bw.Flush()
}

type htmlPage struct {
	Title    string
	Clusters []htmlCluster
}

type htmlCluster struct {
	Name       string
	Latest     Record
	Benchmarks string
	First      string
	RunCount   int
	Changes    []htmlChange
	Chart      svgChart
	Rows       []htmlRow
	Failing    []htmlFailing
	Fixed      []htmlFixed
}

type htmlChange struct {
	Label, From, Fail, Warn, Pass, Newly, Fixed string
	None                                        bool
}

type htmlRow struct {
	Time, Benchmarks       string
	Fail, Warn, Pass, Info int
	Gate                   *GateCounts
}

type htmlFailing struct{ ID, Text, Nodes, Since, For string }
type htmlFixed struct{ ID, Text, From, FixedAt, TimeToFix string }

func newHTMLCluster(ct clusterTrend, opts ReportOptions) htmlCluster {
	hc := htmlCluster{
		Name: clusterName(ct.Cluster), Latest: ct.Latest, Benchmarks: strings.Join(ct.Latest.Benchmarks, ", "),
		First: formatTime(ct.Runs[0].Time), RunCount: len(ct.Runs),
	}
	for _, c := range []struct {
		label string
		c     *change
	}{{"previous run", ct.SincePrev}, {"a week before", ct.SinceWeek}} {
		if c.c == nil {
			hc.Changes = append(hc.Changes, htmlChange{Label: c.label, None: true})
			continue
		}
		hc.Changes = append(hc.Changes, htmlChange{Label: c.label, From: formatTime(c.c.From.Time),
			Fail: signed(c.c.Fail), Warn: signed(c.c.Warn), Pass: signed(c.c.Pass),
			Newly: idList(c.c.NewlyFailing), Fixed: idList(c.c.Fixed) + goneNote(c.c.Gone, idList)})
	}
	runs := ct.Runs
	if len(runs) > opts.chartRuns() {
		runs = runs[len(runs)-opts.chartRuns():]
	}
	hc.Chart = newSVGChart(runs)
	rows := ct.Runs
	if len(rows) > opts.rows() {
		rows = rows[len(rows)-opts.rows():]
	}
	for i := len(rows) - 1; i >= 0; i-- {
		r := rows[i]
		hc.Rows = append(hc.Rows, htmlRow{Time: formatTime(r.Time), Benchmarks: strings.Join(r.Benchmarks, ", "),
			Fail: r.Totals.Fail, Warn: r.Totals.Warn, Pass: r.Totals.Pass, Info: r.Totals.Info, Gate: r.Gate})
	}
	for _, f := range ct.Failing {
		hc.Failing = append(hc.Failing, htmlFailing{ID: f.checkLabel(), Text: f.Text, Nodes: nodeList(f.Nodes), Since: f.since(func(s string) string { return s }), For: formatDuration(f.For)})
	}
	for _, f := range ct.Fixed {
		hc.Fixed = append(hc.Fixed, htmlFixed{ID: f.ID, Text: f.Text, From: formatTime(f.From), FixedAt: formatTime(f.FixedAt), TimeToFix: f.timeToFix()})
	}
	return hc
}

func idList(ids []string) string {
	if len(ids) == 0 {
		return "–"
	}
	return strings.Join(ids, ", ")
}

// svgChart is a line chart laid out in Go; the template only prints numbers
// and escaped labels.
type svgChart struct {
	Width, Height            int
	Left, Right, Top, Bottom int
	YTicks                   []svgTick
	XTicks                   []svgTick
	Series                   []svgSeries
}

type svgTick struct {
	Pos   float64
	Label string
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

func newSVGChart(runs []Record) svgChart {
	c := svgChart{Width: 760, Height: 260, Left: 48, Right: 712, Top: 16, Bottom: 220}
	top := 0
	for _, r := range runs {
		top = max(top, r.Totals.Fail, r.Totals.Warn, r.Totals.Pass)
	}
	ymax := niceTop(top)
	y := func(v int) float64 {
		return float64(c.Bottom) - float64(v)*float64(c.Bottom-c.Top)/float64(ymax)
	}
	x := func(i int) float64 {
		if len(runs) == 1 {
			return float64(c.Left+c.Right) / 2
		}
		return float64(c.Left) + float64(i)*float64(c.Right-c.Left)/float64(len(runs)-1)
	}
	for k := 0; k <= 4; k++ {
		v := ymax * k / 4
		c.YTicks = append(c.YTicks, svgTick{Pos: y(v), Label: fmt.Sprint(v)})
	}
	labels := runLabels(runs)
	step := max(1, (len(runs)+5)/6)
	for i := 0; i < len(runs); i += step {
		c.XTicks = append(c.XTicks, svgTick{Pos: x(i), Label: labels[i]})
	}
	for _, s := range []struct {
		name, color string
		get         func(Record) int
	}{
		{"FAIL", colorFail, func(r Record) int { return r.Totals.Fail }},
		{"WARN", colorWarn, func(r Record) int { return r.Totals.Warn }},
		{"PASS", colorPass, func(r Record) int { return r.Totals.Pass }},
	} {
		ser := svgSeries{Name: s.name, Color: s.color}
		var pts []string
		for i, r := range runs {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(s.get(r))))
			ser.Dots = append(ser.Dots, svgDot{X: x(i), Y: y(s.get(r)), Title: fmt.Sprintf("%s %s: %d", formatTime(r.Time), s.name, s.get(r))})
		}
		ser.Points = strings.Join(pts, " ")
		c.Series = append(c.Series, ser)
	}
	return c
}
