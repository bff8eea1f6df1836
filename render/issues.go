package render

import (
	"bytes"
	"fmt"
	"io"
	"sort"
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

// TrackingIssues builds one issue per owner with open FAILs or expired or
// expiring exceptions: the owner's open FAILs with nodes and remediation,
// and their exceptions that need a review.
func TrackingIssues(v *verdict.Verdict, labels []string, runURL string) ([]TrackingIssue, error) {
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
		body, err := issueBodyWithin(v, owner, byOwner[owner], probs[owner], marker, runURL)
		if err != nil {
			return nil, err
		}
		title := fmt.Sprintf("CIS benchmark: %s owned by %s", plural(len(verdict.GroupFindings(byOwner[owner])), "failing control"), owner)
		if v.Report.Cluster != "" {
			title += " in cluster " + v.Report.Cluster
		}
		out = append(out, TrackingIssue{Owner: owner, Marker: marker, Title: title, Body: body, Labels: labels})
	}
	return out, nil
}

func issueBodyWithin(v *verdict.Verdict, owner string, open []verdict.Finding, probs []exceptions.ExceptionStatus, marker, runURL string) (string, error) {
	for _, d := range []Detail{DetailFull, DetailNodeLimit, DetailNoRemediation, DetailCountsOnly} {
		var b bytes.Buffer
		b.WriteString(marker + "\n")
		writeIssueBody(&b, v, owner, open, probs, runURL, d)
		if utf8.RuneCount(b.Bytes()) <= MaxBodyRunes {
			return b.String(), nil
		}
	}
	var b bytes.Buffer
	writeIssueBody(&b, v, owner, open, probs, runURL, DetailCountsOnly)
	r := []rune(b.String())
	notice := "\n\n… cut to fit GitHub's size limit.\n"
	room := MaxBodyRunes - utf8.RuneCountInString(marker) - 1 - utf8.RuneCountInString(notice)
	if len(r) > room {
		r = r[:room]
	}
	return marker + "\n" + string(r) + notice, nil
}

func writeIssueBody(w io.Writer, v *verdict.Verdict, owner string, open []verdict.Finding, probs []exceptions.ExceptionStatus, runURL string, d Detail) {
	cluster := ""
	if v.Report.Cluster != "" {
		cluster = " in cluster " + codeSpan(v.Report.Cluster)
	}
	fmt.Fprintf(w, "CIS Kubernetes Benchmark findings owned by **%s**%s, kept up to date by bench-action on every scheduled run. This issue closes itself when nothing is left.\n", MarkdownText(owner), cluster)
	if runURL != "" {
		fmt.Fprintf(w, "\nLast updated by [this run](%s). %s\n", markdownURL(runURL), runLinkMarker)
	}
	nodeLimit := 20
	if d >= DetailNodeLimit {
		nodeLimit = 5
	}
	groups := verdict.GroupFindings(open)
	if len(groups) > 0 {
		fmt.Fprintf(w, "\n### Open FAILs: %s\n\n", controlsAndResults(controlGroups(groups)))
		if d >= DetailCountsOnly {
			for _, g := range groups {
				fmt.Fprintf(w, "- %s on %s\n", MarkdownText(g.Control.ID), plural(len(g.Checks), "node"))
			}
		} else {
			writeFindingTable(w, groups, nodeLimit)
			if d < DetailNoRemediation {
				writeRemediationMarkdown(w, controlGroups(groups), -1)
			}
		}
	}
	if len(probs) > 0 {
		fmt.Fprintf(w, "\n### Exceptions to review: %s\n\n", plural(len(probs), "exception"))
		fmt.Fprintln(w, "| state | check | review date | where | detail |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
		for _, s := range probs {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", s.State, MarkdownText(s.Exception.CheckID), s.Exception.ReviewDate, MarkdownText(ExceptionSource(s.Exception)), MarkdownText(s.Detail))
		}
	}
}
