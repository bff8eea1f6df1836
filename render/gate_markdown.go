package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/verdict"
)

// MarkdownOptions shape the Markdown of a verdict: the PR comment, the job
// summary and `gate --format markdown` share it. The zero value gives the
// full detail.
type MarkdownOptions struct {
	RunURL string // link to the workflow run, when known
	// Detail is the level of detail, from DetailFull down; see [Detail].
	Detail Detail
	// ExceptionChanges are the exceptions this pull request adds or
	// changes (compared with the base branch's file).
	ExceptionChanges []verdict.ExceptionChange
	// Trend is a Markdown block (a Mermaid chart) appended at the end.
	Trend string
	// Comment is set for the pull-request comment: exceptions that accept
	// nothing ("unused … remove it") are listed only when the pull request
	// changes the exceptions file (ExceptionChanges is not empty), since
	// the author is then editing that file; the job summary, the gate's
	// output and the tracking issues of scheduled runs list them always.
	Comment bool
	// Links link exceptions to their line in the repository.
	Links Links
	// WhereSet, when set, says in one line of Markdown where a new FAIL's
	// control is set in the configuration files (file:line and the
	// setting, as `gate --configs` traces it, issue 16); "" when not
	// traced. The comment adds it to the FAIL's fix as "Where it is set:".
	// The caller escapes what it writes. Nil means the group's own
	// location ([verdict.FindingGroup.Where], set by [verdict.Verdict.Locate])
	// in the form of [WhereSetMarkdown].
	WhereSet func(verdict.FindingGroup) string
}

// Detail is how much the Markdown shows. Bodies that must fit a limit
// (GitHub's 65,536 characters for a comment) are degraded in these stages.
type Detail int

// The stages, from the most detail to the least.
const (
	DetailFull           Detail = iota // everything
	DetailNoPersistingRx               // remediation only for new FAILs
	DetailNodeLimit                    // at most 5 nodes per control
	DetailNoRemediation                // no remediation
	DetailNoPersisting                 // persisting, accepted and fixed FAILs as counts only
	DetailTopNew                       // the first 100 new FAIL controls only
	DetailCountsOnly                   // the verdict, counts and new FAIL ids only
)

// degradeNotes say what a stage left out.
var degradeNotes = map[Detail]string{
	DetailNoPersistingRx: "remediation of persisting FAILs",
	DetailNodeLimit:      "remediation of persisting FAILs and node lists beyond 5",
	DetailNoRemediation:  "remediation and node lists beyond 5",
	DetailNoPersisting:   "remediation, node lists beyond 5 and the persisting, accepted and fixed tables",
	DetailTopNew:         "remediation, the persisting, accepted and fixed tables, and new FAIL controls beyond the first 100",
	DetailCountsOnly:     "everything but the counts and the ids of new FAILs",
}

// WriteMarkdown writes the verdict as Markdown. No line of it is a
// workflow command (see [LogText]).
func WriteMarkdown(w io.Writer, v *verdict.Verdict, opts MarkdownOptions) error {
	return writeLogSafe(w, func(w io.Writer) error { return writeMarkdown(w, v, opts) })
}

// topNew is how many new FAIL controls DetailTopNew lists.
const topNew = 100

func controlGroups(gs []verdict.FindingGroup) []verdict.ControlGroup {
	out := make([]verdict.ControlGroup, len(gs))
	for i, g := range gs {
		out[i] = g.ControlGroup
	}
	return out
}

// markdownURL keeps a link target from breaking out of its parentheses.
func markdownURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(u)
}

// MarkdownWithin renders the verdict at the most detail whose body, with
// prefix and suffix, fits limit characters (Unicode code points, as GitHub
// counts them), degrading in the stages of [Detail]. If even the least
// detail does not fit, the body is cut at limit with a notice. It returns
// the body and the stage used.
func MarkdownWithin(v *verdict.Verdict, opts MarkdownOptions, prefix, suffix string, limit int) (string, Detail, error) {
	for d := DetailFull; d <= DetailCountsOnly; d++ {
		opts.Detail = d
		var b bytes.Buffer
		b.WriteString(prefix)
		if err := WriteMarkdown(&b, v, opts); err != nil {
			return "", d, err
		}
		b.WriteString(suffix)
		if utf8.RuneCount(b.Bytes()) <= limit {
			return b.String(), d, nil
		}
	}
	opts.Detail = DetailCountsOnly
	var b bytes.Buffer
	if err := WriteMarkdown(&b, v, opts); err != nil {
		return "", DetailCountsOnly, err
	}
	notice := "\n\n… cut to fit GitHub's size limit; see the job summary.\n"
	room := limit - utf8.RuneCountInString(prefix) - utf8.RuneCountInString(suffix) - utf8.RuneCountInString(notice)
	body := []rune(b.String())
	if room < 0 {
		room = 0
	}
	if len(body) > room {
		body = body[:room]
	}
	return prefix + string(body) + notice + suffix, DetailCountsOnly + 1, nil
}

// writeCarryMarkdown says how the baseline was carried across benchmark
// versions, what vanished and what could not be carried.
func writeCarryMarkdown(w io.Writer, d *baseline.Delta) {
	s := summarizeCarry(d)
	if s.empty() {
		return
	}
	fmt.Fprint(w, "\n<details><summary>Baseline carried across benchmark versions</summary>\n\n")
	for _, l := range s.lines() {
		fmt.Fprintf(w, "- %s\n", MarkdownText(l))
	}
	for _, u := range s.failed {
		fmt.Fprintf(w, "- not carried: %s (FAIL): %s\n", MarkdownText(keyText(u.Key)), MarkdownText(u.Reason))
	}
	fmt.Fprintln(w, "\n</details>")
}
