package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/verdict"
)

// This file renders what `gate --configs` traced: where in the
// configuration files a FAIL is set ([verdict.Location]), for
// annotations, the comment and review comments with suggested changes.

// WhereSet says in one plain line where the configuration sets a
// location's setting and what fixes it, e.g. "set in
// kubernetes/manifests/kube-apiserver.yaml line 14: --anonymous-auth=true;
// fix: - --anonymous-auth=false". It is [LogText]-safe only after LogText.
func WhereSet(loc *verdict.Location) string {
	if loc == nil {
		return ""
	}
	s := "set in " + OneLine(loc.File) + " line " + strconv.Itoa(loc.Line)
	switch {
	case loc.Setting != "" && loc.Current != "":
		s += ": " + OneLine(loc.Setting) + " is " + OneLine(loc.Current)
	case loc.Setting != "":
		s += ": " + OneLine(loc.Setting) + " is not set"
	}
	switch {
	case loc.Fix != nil && loc.Fix.New == "":
		s += "; fix: delete " + fixLines(loc.Fix) + " of " + OneLine(loc.FixFile())
	case loc.Fix != nil && loc.Fix.Last() > loc.Fix.Line:
		s += "; fix: " + fixLines(loc.Fix) + " become " + OneLine(strings.ReplaceAll(loc.Fix.New, "\n", " / "))
	case loc.Fix != nil:
		s += "; fix: " + OneLine(strings.ReplaceAll(loc.Fix.New, "\n", " / "))
	}
	if loc.Note != "" {
		s += " (" + OneLine(loc.Note) + ")"
	}
	return s
}

// located puts an annotation of group g on the file and line that sets
// its control, when it was traced, and says so in the message.
func located(a Annotation, g verdict.FindingGroup) Annotation {
	loc := g.Where()
	if loc == nil || loc.File == "" {
		return a
	}
	a.File, a.Line = loc.File, loc.Line
	a.Message += "; " + WhereSet(loc)
	return a
}

// WhereSetMarkdown is [WhereSet] as Markdown: file, line, the setting's
// current value and the fix, in code spans.
func WhereSetMarkdown(loc *verdict.Location) string {
	if loc == nil {
		return ""
	}
	s := "set in " + codeSpan(loc.File) + " line " + strconv.Itoa(loc.Line)
	switch {
	case loc.Setting != "" && loc.Current != "":
		s += ": " + codeSpan(loc.Setting) + " is " + codeSpan(loc.Current)
	case loc.Setting != "":
		s += ": " + codeSpan(loc.Setting) + " is not set"
	}
	if loc.Fix != nil && loc.Fix.New == "" {
		s += "; fix: delete " + fixLines(loc.Fix) + " of " + codeSpan(loc.FixFile())
	} else if loc.Fix != nil {
		var parts []string
		for _, l := range strings.Split(loc.Fix.New, "\n") {
			parts = append(parts, codeSpan(l))
		}
		s += "; fix: "
		if loc.Fix.Last() > loc.Fix.Line {
			s += fixLines(loc.Fix) + " become "
		}
		s += strings.Join(parts, " then ")
	}
	if loc.Note != "" {
		s += " (" + MarkdownText(loc.Note) + ")"
	}
	return s
}

// fixLines names the lines a fix changes: "line 20", "lines 20-21".
func fixLines(f *verdict.LineFix) string {
	if f.Last() > f.Line {
		return "lines " + strconv.Itoa(f.Line) + "-" + strconv.Itoa(f.Last())
	}
	return "line " + strconv.Itoa(f.Line)
}

// ReviewSuggestion is one review comment bench-action wants on a pull
// request: on line Line of file Path (the head commit's side of the diff),
// with a suggested change. A comment on a range of lines (GitHub's
// multi-line comment, whose suggestion replaces the whole range) starts at
// StartLine and ends at Line; StartLine is 0 for a comment on one line.
// Body starts with Marker, by which the comment is found again on the
// next run.
type ReviewSuggestion struct {
	Path      string
	StartLine int
	Line      int
	Marker    string
	Body      string
}

// ReviewMarkerPrefix starts the marker of every review comment and review
// of a cluster.
func ReviewMarkerPrefix(cluster string) string {
	return "<!-- bench-action:review cluster=" + markerValue(cluster) + " "
}

// ReviewSuggestions are the review comments for the verdict's new open
// FAILs whose fix is a change of lines the pull request changed
// (changed(path, line)), one per control and file, in the order of
// [verdict.Verdict.NewGroups]. A fix of a range of lines is suggested only
// when the pull request changed every line of it: GitHub itself accepts a
// multi-line comment whose lines are all in one hunk of the diff (context
// lines too), but a suggestion that rewrites a line the author did not
// touch is not about their change. A new FAIL whose fix is elsewhere gets
// none: its annotation and the comment's "where they are set" carry it.
func ReviewSuggestions(v *verdict.Verdict, changed func(path string, line int) bool) []ReviewSuggestion {
	prefix := ReviewMarkerPrefix(v.Report.Cluster)
	var out []ReviewSuggestion
	for _, g := range v.NewGroups() {
		seen := map[string]bool{}
		for _, f := range g.Findings {
			loc := f.Where
			if loc == nil || loc.Fix == nil {
				continue
			}
			file := loc.FixFile()
			if file == "" || seen[file] || !allChanged(changed, file, loc.Fix) {
				continue
			}
			seen[file] = true
			marker := prefix + "check=" + markerValue(g.Control.Benchmark+"/"+string(g.Control.Target)+"/"+g.Control.ID) +
				" file=" + markerValue(file) + " -->"
			s := ReviewSuggestion{Path: file, Line: loc.Fix.Last(), Marker: marker, Body: reviewBody(marker, g, loc)}
			if loc.Fix.Last() > loc.Fix.Line {
				s.StartLine = loc.Fix.Line
			}
			out = append(out, s)
		}
	}
	return out
}

