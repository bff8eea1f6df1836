package render

import "strings"

// TrackingIssue is the open issue of one owner.
type TrackingIssue struct {
	Owner  string
	Marker string // hidden marker the body starts with, unique per owner and cluster
	Title  string
	Body   string   // starts with Marker
	Labels []string // includes the label the issues are listed by
	// Assignees are the GitHub logins the owner maps to (the exceptions
	// file's owners: rules, assignees:); empty: none set.
	Assignees []string
}

// runLinkMarker ends the line of a body that links to the workflow run
// that wrote it. That line changes with every run, so [SameBody] ignores it:
// a rerun whose findings did not change writes nothing, and the link keeps
// pointing at the run that last changed the body.
const runLinkMarker = "<!-- bench-action:run -->"

// SameBody reports whether two bodies say the same, ignoring the run-link
// line (the line ending in "<!-- bench-action:run -->") and the state of
// task-list boxes (an owner ticking "- [x]" in a tracking issue is not a
// change to undo). Publishers write a body only when it does not.
func SameBody(a, b string) bool {
	return untick(stripRunLink(a)) == untick(stripRunLink(b))
}

// untick clears every task-list box at the start of a line.
func untick(s string) string {
	if !strings.Contains(s, "- [x] ") && !strings.Contains(s, "- [X] ") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(l, "- [x] "); ok {
			lines[i] = "- [ ] " + rest
		} else if rest, ok := strings.CutPrefix(l, "- [X] "); ok {
			lines[i] = "- [ ] " + rest
		}
	}
	return strings.Join(lines, "\n")
}

func stripRunLink(s string) string {
	if !strings.Contains(s, runLinkMarker) {
		return s
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !strings.HasSuffix(strings.TrimRight(l, " \r"), runLinkMarker) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
