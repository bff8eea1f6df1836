package render

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/verdict"
)

// The Markdown of a verdict (PR comment, job summary, `gate --format
// markdown`), laid out for a reviewer who reads the first screen:
//
//  1. a headline that says what the pull request did, in controls, the
//     worst one named ("New FAIL: 1.2.15 `--profiling` not false on cp-1
//     (platform-team)", "3 new FAILs, worst: 1.2.1 anonymous API server
//     access");
//  2. one line of counts, all in controls (nodes in brackets), only those
//     that are not zero;
//  3. the fix of each new FAIL, open: the concrete change where the
//     catalog knows one, where it is set (when traced), kube-bench's
//     remediation cleaned up below it;
//  4. what the pull request changed in the exceptions file, and expired
//     exceptions (they fail the gate), open;
//  5. "could not check" as its own short section: a collection problem;
//  6. collapsed: persisting FAILs (with their fixes, except in the
//     pull-request comment, where they are not the pull request's change),
//     fixed, accepted, exceptions needing attention, drift not already
//     listed, the baseline's carry.
//
// Headings go h3 (the headline) then h4; collapsed parts use <details>
// and hold no heading. Table cells hold ids, short texts and names whose
// hyphens are non-breaking (see [nb]); long text is in lists.

func writeMarkdown(w io.Writer, v *verdict.Verdict, opts MarkdownOptions) error {
	ew := &errWriter{w: w}
	d := opts.Detail
	nodeLimit := 20
	if d >= DetailNodeLimit {
		nodeLimit = 5
	}
	newGroups := v.NewGroups()
	newFixable, newUnchecked := splitUnchecked(newGroups)
	persisting, persistingUnchecked := splitUnchecked(v.PersistingGroups())
	accepted := v.AcceptedGroups()
	changes := opts.ExceptionChanges
	status := statusByException(v)
	total := len(v.Report.Inputs)

	icon := "✅"
	if !v.Pass {
		icon = "❌"
	}
	fmt.Fprintf(ew, "### %s %s%s\n\n", icon, headline(markdownInline, v, newGroups), silencedNote(changes))
	if line := countsLine(v, newGroups, persisting, persistingUnchecked, accepted, opts); line != "" {
		fmt.Fprintln(ew, line)
		fmt.Fprintln(ew)
	}
	word := "passed"
	if !v.Pass {
		word = "failed"
	}
	about := fmt.Sprintf("bench-action CIS gate %s (fail-on %s)", word, v.Config.FailOn)
	if v.Report.Cluster != "" {
		about += " for cluster " + codeSpan(v.Report.Cluster)
	}
	about += fmt.Sprintf(": %s, %s.", MarkdownText(strings.Join(v.Report.Benchmarks(), ", ")), plural(len(v.Report.Inputs), "node"))
	if v.Delta == nil && v.Counts.New > 0 {
		about += " No baseline to compare with, so every open FAIL counts as new."
	}
	fmt.Fprintln(ew, about)
	if opts.RunURL != "" {
		fmt.Fprintf(ew, "\n[Workflow run](%s) %s\n", markdownURL(opts.RunURL), runLinkMarker)
	}
	if note, ok := degradeNotes[d]; ok {
		fmt.Fprintf(ew, "\n> [!NOTE]\n> This body is shortened to fit GitHub's size limit: it leaves out %s. The job summary and `bench-action gate` output have the full report.\n", note)
	}

	if len(newFixable) > 0 {
		if d >= DetailCountsOnly {
			ids := make([]string, 0, len(newGroups))
			for _, g := range newGroups {
				ids = append(ids, MarkdownText(g.Control.ID))
			}
			fmt.Fprintf(ew, "\n#### New FAILs\n\n%s\n", strings.Join(ids, ", "))
		} else {
			shown := newFixable
			if d >= DetailTopNew && len(shown) > topNew {
				shown = shown[:topNew]
			}
			for _, g := range shown {
				writeFixSection(ew, g, opts, nodeLimit, total, d < DetailNoRemediation)
			}
			if len(shown) < len(newFixable) {
				fmt.Fprintf(ew, "\n_…and %s more with new FAILs, listed in the job summary._\n", plural(len(newFixable)-len(shown), "control"))
			}
		}
	}
	if len(changes) > 0 && d < DetailCountsOnly {
		writeExceptionChanges(ew, changes, status, opts.Links)
	}
	shownProblems := map[*exceptions.Exception]bool{}
	for _, ch := range changes {
		shownProblems[ch.Exception] = true
	}
	var expired, attention []exceptions.ExceptionStatus
	for _, s := range v.ExceptionProblems() {
		switch {
		case shownProblems[s.Exception]:
		case s.State == exceptions.Expired && !v.Config.AllowExpired:
			expired = append(expired, s)
		case s.State == exceptions.Unused && opts.Comment && len(changes) == 0:
			// Not this pull request's business: listed on scheduled runs
			// and in the job summary.
		default:
			attention = append(attention, s)
		}
	}
	if len(expired) > 0 && d < DetailCountsOnly {
		fmt.Fprintf(ew, "\n#### Expired: %s, the gate fails on %s\n\n", plural(len(expired), "exception"), themIt(len(expired)))
		for _, s := range expired {
			fmt.Fprintln(ew, exceptionItem(s, opts.Links))
		}
	}
	if unchecked := append(append([]verdict.FindingGroup(nil), newUnchecked...), persistingUnchecked...); len(unchecked) > 0 && d < DetailCountsOnly {
		writeUnchecked(ew, unchecked, len(newUnchecked) > 0, nodeLimit, total)
	}

	if d < DetailNoPersisting {
		if len(persisting) > 0 {
			fmt.Fprintf(ew, "\n<details><summary>Already failing in the baseline: %s</summary>\n\n", controlsNodes(controlGroups(persisting)))
			writeFindingTable(ew, persisting, nodeLimit, total)
			switch {
			case opts.Comment:
				// Not this pull request's change: their fixes are in the
				// owners' tracking issues and the job summary.
				fmt.Fprintln(ew, "\nTheir fixes are in the job summary and in each owner's tracking issue.")
			case d < DetailNoPersistingRx:
				writeFixList(ew, persisting)
			}
			fmt.Fprintln(ew, "\n</details>")
		}
		if fixed := groupFixed(v); len(fixed) > 0 {
			fmt.Fprintf(ew, "\n<details><summary>Fixed since the baseline: %s</summary>\n\n", fixedCount(fixed))
			fmt.Fprintln(ew, "| id | control | nodes | was |")
			fmt.Fprintln(ew, "|---|---|---|---|")
			for _, f := range fixed {
				fmt.Fprintf(ew, "| %s | %s | %s | %s |\n", MarkdownText(f.id), cellText(f.text), nodesCell(listNodes(f.nodes, min(nodeLimit, tableNodes))), f.was)
			}
			fmt.Fprintln(ew, "\n</details>")
		}
		if len(accepted) > 0 {
			fmt.Fprintf(ew, "\n<details><summary>Accepted by an exception: %s</summary>\n\n", controlsNodes(controlGroups(accepted)))
			for _, g := range accepted {
				e := g.Findings[0].Exception
				fmt.Fprintf(ew, "- **%s** %s, on %s: accepted until %s by %s for %s (%s): %s\n", MarkdownText(g.Control.ID), MarkdownText(plainText(g.Control.Text)),
					MarkdownText(nodesOf(g.ControlGroup, nodeLimit, total)), nbDates(e.ReviewDate.String()), MarkdownText(e.RiskAcceptedBy), MarkdownText(e.Owner), opts.Links.link(e.Source, e.Line), MarkdownText(e.Reason))
			}
			fmt.Fprintln(ew, "\n</details>")
		}
	}
	if d < DetailCountsOnly {
		if len(attention) > 0 {
			fmt.Fprintf(ew, "\n<details><summary>Exceptions needing attention: %s</summary>\n\n", stateCounts(attention))
			for _, s := range attention {
				fmt.Fprintln(ew, exceptionItem(s, opts.Links))
			}
			fmt.Fprintln(ew, "\n</details>")
		}
		writeNewDrift(ew, v, newGroups, persisting, persistingUnchecked, accepted)
		if v.Mixed != nil {
			fmt.Fprintf(ew, "\n> [!WARNING]\n> Results of different benchmarks are not comparable check by check: %s\n", MarkdownText(mixedSummary(v.Mixed)))
		}
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

// headline says what the run found, in controls, the worst named, in st
// (Markdown for the comment, plain for a CI log).
func headline(st inline, v *verdict.Verdict, newGroups []verdict.FindingGroup) string {
	c := v.Counts
	switch {
	case len(newGroups) == 1:
		g := newGroups[0]
		return "New FAIL: " + st.text(g.Control.ID) + " " + whatsWrong(st, g) + " on " + whereShort(st, g) + " (" + st.text(joinOwners(g.Owners())) + ")"
	case len(newGroups) > 1:
		return fmt.Sprintf("%d new FAILs, worst: %s", len(newGroups), worst(st, newGroups[0]))
	}
	var expired []exceptions.ExceptionStatus
	for _, s := range v.ExceptionProblems() {
		if s.State == exceptions.Expired {
			expired = append(expired, s)
		}
	}
	switch {
	case len(expired) == 1 && !v.Config.AllowExpired:
		e := expired[0].Exception
		return "Expired exception: " + st.text(e.CheckID) + " (" + st.text(e.Owner) + ") since " + st.date(e.ReviewDate.String())
	case len(expired) > 1 && !v.Config.AllowExpired:
		return fmt.Sprintf("%d exceptions expired", len(expired))
	case c.Fail > 0 && v.Config.FailOn == verdict.FailOnAny:
		open := v.PersistingGroups()
		return fmt.Sprintf("%s failing (fail-on any), worst: %s", plural(len(open), "control"), worst(st, open[0]))
	case c.Fail == 0 && c.Fixed > 0:
		return "No FAILs left; " + fixedCount(groupFixed(v)) + " fixed"
	case c.Fail == 0:
		return "No FAILs"
	}
	h := "No new FAILs"
	if checked, _ := splitUnchecked(v.PersistingGroups()); len(checked) > 0 {
		h += fmt.Sprintf(" (%s already failing)", plural(len(checked), "control"))
	}
	if f := groupFixed(v); len(f) > 0 {
		h += "; " + fixedCount(f) + " fixed"
	}
	return h
}

// silencedNote names, for the headline, the new FAILs that exceptions the
// pull request adds or changes accept: a pull request that silences its
// own regression says so first.
func silencedNote(changes []verdict.ExceptionChange) string {
	var ids []string
	for _, ch := range changes {
		if ch.SilencesNew {
			ids = append(ids, MarkdownText(ch.Exception.CheckID))
		}
	}
	switch len(ids) {
	case 0:
		return ""
	case 1:
		return "; this pull request accepts its new FAIL " + ids[0] + " by an exception"
	}
	return "; this pull request accepts its new FAILs " + strings.Join(ids, ", ") + " by exceptions"
}

// whatsWrong is the few words of a group's headline.
func whatsWrong(st inline, g verdict.FindingGroup) string {
	if countUnchecked(g.Checks) == len(g.Checks) {
		return "could not be checked"
	}
	return shortIn(st, g.Control)
}

// worst names a group for "worst:": its risk, else what is wrong.
func worst(st inline, g verdict.FindingGroup) string {
	if r := g.Risk(); r != nil {
		return st.text(g.Control.ID) + " " + st.text(r.Title)
	}
	return st.text(g.Control.ID) + " " + whatsWrong(st, g)
}

// whereShort is "cp-1", "cp-1 and cp-2" or "3 nodes".
func whereShort(st inline, g verdict.FindingGroup) string {
	ns := g.Nodes()
	switch {
	case len(ns) == 1 && ns[0] == "(cluster)":
		return "the cluster"
	case len(ns) == 1:
		return st.text(ns[0])
	case len(ns) == 2:
		return st.text(ns[0]) + " and " + st.text(ns[1])
	}
	return plural(len(ns), "node")
}

// countsLine is the figures, in controls with distinct nodes in brackets,
// only those that are not zero.
func countsLine(v *verdict.Verdict, newGroups, persisting, unchecked, accepted []verdict.FindingGroup, opts MarkdownOptions) string {
	var parts []string
	add := func(gs []verdict.FindingGroup, what string, bold bool) {
		if len(gs) == 0 {
			return
		}
		s := fmt.Sprintf("%d %s", len(gs), what)
		if len(gs) != 1 && what == "new FAIL" {
			s += "s"
		}
		if bold {
			s = "**" + s + "**"
		}
		parts = append(parts, s+" ("+plural(distinctNodes(controlGroups(gs)), "node")+")")
	}
	add(newGroups, "new FAIL", true)
	add(persisting, "already failing", false)
	add(unchecked, "could not check", false)
	if f := groupFixed(v); len(f) > 0 {
		parts = append(parts, fmt.Sprintf("%d fixed (%s)", len(f), plural(fixedNodes(f), "node")))
	}
	add(accepted, "accepted", false)
	c := v.Counts
	var ex []string
	for _, x := range []struct {
		n    int
		what string
		show bool
	}{
		{c.Expired, "expired", true}, {c.Retargeted, "retargeted", true}, {c.Expiring, "expiring", true},
		{c.Unused, "unused", !opts.Comment || len(opts.ExceptionChanges) > 0},
	} {
		if x.n > 0 && x.show {
			ex = append(ex, fmt.Sprintf("%d %s", x.n, x.what))
		}
	}
	if len(ex) > 0 {
		n := c.Expired + c.Retargeted + c.Expiring
		if !opts.Comment || len(opts.ExceptionChanges) > 0 {
			n += c.Unused
		}
		if len(ex) == 1 {
			parts = append(parts, ex[0]+" "+pluralWord(n, "exception"))
		} else {
			parts = append(parts, "exceptions: "+strings.Join(ex, ", "))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " · ")
}

// distinctNodes counts the nodes of the groups' checks, a cluster-wide
// check as one.
func distinctNodes(gs []verdict.ControlGroup) int {
	seen := map[string]bool{}
	for _, g := range gs {
		for _, c := range g.Checks {
			seen[c.Node] = true
		}
	}
	return len(seen)
}

// controlsNodes is "3 controls (5 nodes)".
func controlsNodes(gs []verdict.ControlGroup) string {
	return plural(len(gs), "control") + " (" + plural(distinctNodes(gs), "node") + ")"
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func themIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// writeFixSection writes one new FAIL: what, where, who, the change.
func writeFixSection(w io.Writer, g verdict.FindingGroup, opts MarkdownOptions, nodeLimit, total int, prose bool) {
	short, known := shortKnown(g.Control)
	if !known {
		short = MarkdownText(plainText(g.Control.Text))
	}
	fmt.Fprintf(w, "\n#### %s %s\n\n", MarkdownText(g.Control.ID), short)
	meta := []string{"on " + MarkdownText(nodesOf(g.ControlGroup, nodeLimit, total)), "owner " + MarkdownText(joinOwners(g.Owners()))}
	if t := findingTagsMarkdown(g, true); t != "" {
		meta = append(meta, t)
	}
	lead := strings.Join(meta, " · ")
	if known {
		lead = MarkdownText(OneLine(g.Control.Text)) + ": " + lead
	} else {
		lead = strings.ToUpper(lead[:1]) + lead[1:]
	}
	fmt.Fprintf(w, "%s\\\n", lead)
	if fix := Fix(g.Control); fix != "" {
		fmt.Fprintf(w, "**Fix:** %s.\n", fix)
	} else {
		fmt.Fprintln(w, "**Fix:** as kube-bench's remediation says, below.")
	}
	whereSet := opts.WhereSet
	if whereSet == nil {
		whereSet = whereSetOfGroup
	}
	if where := strings.TrimSpace(OneLine(whereSet(g))); where != "" {
		if rest, ok := strings.CutPrefix(where, "set in "); ok {
			where = "Set in " + rest
		} else {
			where = "Where it is set: " + where
		}
		fmt.Fprintf(w, "\n%s\n", where)
	}
	if rem := RemediationMarkdown(g.Control.Remediation); prose && len(rem) > 0 {
		fmt.Fprintf(w, "\n> kube-bench's remediation: %s\n", strings.Join(rem, "\\\n> "))
	}
}

// writeFixList writes one line per control: the change, else kube-bench's
// remediation on one line.
func writeFixList(w io.Writer, groups []verdict.FindingGroup) {
	fmt.Fprintln(w)
	for _, g := range groups {
		fix := Fix(g.Control)
		if fix == "" {
			fix = RemediationLine(g.Control.Remediation)
		}
		if fix == "" {
			continue
		}
		fmt.Fprintf(w, "- **%s**: %s\n", MarkdownText(g.Control.ID), fix)
	}
}

// writeFindingTable writes one row per control: id, control (with its
// tags), nodes, owner; every cell unbroken where it matters.
func writeFindingTable(w io.Writer, groups []verdict.FindingGroup, nodeLimit, total int) {
	fmt.Fprintln(w, "| id | control | nodes | owner |")
	fmt.Fprintln(w, "|---|---|---|---|")
	manual := false
	defer func() {
		if manual {
			fmt.Fprintln(w, "\n"+manualNote)
		}
	}()
	for _, g := range groups {
		text := cellText(g.Control.Text)
		if t := findingTagsMarkdown(g, false); t != "" {
			text = t + " " + text
		}
		manual = manual || g.Kind() == verdict.KindFailedManual
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", MarkdownText(g.Control.ID), text, nodesCell(nodesOf(g.ControlGroup, min(nodeLimit, tableNodes), total)), nb(joinOwners(g.Owners())))
	}
}

// findingTagsMarkdown are the bold tags of a finding: its threat-model
// risk and, for a failed Manual check, its kind; long says what the kind
// means, else a note under the table does (see [manualNote]).
func findingTagsMarkdown(g verdict.FindingGroup, long bool) string {
	var tags []string
	if r := g.Risk(); r != nil {
		tags = append(tags, "**risk: "+MarkdownText(r.Title)+"**")
	}
	if g.Kind() == verdict.KindFailedManual {
		tag := "**Manual check failed**"
		if long {
			tag += " (kube-bench reports WARN)"
		}
		tags = append(tags, tag)
	}
	return strings.Join(tags, " · ")
}

// manualNote explains "Manual check failed" under a table.
const manualNote = "_Manual check failed_: the benchmark calls the check Manual, so kube-bench reports WARN, but its test ran and failed; the gate counts it as a FAIL (`--manual-as-warn` reads it as kube-bench does)."

// writeUnchecked writes the FAILs kube-bench could not check: a
// collection problem, not a setting to change. Open when one is new.
func writeUnchecked(w io.Writer, gs []verdict.FindingGroup, open bool, nodeLimit, total int) {
	title := "Could not check: " + controlsNodes(controlGroups(gs)) + ", a collection problem"
	intro := "kube-bench could not run these audits, so they say nothing about the settings: fix how kube-bench runs on these nodes (the process or file its audit looks for), not the control."
	if open {
		fmt.Fprintf(w, "\n#### %s\n\n%s\n\n", title, intro)
	} else {
		fmt.Fprintf(w, "\n<details><summary>%s</summary>\n\n%s\n\n", title, intro)
	}
	for _, g := range gs {
		fmt.Fprintf(w, "- **%s** %s, on %s: %s\n", MarkdownText(g.Control.ID), MarkdownText(plainText(g.Control.Text)), MarkdownText(nodesOf(g.ControlGroup, nodeLimit, total)), codeSpan(cleanReason(g.Checks[0].Reason)))
	}
	if !open {
		fmt.Fprintln(w, "\n</details>")
	}
}

// writeExceptionChanges lists what the pull request changed in the
// exceptions file: old → new where it changed, and the state each
// exception is in now, so that none appears twice.
func writeExceptionChanges(w io.Writer, changes []verdict.ExceptionChange, status map[*exceptions.Exception]exceptions.ExceptionStatus, links Links) {
	fmt.Fprintf(w, "\n#### Exceptions this pull request changes: %s\n\n", plural(len(changes), "exception"))
	for _, ch := range changes {
		e := ch.Exception
		kind := MarkdownText(ch.Kind)
		if ch.SilencesNew {
			kind += ", accepts a FAIL new in this pull request"
		}
		var what []string
		id := MarkdownText(e.CheckID)
		if o := ch.Old; o != nil {
			if o.CheckID != e.CheckID {
				id = MarkdownText(o.CheckID) + " → " + id
			}
			if o.ReviewDate != e.ReviewDate {
				what = append(what, "review date "+o.ReviewDate.String()+" → "+e.ReviewDate.String())
			}
			if o.Owner != e.Owner {
				what = append(what, "owner "+MarkdownText(o.Owner)+" → "+MarkdownText(e.Owner))
			}
			if o.RiskAcceptedBy != e.RiskAcceptedBy {
				what = append(what, "accepted by "+MarkdownText(o.RiskAcceptedBy)+" → "+MarkdownText(e.RiskAcceptedBy))
			}
			if o.Reason != e.Reason {
				what = append(what, "reason changed")
			}
			if o.CheckDescription != e.CheckDescription {
				what = append(what, "description changed")
			}
		} else if ch.Kind != "removed" {
			what = append(what, "review date "+e.ReviewDate.String(), "accepted by "+MarkdownText(e.RiskAcceptedBy))
		}
		line := fmt.Sprintf("- **%s** %s (%s)", kind, id, MarkdownText(e.Owner))
		if len(what) > 0 {
			line += ": " + strings.Join(what, "; ")
		}
		if ch.Kind != "removed" {
			line += ", " + links.link(e.Source, e.Line)
			if s, ok := status[e]; ok && s.State != exceptions.Active {
				line += ". **Now " + s.State.String() + "**: " + MarkdownText(s.Detail)
				if s.Suggestion != "" {
					line += "; " + MarkdownText(s.Suggestion)
				}
			}
		}
		if e.Reason != "" && (ch.Old == nil || ch.Old.Reason != e.Reason) && ch.Kind != "removed" {
			line += ". Reason: " + MarkdownText(e.Reason)
		}
		fmt.Fprintln(w, nbDates(line))
	}
}

// exceptionItem is one exception needing attention, as a list item.
func exceptionItem(s exceptions.ExceptionStatus, links Links) string {
	e := s.Exception
	line := fmt.Sprintf("- **%s** %s (%s), review date %s, %s: %s", s.State, MarkdownText(e.CheckID), MarkdownText(e.Owner), e.ReviewDate, links.link(e.Source, e.Line), MarkdownText(s.Detail))
	if s.Suggestion != "" {
		line += "; " + MarkdownText(s.Suggestion)
	}
	return nbDates(line)
}

// stateCounts is "1 retargeted, 1 expiring, 1 unused".
func stateCounts(ss []exceptions.ExceptionStatus) string {
	var order []exceptions.State
	n := map[exceptions.State]int{}
	for _, s := range ss {
		if n[s.State] == 0 {
			order = append(order, s.State)
		}
		n[s.State]++
	}
	parts := make([]string, 0, len(order))
	for _, st := range order {
		parts = append(parts, fmt.Sprintf("%d %s", n[st], st))
	}
	return strings.Join(parts, ", ")
}

func statusByException(v *verdict.Verdict) map[*exceptions.Exception]exceptions.ExceptionStatus {
	out := make(map[*exceptions.Exception]exceptions.ExceptionStatus, len(v.Exceptions))
	for _, s := range v.Exceptions {
		out[s.Exception] = s
	}
	return out
}

// fixedGroup is a control fixed since the baseline, with its nodes.
type fixedGroup struct {
	id, text, was string
	nodes         []string
}

// groupFixed groups the verdict's fixed results by control.
func groupFixed(v *verdict.Verdict) []fixedGroup {
	index := map[string]int{}
	var out []fixedGroup
	for _, ch := range v.Fixed {
		k := ch.Key.Benchmark + "\x00" + string(ch.Key.Target) + "\x00" + ch.Key.ID
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, fixedGroup{id: ch.Key.ID, text: ch.Text, was: ch.Before.String()})
		}
		out[i].nodes = append(out[i].nodes, nodeOrCluster(ch.Key.Node))
	}
	for _, g := range out {
		sort.Strings(g.nodes)
	}
	return out
}

// fixedCount is "3 controls (4 nodes)".
func fixedCount(f []fixedGroup) string {
	return plural(len(f), "control") + " (" + plural(fixedNodes(f), "node") + ")"
}

// fixedNodes counts the distinct nodes of fixed controls.
func fixedNodes(f []fixedGroup) int {
	nodes := map[string]bool{}
	for _, g := range f {
		for _, n := range g.nodes {
			nodes[n] = true
		}
	}
	return len(nodes)
}

func listNodes(nodes []string, limit int) string {
	if limit > 0 && len(nodes) > limit {
		return strings.Join(nodes[:limit], ", ") + fmt.Sprintf(", and %d more", len(nodes)-limit)
	}
	return strings.Join(nodes, ", ")
}

// writeNewDrift lists drift between nodes of one role for the controls
// not already listed above (a drifting FAIL is in the tables with its
// nodes): mostly WARNs and INFOs that differ.
func writeNewDrift(w io.Writer, v *verdict.Verdict, lists ...[]verdict.FindingGroup) {
	listed := map[ControlRef]bool{}
	for _, gs := range lists {
		for _, g := range gs {
			listed[RefOf(g.ControlGroup)] = true
		}
	}
	var rows []string
	for _, d := range v.Drift {
		if listed[ControlRef{Benchmark: d.Control.Benchmark, Target: string(d.Control.Target), ID: d.Control.ID}] {
			continue
		}
		rows = append(rows, fmt.Sprintf("- **%s** %s (%s): %s", MarkdownText(d.Control.ID), MarkdownText(plainText(d.Control.Text)), d.Role, MarkdownText(driftSummary(d))))
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\n<details><summary>Drift between nodes of the same role: %s</summary>\n\n%s\n\n</details>\n", plural(len(rows), "more control"), strings.Join(rows, "\n"))
}

// tableNodes is how many nodes a table cell names.
const tableNodes = 5

// nodesOf names a group's nodes, at most limit: "all 62 nodes" when the
// control fails on every node of the report.
func nodesOf(g verdict.ControlGroup, limit, total int) string {
	if total > 2 && len(g.Checks) == total {
		seen := map[string]bool{}
		for _, c := range g.Checks {
			seen[c.Node] = true
		}
		if len(seen) == total && !seen[""] {
			return fmt.Sprintf("all %d nodes", total)
		}
	}
	return g.NodeList(limit)
}

// nodesCell is a list of nodes for a cell: names and "all 62 nodes" or
// "and 42 more" unbroken, breaks only between names.
func nodesCell(list string) string {
	parts := strings.Split(list, ", ")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(nb(p), " ", "\u00a0")
	}
	return strings.Join(parts, ", ")
}

// dateRE is a date as bench-action writes them.
var dateRE = regexp.MustCompile(`\b(\d{4})-(\d\d)-(\d\d)\b`)

// nbDates gives the dates of a line of prose non-breaking hyphens, so
// that none reads "2026-/11-01" at a line break.
func nbDates(s string) string {
	return dateRE.ReplaceAllString(s, "${1}"+nbHyphen+"${2}"+nbHyphen+"${3}")
}