// allChanged reports whether the pull request changed every line of a
// fix.
func allChanged(changed func(path string, line int) bool, file string, f *verdict.LineFix) bool {
	if f.Line < 1 {
		return false
	}
	for n := f.Line; n <= f.Last(); n++ {
		if !changed(file, n) {
			return false
		}
	}
	return true
}

// ReviewBody is the body of the review that carries a run's new
// suggestions: its marker, and how many it suggests.
func ReviewBody(cluster string, n int) string {
	what := "a change"
	if n != 1 {
		what = strconv.Itoa(n) + " changes"
	}
	where := ""
	if cluster != "" {
		where = " for cluster " + codeSpan(cluster)
	}
	return ReviewMarkerPrefix(cluster) + "review -->\nbench-action suggests " + what + " that fix new CIS FAILs" + where +
		" on lines this pull request changes. The pull-request comment has the whole gate."
}

func reviewBody(marker string, g verdict.FindingGroup, loc *verdict.Location) string {
	var b strings.Builder
	what := "New CIS FAIL"
	if g.Kind() == verdict.KindFailedManual {
		what = "New CIS failed Manual check"
	}
	fmt.Fprintf(&b, "%s\n**%s %s** %s\n\n", marker, what, MarkdownText(g.Control.ID), MarkdownText(OneLine(g.Control.Text)))
	fmt.Fprintf(&b, "kube-bench fails it on %s (owner %s). ", MarkdownText(g.NodeList(5)), MarkdownText(joinOwners(g.Owners())))
	switch {
	case loc.Setting != "" && loc.Current != "" && loc.Fix.Last() > loc.Fix.Line:
		fmt.Fprintf(&b, "These lines set %s to %s.", codeSpan(loc.Setting), codeSpan(loc.Current))
	case loc.Setting != "" && loc.Current != "":
		fmt.Fprintf(&b, "This line sets %s to %s.", codeSpan(loc.Setting), codeSpan(loc.Current))
	case loc.Setting != "":
		fmt.Fprintf(&b, "%s is not set here.", codeSpan(loc.Setting))
	}
	if loc.Note != "" {
		fmt.Fprintf(&b, " Note: %s.", MarkdownText(strings.TrimSuffix(OneLine(loc.Note), ".")))
	}
	b.WriteString("\n\n")
	b.WriteString(suggestionBlock(loc.Fix.New))
	return b.String()
}

// suggestionBlock is GitHub's suggested-change block replacing the
// commented line, or lines, with s (an empty block deletes them); its fence is longer than any run of backticks in
// s, so s cannot close it.
func suggestionBlock(s string) string {
	fence := strings.Repeat("`", max(3, longestBackticks(s)+1))
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	if s == "" {
		return fence + "suggestion\n" + fence + "\n" // deletes the line
	}
	return fence + "suggestion\n" + s + "\n" + fence + "\n"
}

// WriteReportLocations writes, after a report, where the configuration
// sets each FAIL of r that l locates (`report --configs`): one line per
// control, with its nodes, as text or as Markdown. It writes nothing when l
// locates none.
func WriteReportLocations(w io.Writer, r *benchresult.Report, l verdict.Locator, markdown bool) error {
	fails := verdict.Select(r, func(c *benchresult.Check) bool { return c.Status == benchresult.Fail })
	var lines []string
	for _, g := range verdict.GroupByControl(fails) {
		loc, ok := l.Locate(g.Checks[0])
		if !ok {
			continue
		}
		if markdown {
			lines = append(lines, "- "+MarkdownText(g.Control.ID)+" on "+MarkdownText(g.NodeList(5))+": "+WhereSetMarkdown(&loc))
		} else {
			lines = append(lines, "  "+g.Control.ID+" on "+g.NodeList(5)+": "+WhereSet(&loc))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	head := "\nWhere the FAILs are set:\n"
	if markdown {
		head = "\n#### Where the FAILs are set\n\n"
	}
	return writeLogSafe(w, func(w io.Writer) error {
		_, err := io.WriteString(w, head+strings.Join(lines, "\n")+"\n")
		return err
	})
}

// whereSetOfGroup is the comment's default "Where it is set" line: the
// group's traced location, or "" when none.
func whereSetOfGroup(g verdict.FindingGroup) string {
	if loc := g.Where(); loc != nil {
		return WhereSetMarkdown(loc)
	}
	return ""
}

// WhereJSON is a [verdict.Location] in JSON output (the "where" array of
// a check in `report --configs --format json` and `gate --configs
// --format json`).
type WhereJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Setting string `json:"setting,omitempty"`
	// Current is the value the file gives the setting, as kube-bench
	// reads it; absent when the setting is not set.
	Current string   `json:"current,omitempty"`
	Note    string   `json:"note,omitempty"`
	Fix     *FixJSON `json:"fix,omitempty"`
}

// FixJSON is a [verdict.LineFix]: lines line..end_line of file, whose
// text is old, become new ("" deletes them; several lines are joined by
// "\n").
type FixJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	EndLine int    `json:"end_line"`
	Old     string `json:"old"`
	New     string `json:"new"`
}

// NewWhereJSON is the wire form of loc.
func NewWhereJSON(loc *verdict.Location) WhereJSON {
	w := WhereJSON{File: loc.File, Line: loc.Line, Setting: loc.Setting, Current: loc.Current, Note: loc.Note}
	if f := loc.Fix; f != nil {
		w.Fix = &FixJSON{File: loc.FixFile(), Line: f.Line, EndLine: f.Last(), Old: f.Old, New: f.New}
	}
	return w
}
