package render

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/verdict"
)

// MaxBodyRunes is GitHub's limit on an issue or comment body.
const MaxBodyRunes = 65536

// CommentMarker is the hidden marker of the sticky comment of a cluster.
func CommentMarker(cluster string) string {
	return "<!-- bench-action:comment cluster=" + markerValue(cluster) + " -->"
}

// IssueMarkerPrefix starts the marker of every tracking issue of a cluster.
func IssueMarkerPrefix(cluster string) string {
	return "<!-- bench-action:issue cluster=" + markerValue(cluster) + " owner="
}

// issueMarker is the hidden marker of one owner's tracking issue.
func issueMarker(cluster, owner string) string {
	return IssueMarkerPrefix(cluster) + markerValue(owner) + " -->"
}

// IssueOptions shape the tracking issues. The zero value gives issues
// without links, assignees or "failing since".
type IssueOptions struct {
	Labels []string
	RunURL string
	// Links link the owner's lines of the exceptions file.
	Links Links
	// FailingSince is, by check id (in the current benchmark), the time of
	// the first run of the streak of runs in which the control has failed
	// without a break, from the run history; a control it does not hold
	// shows no "failing since".
	FailingSince map[string]time.Time
}

// TrackingIssues builds one issue per owner with open FAILs or expired or
// expiring exceptions; see [TrackingIssuesWith].
func TrackingIssues(v *verdict.Verdict, labels []string, runURL string) ([]TrackingIssue, error) {
	return TrackingIssuesWith(v, IssueOptions{Labels: labels, RunURL: runURL})
}

// TrackingIssuesWith builds one issue per owner with open FAILs or
// expired or expiring exceptions: a checklist of the owner's controls with
// their nodes, "failing since" and fix, the FAILs kube-bench could not
// check, the exceptions to review, and links to the lines of the
// exceptions file that concern the owner. Assignees come from the
// exceptions file's owners: rules (their assignees: lists); no text of the
// results or of the file ever mentions anyone (see [MarkdownText]).
func TrackingIssuesWith(v *verdict.Verdict, opts IssueOptions) ([]TrackingIssue, error) {
	byOwner := map[string][]verdict.Finding{}
	for _, f := range v.Findings {
		if f.State == verdict.StateOpen {
			byOwner[f.Owner] = append(byOwner[f.Owner], f)
		}
	}
	probs := map[string][]exceptions.ExceptionStatus{}
	for _, s := range v.Exceptions {
		if s.State == exceptions.Expired || s.State == exceptions.Expiring {
			probs[s.Exception.Owner] = append(probs[s.Exception.Owner], s)
		}
	}
	owners := v.Owners()
	sort.Strings(owners)
	var out []TrackingIssue
	for _, owner := range owners {
		marker := issueMarker(v.Report.Cluster, owner)
		in := issueInput{v: v, owner: owner, open: byOwner[owner], probs: probs[owner], opts: opts}
		body := issueBodyWithin(in, marker)
		title := fmt.Sprintf("CIS benchmark: %s owned by %s", plural(len(verdict.GroupFindings(byOwner[owner])), "failing control"), owner)
		if v.Report.Cluster != "" {
			title += " in cluster " + v.Report.Cluster
		}
		var assignees []string
		if v.Config.Exceptions != nil {
			assignees = v.Config.Exceptions.AssigneesOf(owner)
		}
		out = append(out, TrackingIssue{Owner: owner, Marker: marker, Title: title, Body: body, Labels: opts.Labels, Assignees: assignees})
	}
	return out, nil
}

type issueInput struct {
	v     *verdict.Verdict
	owner string
	open  []verdict.Finding
	probs []exceptions.ExceptionStatus
	opts  IssueOptions
}

func issueBodyWithin(in issueInput, marker string) string {
	for _, d := range []Detail{DetailFull, DetailNodeLimit, DetailNoRemediation, DetailCountsOnly} {
		var b bytes.Buffer
		b.WriteString(marker + "\n")
		writeIssueBody(&b, in, d)
		if utf8.RuneCount(b.Bytes()) <= MaxBodyRunes {
			return LogText(b.String())
		}
	}
	var b bytes.Buffer
	writeIssueBody(&b, in, DetailCountsOnly)
	r := []rune(LogText(b.String()))
	notice := "\n\n… cut to fit GitHub's size limit.\n"
	room := MaxBodyRunes - utf8.RuneCountInString(marker) - 1 - utf8.RuneCountInString(notice)
	if len(r) > room {
		r = r[:room]
	}
	return marker + "\n" + string(r) + notice
}

