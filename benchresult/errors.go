package benchresult

import (
	"errors"
	"fmt"
)

// ErrNotKubeBench is wrapped by every error that says an input is not
// kube-bench output at all (empty, an HTML page, another tool's report).
var ErrNotKubeBench = errors.New("not kube-bench output")

// ErrTooLarge is wrapped when an input exceeds a size limit of [Options].
var ErrTooLarge = errors.New("input too large")

// InputError is an error about one input: it names the input and, where it
// is known, the line (1-based). Every parse error is one.
type InputError struct {
	Source string // the path or name of the input
	Line   int    // 0 when unknown
	Err    error
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("read %s: line %d: %v", e.Source, e.Line, e.Err)
	}
	return fmt.Sprintf("read %s: %v", e.Source, e.Err)
}

func (e *InputError) Unwrap() error { return e.Err }

// notKubeBench is the error for an input that is some other document:
// what it looks like ("Markdown", "YAML (a Kubernetes manifest?)", "plain
// text") and how it starts.
func notKubeBench(looks string, start []byte) error {
	if len(start) > 80 {
		start = append(start[:77:77], "..."...)
	}
	return fmt.Errorf("%w: it looks like %s, not kube-bench's JSON, JUnit or text output; it starts with %q", ErrNotKubeBench, looks, start)
}

func inputErr(source string, line int, format string, args ...any) error {
	return &InputError{Source: source, Line: line, Err: fmt.Errorf(format, args...)}
}
