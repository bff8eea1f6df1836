package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Text from results and exceptions (descriptions, remediation, reasons,
// owner names) is written by other people: a pull-request author controls
// the exceptions file, and results may come from a fork. Everything such
// text passes through one of the functions below before it reaches Markdown
// or a CI log.

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`|`, `\|`, `~`, `\~`, `!`, `\!`,
	`&`, `&amp;`, `<`, `&lt;`, `>`, `&gt;`,
	// No mention pings a user or team and no #123 links an issue: a
	// zero-width space after the sigil breaks the auto-link, as Dependabot does.
	`@`, `@&#8203;`, `#`, `#&#8203;`,
	"\r\n", " ", "\n", " ", "\r", " ", "\t", " ",
	// Line breaks for some readers (see [LogText]) end no cell either.
	"\v", " ", "\f", " ", "\u0085", " ", "\u2028", " ", "\u2029", " ",
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

// codeSpan renders s as inline code that s cannot close.
func codeSpan(s string) string {
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

// markerValue makes s safe inside a hidden marker comment (<!-- ... -->):
// only letters, digits and -._/: survive; anything else becomes '_'.
func markerValue(s string) string {
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

// LogText returns s as it can be printed in a CI log without the GitHub
// Actions runner taking any of its lines for a workflow command, and still
// reads as s:
//
//   - Every line break becomes "\n": "\r\n" and a lone "\r" (where the
//     runner ends a line), and "\v", "\f", U+0085, U+2028 and U+2029 (where
//     some log viewers do).
//   - Control characters other than tab and line breaks, and invisible
//     format characters (U+200B, U+00AD, U+FEFF, bidirectional controls,
//     variation selectors, the other default-ignorable code points) are
//     dropped.
//   - A line that starts with "::" after its leading white space (the
//     runner's "::command::" form) gets a backslash before it: "\::error::".
//   - "##[" anywhere (the runner's legacy "##[command]" form) becomes "##\[".
//
// A zero-width character is not enough to break "::" or "##[": the runner
// compares with .NET's culture-sensitive StartsWith and IndexOf, which
// under ICU skip characters of no collation weight, so the break is a
// visible backslash and the invisible characters go.
//
// The text and Markdown renderers pass their whole output through LogText;
// it changes nothing of a line that is already safe. JSON, JUnit and SARIF
// keep the text as it is, escaped the same way in the document's own syntax
// (see [LogSafeJSON] and [LogSafeXML]).
func LogText(s string) string {
	if logTextClean(s) {
		return s
	}
	s = logLines(s)
	if !strings.Contains(s, "::") && !strings.Contains(s, "##[") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if rest := strings.TrimLeftFunc(l, unicode.IsSpace); strings.HasPrefix(rest, "::") {
			l = l[:len(l)-len(rest)] + `\` + rest
		}
		lines[i] = strings.ReplaceAll(l, "##[", `##\[`)
	}
	return strings.Join(lines, "\n")
}

// logLines is the first step of [LogText]: every line break "\n", the
// controls and invisible characters dropped, bytes that are not UTF-8
// U+FFFD.
func logLines(s string) string {
	var b strings.Builder
	start := 0 // s[start:i] is kept as it is
	flush := func(i int) {
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[start:i])
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != 0x7f || c == '\t' || c == '\n' {
				i++
				continue
			}
			flush(i)
			i++
			switch c {
			case '\r':
				if i < len(s) && s[i] == '\n' {
					i++
				}
				b.WriteByte('\n')
			case '\v', '\f':
				b.WriteByte('\n')
			}
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			flush(i)
			b.WriteRune(utf8.RuneError)
		case logBreak(r):
			flush(i)
			b.WriteByte('\n')
		case logInvisible(r):
			flush(i)
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	if start == 0 {
		return s
	}
	b.WriteString(s[start:])
	return b.String()
}

// logTextClean reports whether LogText has nothing to change in s.
func logTextClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c == 0x7f || c < 0x20 && c != '\t' && c != '\n' {
			return false
		}
	}
	return !strings.Contains(s, "::") && !strings.Contains(s, "##[")
}

// logBreak reports whether r ends a line for the runner or a log viewer
// ("\r" aside, which may start a "\r\n").
func logBreak(r rune) bool {
	switch r {
	case '\n', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// logInvisible reports whether r is a control or an invisible format
// character: one that ICU's collation may skip, so that the runner sees
// through it, and that a person does not see.
func logInvisible(r rune) bool {
	return unicode.IsControl(r) && r != '\t' ||
		unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// writeLogSafe renders into a buffer and writes the result through
// [LogText]: the text and Markdown renderers call it so that no field,
// and no concatenation of fields, escapes the neutralisation.
func writeLogSafe(w io.Writer, render func(io.Writer) error) error {
	var b strings.Builder
	if err := render(&b); err != nil {
		return err
	}
	_, err := io.WriteString(w, LogText(b.String()))
	return err
}

// LogSafeJSON escapes, in a JSON document, what [LogText] would change,
// the JSON way so that the document still decodes to the same values:
// line breaks for log viewers (U+0085; encoding/json escapes U+2028 and
// U+2029 itself), DEL and C1 controls and invisible format characters as
// \uXXXX, and the "[" of "##[" as \u005b. Outside strings a JSON document
// holds only ASCII punctuation, digits, letters and white space, and never
// "#", so every change falls inside a string. Pretty-printed, no line of
// it starts with "::": each starts with a quote, a bracket, a brace, a
// digit or a literal.
func LogSafeJSON(doc []byte) []byte {
	if !needsLogEscape(doc) {
		return doc
	}
	var b bytes.Buffer
	b.Grow(len(doc) + 64)
	for i := 0; i < len(doc); {
		c := doc[i]
		if c == '[' && i >= 2 && doc[i-1] == '#' && doc[i-2] == '#' {
			b.WriteString(`\u005b`)
			i++
			continue
		}
		if c < utf8.RuneSelf && c != 0x7f {
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(doc[i:])
		if r != utf8.RuneError && (logBreak(r) || logInvisible(r)) {
			if r1, r2 := utf16.EncodeRune(r); r1 != unicode.ReplacementChar {
				fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		} else {
			b.Write(doc[i : i+size])
		}
		i += size
	}
	return b.Bytes()
}

// LogSafeXML does for an XML document written by encoding/xml what
// [LogSafeJSON] does for JSON, with character references: DEL, C1
// controls, invisible format characters and line breaks for log viewers
// become &#x...;, and the "[" of "##[" &#x5B;. encoding/xml already writes
// a newline or carriage return of an attribute or of character data as
// &#xA; or &#xD;, but a CDATA section (the body of a JUnit failure) as it
// is, one line of the log per line of the text. So inside CDATA such a
// character closes the section, is written as a reference, and opens a new
// one ("]]>&#xA;<![CDATA["); that is done for every "\r" (which a parser
// would otherwise read as "\n") and for a "\n" before a line that starts
// with "::". A parser reads the same text back.
func LogSafeXML(doc []byte) []byte {
	const open, end = "<![CDATA[", "]]>"
	if !needsLogEscape(doc) && !bytes.ContainsRune(doc, '\r') && !bytes.Contains(doc, []byte("::")) {
		return doc
	}
	var b bytes.Buffer
	b.Grow(len(doc) + 64)
	inCDATA := false
	for i := 0; i < len(doc); {
		switch {
		case !inCDATA && bytes.HasPrefix(doc[i:], []byte(open)):
			b.WriteString(open)
			i += len(open)
			inCDATA = true
			continue
		case inCDATA && bytes.HasPrefix(doc[i:], []byte(end)):
			b.WriteString(end)
			i += len(end)
			inCDATA = false
			continue
		}
		r, size := utf8.DecodeRune(doc[i:])
		var escape bool
		switch {
		case r == '[':
			escape = bytes.HasSuffix(b.Bytes(), []byte("##"))
		case r == '\r' || r == '\n':
			// Outside CDATA, encoding/xml's own indentation.
			escape = inCDATA && (r == '\r' || startsCommand(doc[i+1:]))
		case r == '\t' || r == utf8.RuneError:
		default:
			escape = logBreak(r) || logInvisible(r)
		}
		switch {
		case !escape:
			b.Write(doc[i : i+size])
		case inCDATA:
			fmt.Fprintf(&b, "%s&#x%X;%s", end, r, open)
		default:
			fmt.Fprintf(&b, "&#x%X;", r)
		}
		i += size
	}
	return b.Bytes()
}

// startsCommand reports whether a line whose text is line starts with "::"
// once the white space that [LogSafeXML] leaves as it is is skipped.
func startsCommand(line []byte) bool {
	for len(line) > 0 {
		r, size := utf8.DecodeRune(line)
		if !unicode.IsSpace(r) || r == '\r' || r == '\n' || logBreak(r) {
			break
		}
		line = line[size:]
	}
	return bytes.HasPrefix(line, []byte("::"))
}

// needsLogEscape reports whether doc holds a byte that is not printable
// ASCII or white space, or "##[".
func needsLogEscape(doc []byte) bool {
	for _, c := range doc {
		if c >= utf8.RuneSelf || c == 0x7f || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return bytes.Contains(doc, []byte("##["))
}

// XMLText returns s with every character that XML 1.0 does not allow (NUL,
// ESC and the other C0 controls except tab, newline and carriage return;
// surrogates; U+FFFE and U+FFFF; bytes that are not UTF-8) replaced by
// U+FFFD. encoding/xml escapes markup in attributes and text, but writes
// CDATA sections (the body of a JUnit failure) as they are.
func XMLText(s string) string {
	clean := true
	for _, r := range s {
		if !xmlChar(r) || r == '\uFFFD' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return '\uFFFD'
	}, s)
}

// xmlChar reports whether r is a Char of XML 1.0 (§2.2).
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
