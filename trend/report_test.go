package trend_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/internal/golden"
	"github.com/bench-action/bench-action/trend"
)

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	h := fleetHistory(t)
	for _, tt := range []struct {
		name   string
		render func(*bytes.Buffer, trend.History, trend.ReportOptions) error
	}{
		{"trend.md", func(b *bytes.Buffer, h trend.History, o trend.ReportOptions) error {
			return trend.RenderMarkdown(b, h, o)
		}},
		{"trend.html", func(b *bytes.Buffer, h trend.History, o trend.ReportOptions) error { return trend.RenderHTML(b, h, o) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := tt.render(&buf, h, trend.ReportOptions{Rows: 5}); err != nil {
				t.Fatal(err)
			}
			goldenFile(t, tt.name, buf.Bytes())
			out := buf.String()
			bad := []string{"<script>", "<b>x", "</details>"}
			if strings.HasSuffix(tt.name, ".md") {
				bad = append(bad, "@octocat", "#1 ", "](https://", "```\n<")
			}
			for _, bad := range bad {
				if strings.Contains(out, bad) {
					t.Errorf("output contains unescaped %q", bad)
				}
			}
		})
	}
}

func TestRenderMarkdownContent(t *testing.T) {
	t.Parallel()
	h := fleetHistory(t)
	var buf bytes.Buffer
	if err := trend.RenderMarkdown(&buf, h, trend.ReportOptions{Cluster: "prod"}); err != nil {
		t.Fatal(err)
	}
	out := plain(buf.String())
	for _, want := range []string{
		"## Cluster prod",
		"Latest run 2026-03-10 06:00 UTC (cis-1.10): **7 FAIL**",
		"| previous run | 2026-03-09 06:00 | 0 | 0 | 0 | – | – |",
		"| a week before | 2026-03-03 06:00 | -39 |",
		"xychart-beta",
		"    line [46, 46, 46, 13, 13, 13, 13, 13, 7, 7]",
		"| 4.2.1 | Ensure that the --anonymous-auth argument is set to false (Automated) | worker-1 |",
		"| ≤ 2026-03-01 06:00 | 9 days |",
		"### Fixed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(out, "staging") {
		t.Errorf("report of prod shows staging")
	}
}

func TestRenderEmptyAndUnknown(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := trend.RenderMarkdown(&buf, trend.History{}, trend.ReportOptions{}); err != nil || !strings.Contains(buf.String(), "No runs recorded yet.") {
		t.Errorf("empty history: %v, %q", err, buf.String())
	}
	buf.Reset()
	if err := trend.RenderHTML(&buf, trend.History{}, trend.ReportOptions{}); err != nil || !strings.Contains(buf.String(), "No runs recorded yet.") {
		t.Errorf("empty history html: %v", err)
	}
	h := fleetHistory(t)
	for _, render := range []func() error{
		func() error { return trend.RenderMarkdown(&buf, h, trend.ReportOptions{Cluster: "nope"}) },
		func() error { return trend.RenderHTML(&buf, h, trend.ReportOptions{Cluster: "nope"}) },
	} {
		err := render()
		if !errors.Is(err, trend.ErrUnknownCluster) || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "prod") {
			t.Errorf("unknown cluster: %v", err)
		}
	}
	// A single run: no change rows, a chart of one point.
	one := trend.History{Records: h.Records[:1]}
	buf.Reset()
	if err := trend.RenderMarkdown(&buf, one, trend.ReportOptions{}); err != nil || !strings.Contains(buf.String(), "| previous run | – |") {
		t.Errorf("one run: %v\n%s", err, buf.String())
	}
}

// goldenFile compares got with testdata/NAME (see internal/golden; -update rewrites it).
func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// Tables keep a run's date and time, and a flag, on one line: a no-break
// space and non-breaking hyphens in Markdown ("2026-03-01 06:00", flags,
// node names), ASCII text in a span that does not wrap in HTML (tools/visual measures
// the rendered pages).
func TestTablesKeepDatesAndFlagsWhole(t *testing.T) {
	t.Parallel()
	h := fleetHistory(t)
	var md, page bytes.Buffer
	if err := trend.RenderMarkdown(&md, h, trend.ReportOptions{Cluster: "prod"}); err != nil {
		t.Fatal(err)
	}
	if err := trend.RenderHTML(&page, h, trend.ReportOptions{Cluster: "prod"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| 2026\u201103\u201110\u00a006:00 |", "≤\u00a02026\u201103\u201101\u00a006:00", "the \u2011\u2011anonymous\u2011auth argument", "| 9\u00a0days |", "| cp\u20111, worker\u20111 |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(md.String(), "| 2026-03-10 06:00 |") {
		t.Errorf("markdown has a breakable date in a table")
	}
	if strings.Contains(page.String(), "\u2011") {
		t.Errorf("html has non-breaking hyphens: it keeps ASCII ones, for search and copy")
	}
	if want := `the <span class="nw">--anonymous-auth</span> argument`; !strings.Contains(page.String(), want) {
		t.Errorf("html lacks %q", want)
	}
}
