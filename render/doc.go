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
// exception changes of a pull request and a trend chart.
//
// # Annotations, tracking issues and markers
//
// [Annotations] lists the workflow annotations of a verdict, most severe
// first, capped per level ([MaxAnnotations] is the default cap).
// [TrackingIssues] gives one [TrackingIssue] per owner. Bodies start with a
// hidden marker ([CommentMarker], [IssueMarkerPrefix]) by which a publisher
// finds them again, and [SameBody] compares two bodies ignoring the run link.
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