func writeIssueBody(w io.Writer, in issueInput, d Detail) {
	v := in.v
	cluster := ""
	if v.Report.Cluster != "" {
		cluster = " in cluster " + codeSpan(v.Report.Cluster)
	}
	groups := verdict.GroupFindings(in.open)
	fixable, unchecked := splitUnchecked(groups)
	fmt.Fprintf(w, "CIS Kubernetes Benchmark findings owned by **%s**%s, kept up to date by bench-action on every scheduled run. Tick a control once its change is made: it stays listed until a run finds it passing, and the issue closes itself when nothing is left.\n", MarkdownText(in.owner), cluster)
	if in.opts.RunURL != "" {
		fmt.Fprintf(w, "\nLast updated by [this run](%s). %s\n", markdownURL(in.opts.RunURL), runLinkMarker)
	}
	nodeLimit := 20
	if d >= DetailNodeLimit {
		nodeLimit = 5
	}
	if len(fixable) > 0 {
		fmt.Fprintf(w, "\n### To fix: %s\n\n", controlsNodes(controlGroups(fixable)))
		for _, g := range fixable {
			writeChecklistItem(w, g, in.opts, nodeLimit, len(v.Report.Inputs), d)
		}
	}
	if len(unchecked) > 0 {
		fmt.Fprintf(w, "\n### Could not check: %s, a collection problem\n\n", controlsNodes(controlGroups(unchecked)))
		fmt.Fprintln(w, "kube-bench could not run these audits, so they say nothing about the settings: fix how kube-bench runs on these nodes (the process or file its audit looks for), not the control.")
		fmt.Fprintln(w)
		for _, g := range unchecked {
			fmt.Fprintf(w, "- **%s** %s, on %s: %s\n", MarkdownText(g.Control.ID), MarkdownText(plainText(g.Control.Text)), MarkdownText(nodesOf(g.ControlGroup, nodeLimit, len(v.Report.Inputs))), codeSpan(cleanReason(g.Checks[0].Reason)))
		}
	}
	if len(in.probs) > 0 {
		fmt.Fprintf(w, "\n### Exceptions to review: %s\n\n", plural(len(in.probs), "exception"))
		for _, s := range in.probs {
			fmt.Fprintln(w, exceptionItem(s, in.opts.Links))
		}
	}
	if lines := ownerLines(v.Config.Exceptions, in.owner, in.opts.Links); len(lines) > 0 && d < DetailCountsOnly {
		fmt.Fprintf(w, "\n### In the exceptions file\n\n")
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	}
}

// writeChecklistItem writes one control as a task: id, what is wrong,
// nodes, failing since, then its text, fix and kube-bench's remediation.
func writeChecklistItem(w io.Writer, g verdict.FindingGroup, opts IssueOptions, nodeLimit, total int, d Detail) {
	short, known := shortKnown(g.Control)
	if !known {
		short = MarkdownText(plainText(g.Control.Text))
	}
	head := fmt.Sprintf("- [ ] **%s** %s on %s", MarkdownText(g.Control.ID), short, MarkdownText(nodesOf(g.ControlGroup, nodeLimit, total)))
	if t, ok := opts.FailingSince[g.Control.ID]; ok {
		head += ", failing since " + nbDates(t.UTC().Format("2006-01-02"))
	}
	if d >= DetailCountsOnly {
		fmt.Fprintln(w, head)
		return
	}
	var second []string
	if known {
		second = append(second, MarkdownText(OneLine(g.Control.Text)))
	}
	if t := findingTagsMarkdown(g, true); t != "" {
		second = append(second, t)
	}
	if len(second) > 0 {
		fmt.Fprintf(w, "%s\\\n  %s\n", head, strings.Join(second, " · "))
	} else {
		fmt.Fprintln(w, head)
	}
	if fix := Fix(g.Control); fix != "" {
		fmt.Fprintf(w, "\n  **Fix:** %s.\n", fix)
	}
	if rem := RemediationMarkdown(g.Control.Remediation); d < DetailNoRemediation && len(rem) > 0 {
		fmt.Fprintf(w, "\n  > kube-bench's remediation: %s\n", strings.Join(rem, "\\\n  > "))
	}
	fmt.Fprintln(w)
}

// ownerLines links the lines of the exceptions file that concern owner:
// its exceptions and the owner rules that name it.
func ownerLines(f *exceptions.File, owner string, links Links) []string {
	if f == nil {
		return nil
	}
	var out []string
	for i := range f.Exceptions {
		e := &f.Exceptions[i]
		if e.Owner == owner {
			out = append(out, fmt.Sprintf("- %s: exception for %s, review date %s", links.link(e.Source, e.Line), MarkdownText(e.CheckID), nbDates(e.ReviewDate.String())))
		}
	}
	for _, r := range f.Owners {
		if r.Owner == owner {
			out = append(out, fmt.Sprintf("- %s: owner rule for %s", links.link(f.Source, r.Line), MarkdownText(strings.Join(r.Checks, ", "))))
		}
	}
	return out
}
