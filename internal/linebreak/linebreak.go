// Package linebreak finds the characters YAML reads as a line break that
// git, editors and GitHub do not count as one. yaml.v3 (like libyaml)
// starts a new line at a lone carriage return, NEL (U+0085) and the
// Unicode line and paragraph separators (U+2028, U+2029); a line number
// it gives after one of them names the wrong line of the file as a
// person, a diff or an annotation sees it, and an edit made at that line
// changes the wrong text. Packages that name or edit lines of a YAML file
// refuse such a file with the line this package gives.
package linebreak

import "bytes"

// Why is what a refusal says after the character Foreign found: "a
// carriage return without a line feed, " + Why.
const Why = "which YAML reads as a line break and GitHub does not; replace it with a line feed"

// Foreign returns the first line break of data that is not a line feed
// (CR LF counts as one line feed): the number of its line, counted by
// line feeds from 1, and what it is ("a carriage return without a line
// feed"). ok is false when data has none.
func Foreign(data []byte) (line int, what string, ok bool) {
	line = 1
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '\n':
			line++
		case c == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			return line, "a carriage return without a line feed", true
		case c == 0xC2 && bytes.HasPrefix(data[i:], []byte("\u0085")):
			return line, "a next-line character (U+0085)", true
		case c == 0xE2 && bytes.HasPrefix(data[i:], []byte("\u2028")):
			return line, "a line separator (U+2028)", true
		case c == 0xE2 && bytes.HasPrefix(data[i:], []byte("\u2029")):
			return line, "a paragraph separator (U+2029)", true
		}
	}
	return 0, "", false
}
