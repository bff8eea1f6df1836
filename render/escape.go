package render

import (
	"strings"
)

// Text from results and exceptions (descriptions, remediation, reasons,
// owner names) is written by other people: a pull-request author controls
// the exceptions file, and results may come from a fork. Everything such
// text passes through one of the functions below before it reaches Markdown.

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`|`, `\|`, `~`, `\~`, `!`, `\!`,
	`&`, `&amp;`, `<`, `&lt;`, `>`, `&gt;`,
	// No mention pings a user or team and no #123 links an issue: a
	// zero-width space after the sigil breaks the auto-link, as Dependabot does.
	`@`, `@&#8203;`, `#`, `#&#8203;`,
	"\r\n", " ", "\n", " ", "\r", " ", "\t", " ",
)

// MarkdownText escapes s for use inside a Markdown paragraph, list item or
// table cell: no raw HTML (so no hidden-marker forgery and no closing a
// <details>), no emphasis, links or images, no @mention or #123
// cross-reference, no line break that would end the cell or item.
func MarkdownText(s string) string {
	return mdEscaper.Replace(s)
}

// CodeBlock renders s as a fenced code block whose fence is longer than
// any run of backticks in s, so s cannot close it. Inside it nothing is
// interpreted: no HTML, no mention, no link.
func CodeBlock(s string) string {
	fence := strings.Repeat("`", max(3, longestBackticks(s)+1))
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	return fence + "text\n" + s + "\n" + fence + "\n"
}

// CodeSpan renders s as inline code that s cannot close.
func CodeSpan(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	fence := strings.Repeat("`", longestBackticks(s)+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// longestBackticks is the longest run of backticks in s.
func longestBackticks(s string) int {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// MarkerValue makes s safe inside a hidden marker comment (<!-- ... -->):
// only letters, digits and -._/: survive; anything else becomes '_'.
func MarkerValue(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.', c == '_', c == '/', c == ':':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}
