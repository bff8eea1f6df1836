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

func writeMarkdown(w io.Writer, v *verdict.Verdict, opts MarkdownOptions) error {
	ew := &errWriter{w: w}
	d := opts.Detail
	nodeLimit := 20
	if d >= DetailNodeLimit {
		nodeLimit = 5
	}
	icon, word := "✅", "passed"
	if !v.Pass {
		icon, word = "❌", "failed"
	}
	title := "### " + icon + " bench-action: CIS gate " + word
	if v.Report.Cluster != "" {
		title += " for cluster " + codeSpan(v.Report.Cluster)
	}
	fmt.Fprintln(ew, title)
	fmt.Fprintln(ew)
	for _, r := range v.Reasons {
		fmt.Fprintf(ew, "- %s\n", MarkdownText(r))
	}
	c := v.Counts
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "| open FAILs | new | persisting | fixed | accepted | expired exceptions | expiring | unused | retargeted |")
	fmt.Fprintln(ew, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	fmt.Fprintf(ew, "| %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", c.Fail, c.New, c.Persisting, c.Fixed, c.Accepted, c.Expired, c.Expiring, c.Unused, c.Retargeted)
	fmt.Fprintf(ew, "\nFAILs are counted in results: one control on one node. %s, benchmark %s.\n", plural(len(v.Report.Inputs), "node"), MarkdownText(strings.Join(v.Report.Benchmarks(), ", ")))
	if opts.RunURL != "" {
		fmt.Fprintf(ew, "\n[Workflow run](%s) %s\n", markdownURL(opts.RunURL), runLinkMarker)
	}
	if note, ok := degradeNotes[d]; ok {
		fmt.Fprintf(ew, "\n> [!NOTE]\n> This body is shortened to fit GitHub's size limit: it leaves out %s. The job summary and `bench-action gate` output have the full report.\n", note)
	}

	newGroups := v.NewGroups()
	if len(newGroups) > 0 {
		fmt.Fprintf(ew, "\n#### New FAILs: %s\n\n", controlsAndResults(controlGroups(newGroups)))
		if d >= DetailCountsOnly {
			ids := make([]string, 0, len(newGroups))
			for _, g := range newGroups {
				ids = append(ids, MarkdownText(g.Control.ID))
			}
			fmt.Fprintln(ew, strings.Join(ids, ", "))
		} else {
			shown := newGroups
			if d >= DetailTopNew && len(shown) > topNew {
				shown = shown[:topNew]
			}
			writeFindingTable(ew, shown, nodeLimit)
			if len(shown) < len(newGroups) {
				fmt.Fprintf(ew, "\n_…and %s more with new FAILs, listed in the job summary._\n", plural(len(newGroups)-len(shown), "control"))
			}
			if d < DetailNoRemediation {
				writeRemediationMarkdown(ew, controlGroups(newGroups), -1)
			}
		}
	}
	if changes := opts.ExceptionChanges; len(changes) > 0 && d < DetailCountsOnly {
		fmt.Fprintf(ew, "\n#### Exceptions this pull request adds or changes: %s\n\n", plural(len(changes), "exception"))
		fmt.Fprintln(ew, "| change | check | owner | review date | accepted by | reason |")
		fmt.Fprintln(ew, "|---|---|---|---|---|---|")
		for _, ch := range changes {
			e := ch.Exception
			kind := MarkdownText(ch.Kind)
			if ch.SilencesNew {
				kind = "**" + kind + ", accepts a FAIL new in this PR**"
			}
			fmt.Fprintf(ew, "| %s | %s | %s | %s | %s | %s |\n", kind, MarkdownText(e.CheckID), MarkdownText(e.Owner), e.ReviewDate, MarkdownText(e.RiskAcceptedBy), MarkdownText(e.Reason))
		}
	}
	if probs := v.ExceptionProblems(); len(probs) > 0 && d < DetailCountsOnly {
		fmt.Fprintf(ew, "\n#### Exceptions needing attention: %s\n\n", plural(len(probs), "exception"))
		fmt.Fprintln(ew, "| state | check | owner | review date | where | detail |")
		fmt.Fprintln(ew, "|---|---|---|---|---|---|")
		for _, s := range probs {
			e := s.Exception
			detail := MarkdownText(s.Detail)
			if s.Suggestion != "" {
				detail += "; " + MarkdownText(s.Suggestion)
			}
			fmt.Fprintf(ew, "| %s | %s | %s | %s | %s | %s |\n", s.State, MarkdownText(e.CheckID), MarkdownText(e.Owner), e.ReviewDate, MarkdownText(ExceptionSource(e)), detail)
		}
	}
	if d < DetailNoPersisting {
		if g := v.PersistingGroups(); len(g) > 0 {
			fmt.Fprintf(ew, "\n<details><summary>Persisting FAILs, already in the baseline: %s</summary>\n\n", controlsAndResults(controlGroups(g)))
			writeFindingTable(ew, g, nodeLimit)
			if d < DetailNoPersistingRx {
				writeRemediationMarkdown(ew, controlGroups(g), -1)
			}
			fmt.Fprintln(ew, "\n</details>")
		}
		if len(v.Fixed) > 0 {
			fmt.Fprintf(ew, "\n<details><summary>Fixed since the baseline: %s</summary>\n\n", plural(len(v.Fixed), "result"))
			fmt.Fprintln(ew, "| id | control | node | was | now |")
			fmt.Fprintln(ew, "|---|---|---|---|---|")
			for _, ch := range v.Fixed {
				fmt.Fprintf(ew, "| %s | %s | %s | %s | %s |\n", MarkdownText(ch.Key.ID), MarkdownText(ch.Text), MarkdownText(nodeOrCluster(ch.Key.Node)), ch.Before, ch.After)
			}
			fmt.Fprintln(ew, "\n</details>")
		}
		if g := v.AcceptedGroups(); len(g) > 0 {
			fmt.Fprintf(ew, "\n<details><summary>Accepted by an exception: %s</summary>\n\n", controlsAndResults(controlGroups(g)))
			fmt.Fprintln(ew, "| id | control | nodes | owner | until | accepted by | reason |")
			fmt.Fprintln(ew, "|---|---|---|---|---|---|---|")
			for _, fg := range g {
				e := fg.Findings[0].Exception
				fmt.Fprintf(ew, "| %s | %s | %s | %s | %s | %s | %s |\n", MarkdownText(fg.Control.ID), MarkdownText(fg.Control.Text), MarkdownText(fg.NodeList(nodeLimit)),
					MarkdownText(e.Owner), e.ReviewDate, MarkdownText(e.RiskAcceptedBy), MarkdownText(e.Reason))
			}
			fmt.Fprintln(ew, "\n</details>")
		}
	}
	if d < DetailCountsOnly {
		writeDriftMarkdown(ew, v.Drift, v.Mixed)
		if v.Delta != nil && len(v.Delta.Uncarried) > 0 {
			fmt.Fprintf(ew, "\n> [!WARNING]\n> %s could not be carried to the current benchmark version; regenerate the baseline after reviewing them.\n", baselineEntries(len(v.Delta.Uncarried)))
		}
		if v.Delta != nil {
			writeCarryMarkdown(ew, v.Delta)
		}
	}
	if opts.Trend != "" {
		fmt.Fprintf(ew, "\n%s\n", strings.TrimRight(opts.Trend, "\n"))
	}
	return ew.err
}

// topNew is how many new FAIL controls DetailTopNew lists.
const topNew = 100

// writeFindingTable writes one row per control, two for a control that
// failed on some nodes and could not be checked on others.
func writeFindingTable(w io.Writer, groups []verdict.FindingGroup, nodeLimit int) {
	rows := interleaveUnchecked(groups)
	writeGroupTableMarkdown(w, controlGroups(rows), nodeLimit, func(i int) string { return joinOwners(rows[i].Owners()) },
		func(i int) string { return findingTagsMarkdown(rows[i]) })
}

// findingTagsMarkdown are the bold tags of a finding's control cell: its
// threat-model risk and, for a failed Manual check, its kind.
func findingTagsMarkdown(g verdict.FindingGroup) string {
	var tags []string
	if r := g.Risk(); r != nil {
		tags = append(tags, "**risk: "+MarkdownText(r.Title)+"**")
	}
	if g.Kind() == verdict.KindFailedManual {
		tags = append(tags, "**"+g.Kind().Label()+"** (kube-bench: WARN)")
	}
	return strings.Join(tags, " · ")
}

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
