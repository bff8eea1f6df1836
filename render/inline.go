package render

// inline is how a line that is both Markdown (the PR comment) and plain
// text (a CI log) writes its pieces: text from results and exceptions,
// code (a flag, a file name), and dates.
type inline struct {
	text, code, date func(string) string
}

var (
	// markdownInline escapes text, puts code in code spans and keeps
	// dates whole with non-breaking hyphens.
	markdownInline = inline{text: MarkdownText, code: codeSpan, date: nbDates}
	// plainInline is for a CI log: text on one line, code as it is
	// ([LogText] makes the whole output safe for the runner).
	plainInline = inline{text: OneLine, code: OneLine, date: OneLine}
)
