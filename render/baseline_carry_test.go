package render_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// loadFixture parses a real kube-bench output as node n1 of cluster prod.
func loadFixture(t *testing.T, name string) *benchresult.Report {
	t.Helper()
	path := "../benchresult/testdata/kube-bench/" + name
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nr, err := benchresult.Parse(f, path, benchresult.Options{Node: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	return benchresult.Merge("prod", nr)
}

// TestCarryShown: a cis-1.8 baseline gated with cis-1.10 results (real
// outputs of one fake node) and with results of a benchmark the catalog
// does not know. Every output says how entries were carried, names what
// vanished (a WARN entry too) and the FAILs of controls new in cis-1.10.
func TestCarryShown(t *testing.T) {
	t.Parallel()
	base := baseline.FromChecks(loadFixture(t, "v0.14.1-cis-1.8-insecure.json").Checks)
	unknown := loadFixture(t, "v0.14.1-cis-1.10-insecure.json")
	for i := range unknown.Checks {
		c := *unknown.Checks[i].Control
		c.Benchmark = "acme-2"
		unknown.Checks[i].Control = &c
	}
	for _, tt := range []struct {
		name   string
		report *benchresult.Report
		want   map[string][]string // format → substrings
	}{
		{
			name:   "by identity",
			report: loadFixture(t, "v0.14.1-cis-1.10-insecure.json"),
			want: map[string][]string{
				"text": {
					"129 baseline entries carried to the current benchmark version",
					"129 by identity, 0 by description",
					"1 baseline entry WARN no longer in cis-1.10 (not FAIL in the baseline): 1.2.12",
					"1 FAIL result of controls the baseline's benchmark version did not have (not counted as new): cis-1.10 4.3.1",
				},
				"markdown": {"129 by identity, 0 by description", "no longer in cis-1.10", "cis-1.10 4.3.1"},
				"json":     {`"identity": 129`, `"vanished": true`, `"baseline_status": "WARN"`, `"id": "4.3.1"`},
			},
		},
		{
			name:   "by description",
			report: unknown,
			want: map[string][]string{
				"text":     {"carried by description (benchmark acme-2 unknown to the catalog)", "0 by identity"},
				"markdown": {"carried by description (benchmark acme-2 unknown to the catalog)"},
				"json":     {`"description_fallback": [`, `"benchmark acme-2 unknown to the catalog"`},
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := verdict.Evaluate(tt.report, verdict.Config{Baseline: base})
			for format, subs := range tt.want {
				var buf bytes.Buffer
				var err error
				switch format {
				case "text":
					err = render.WriteText(&buf, v)
				case "markdown":
					err = render.WriteMarkdown(&buf, v, render.MarkdownOptions{})
				case "json":
					err = render.WriteJSON(&buf, v)
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range subs {
					if !strings.Contains(buf.String(), s) {
						t.Errorf("%s output lacks %q", format, s)
					}
				}
			}
		})
	}
}
