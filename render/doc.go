// Package render writes reports and verdicts for people: plain text for a
// terminal or a CI log, JSON for tools, Markdown for a pull-request comment,
// a job summary or an issue body, and workflow annotations. It reads no
// environment and imports no GitHub client; JUnit XML and SARIF are in their
// own packages (render/junit, render/sarif) so that only their users pay for
// their libraries.
//
// # Reports and verdicts
//
// A report (what kube-bench found) is written by [WriteReportText],
// [WriteReportJSON] and [WriteReportMarkdown]; a verdict (what the gate
// decided) by [WriteText], [WriteJSON] and [WriteMarkdown]. The output
// depends only on its input: the same verdict gives the same bytes.
//
// # Markdown within a limit
//
// GitHub caps comment and issue bodies at [MaxBodyRunes]. [MarkdownWithin]
// lowers the [Detail] of the Markdown step by step until the body fits, and
// says which detail it used; [MarkdownOptions] carry the run link, the
// exception changes of a pull request, a trend chart, [Links] to the
// repository's files, and a WhereSet function that says where each new FAIL
// is set.
//
// # What a reviewer reads first
//
// The verdict's Markdown starts with a headline that names what the pull
// request broke ("New FAIL: 1.2.15 `--profiling` not false on cp-1
// (platform-team)", "3 new FAILs, worst: 1.2.1 anonymous API server
// access"), one line of counts in controls (nodes in brackets, zeros left
// out), then the fix of each new FAIL, open: the concrete change [Fix]
// derives from the catalog (a flag and its value, a kubelet config key, a
// file mode or owner) and kube-bench's remediation cleaned by
// [RemediationMarkdown]. Persisting, fixed and accepted FAILs, exceptions
// needing attention and drift not already listed follow collapsed; FAILs
// kube-bench could not check are a collection problem of their own. In the
// pull-request comment ([MarkdownOptions].Comment) exceptions that accept
// nothing are listed only when the pull request changes the exceptions
// file. Table cells keep dates, owners, nodes and flags unbroken with
// non-breaking hyphens (U+2011).
//
// # Annotations, tracking issues and markers
//
// [Annotations] lists the workflow annotations of a verdict, most severe
// first, capped per level ([MaxAnnotations] is the default cap).
// [TrackingIssuesWith] gives one [TrackingIssue] per owner: a checklist
// of its controls with nodes, "failing since" ([IssueOptions]) and fix,
// links to its lines of the exceptions file, and its assignees. Bodies
// start with a hidden marker ([CommentMarker], [IssueMarkerPrefix]) by
// which a publisher finds them again, and [SameBody] compares two bodies
// ignoring the run link and ticked boxes.
//
// # Where a FAIL is set
//
// For findings traced to the configuration files (`gate --configs`,
// [verdict.Finding.Where]), annotations carry the file and line,
// [WhereSet] and [WhereSetMarkdown] say in one line what the line sets and
// what fixes it, [ReviewSuggestions] gives the review comments with GitHub
// suggested-change blocks for the new FAILs on lines a pull request changed
// (with [ReviewMarkerPrefix] and [ReviewBody]), and [WriteReportLocations]
// appends the locations to a report.
//
// # Escaping
//
// Text from kube-bench output and exceptions files is untrusted: [LogText]
// neutralises workflow commands in a log line, [MarkdownText] and
// [CodeBlock] escape Markdown, [XMLText] drops what XML cannot carry, and
// [LogSafeJSON] and [LogSafeXML] make a whole document safe to print.
//
// # Example
//
//	v := verdict.Evaluate(report, verdict.Config{FailOn: verdict.FailOnNew})
//	if err := render.WriteMarkdown(os.Stdout, v, render.MarkdownOptions{}); err != nil {
//		return err
//	}
package render
