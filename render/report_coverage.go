package render

import (
	"fmt"
	"io"

	"github.com/bench-action/bench-action/benchresult"
)

// coverageNotes says, one line per input, which inputs' checks are not
// every check their totals count (see [benchresult.Coverage]): the totals
// printed are then the ones the input states.
func coverageNotes(r *benchresult.Report) []string {
	var out []string
	for _, in := range r.Incomplete() {
		who := in.Node
		if in.Source != "" && in.Source != in.Node {
			who += " (" + in.Source + ")"
		}
		switch in.Coverage {
		case benchresult.SummaryOnly:
			out = append(out, fmt.Sprintf("no per-check results: %s holds only kube-bench's summary (--noresults, or the tail of a log); its totals are the ones it states", who))
		case benchresult.Incomplete:
			var listed benchresult.Totals
			if in.Counted != nil {
				listed = *in.Counted
			}
			out = append(out, fmt.Sprintf("checks incomplete: %s states %d PASS, %d FAIL, %d WARN, %d INFO but lists %d PASS, %d FAIL, %d WARN, %d INFO (read with --trust-totals); its totals are the ones it states, its checks only those it lists",
				who, in.Totals.Pass, in.Totals.Fail, in.Totals.Warn, in.Totals.Info, listed.Pass, listed.Fail, listed.Warn, listed.Info))
		}
	}
	return out
}

func writeCoverageText(w io.Writer, r *benchresult.Report) {
	for _, n := range coverageNotes(r) {
		fmt.Fprintf(w, "\n%s\n", n)
	}
}

func writeCoverageMarkdown(w io.Writer, r *benchresult.Report) {
	for _, n := range coverageNotes(r) {
		fmt.Fprintf(w, "\n> **%s**\n", MarkdownText(n))
	}
}
