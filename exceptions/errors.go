package exceptions

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with an exceptions file.
type Problem struct {
	Line    int    // 1-based; 0 when it concerns the whole file
	Field   string // the field concerned ("review_date"), or "" for the entry or the file
	Message string // lower case, without the file and line
}

// ValidationError lists every problem found in one exceptions file.
// [Parse] and [LoadFile] return it for any problem with the content.
type ValidationError struct {
	Source   string
	Problems []Problem // ordered by line
}

// maxShown caps the lines of ValidationError.Error.
const maxShown = 200

// Error prints one line per problem, "file:line: message" ("file: message"
// for problems of the whole file).
func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i == maxShown {
			fmt.Fprintf(&b, "\n%s: %d more problems not shown", e.Source, len(e.Problems)-maxShown)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Source)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
		b.WriteString(p.Message)
	}
	if len(e.Problems) == 0 {
		fmt.Fprintf(&b, "%s: invalid exceptions file", e.Source)
	}
	return b.String()
}
