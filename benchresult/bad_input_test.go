package benchresult

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBadInputCatalogue parses every file of testdata/bad. Each is either
// refused with an *InputError naming the file (and the sentinel that fits),
// or, for the few that only look odd (a BOM, CRLF), parsed.
func TestBadInputCatalogue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		ok       bool   // it must parse
		sentinel error  // the error must wrap it
		says     string // the error must contain it
		line     bool   // the error names a line
	}{
		{file: "empty.json", sentinel: ErrNotKubeBench, says: "empty"},
		{file: "whitespace-only.txt", sentinel: ErrNotKubeBench, says: "white space"},
		{file: "truncated-1-at-1.json", says: "truncated", line: true},
		{file: "truncated-2-at-120.json", says: "truncated", line: true},
		{file: "truncated-3-at-2000.json", says: "truncated", line: true},
		{file: "truncated-4-at-16521.json", says: "truncated", line: true},
		{file: "truncated-5-at-33040.json", says: "truncated", line: true},
		{file: "bom-envelope.json", ok: true},
		{file: "crlf-text.txt", ok: true},
		{file: "nul-bytes.json", sentinel: ErrNotKubeBench, says: "NUL"},
		{file: "html-error-page.html", sentinel: ErrNotKubeBench, says: "HTML"},
		{file: "kubectl-error.txt", sentinel: ErrNotKubeBench, says: `looks like plain text, not kube-bench's JSON, JUnit or text output; it starts with "Error from server (NotFound)`},
		{file: "trivy-report.json", sentinel: ErrNotKubeBench, says: "another tool"},
		{file: "kubescape-report.json", sentinel: ErrNotKubeBench, says: "another tool"},
		{file: "wrong-type-status.json", says: "status", line: true},
		{file: "wrong-type-tests.json", says: "tests", line: true},
		{file: "unknown-status.json", says: `unknown status "BROKEN"`},
		{file: "duplicate-ids.json", says: "appears twice"},
		{file: "go-junit-report.xml", sentinel: ErrNotKubeBench, says: "another tool", line: true},
		{file: "pytest-junit.xml", sentinel: ErrNotKubeBench, says: "another tool", line: true},
		{file: "kube-bench-notes.md", sentinel: ErrNotKubeBench, says: "looks like Markdown", line: true},
		{file: "comment-first.md", sentinel: ErrNotKubeBench, says: "looks like Markdown", line: true},
		{file: "kube-bench-job.yaml", sentinel: ErrNotKubeBench, says: "looks like YAML (a Kubernetes manifest?)", line: true},
	}
	listed := map[string]bool{}
	for _, tt := range tests {
		listed[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", "bad", tt.file)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			nr, err := Parse(f, path, Options{})
			if tt.ok {
				if err != nil {
					t.Fatalf("want it parsed: %v", err)
				}
				if len(nr.Checks) == 0 {
					t.Fatal("no checks")
				}
				return
			}
			if err == nil {
				t.Fatalf("parsed as %s with %d checks; want an error", nr.Format, len(nr.Checks))
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Source != path {
				t.Errorf("error %v (%T) is not an *InputError naming %s", err, err, path)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) {
				t.Errorf("message %q does not name %s", msg, path)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %q does not wrap %v", msg, tt.sentinel)
			}
			if !strings.Contains(msg, tt.says) {
				t.Errorf("message %q does not say %q", msg, tt.says)
			}
			if tt.line && ie != nil && ie.Line == 0 {
				t.Errorf("message %q names no line", msg)
			}
			if strings.Contains(msg, "\n") && !strings.Contains(tt.file, "duplicate") && !strings.Contains(tt.file, "unknown") {
				t.Errorf("message is not one line: %q", msg)
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "bad", "*"))
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s has no case in the catalogue", f)
		}
	}
}

var brackets = bytes.Repeat([]byte{'['}, 64<<10)

// bracketReader yields n bytes of '[' without holding them in memory.
type bracketReader struct{ left int64 }

func (r *bracketReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > r.left {
		n = r.left
	}
	for done := int64(0); done < n; {
		done += int64(copy(p[done:n], brackets))
	}
	r.left -= n
	return int(n), nil
}

func TestHugeInputs(t *testing.T) {
	t.Parallel()
	const mb = 1 << 20
	tests := []struct {
		name     string
		size     int64
		opts     Options
		sentinel error
		says     string
	}{
		{name: "100 MB of [ over the 64 MiB limit", size: 100 * mb, opts: Options{MaxBytes: 64 * mb}, sentinel: ErrTooLarge, says: "more than 67108864 bytes"},
		{name: "20 MB of [ under the limit: nesting too deep", size: 20 * mb, opts: Options{}, says: "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			begin := time.Now()
			_, err := Parse(&bracketReader{left: tt.size}, "huge.json", tt.opts)
			took := time.Since(begin)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not wrap %v", err, tt.sentinel)
			}
			if !strings.Contains(err.Error(), "huge.json") || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not name huge.json and say %q", err, tt.says)
			}
			if took > 10*time.Second { // about 0.5 s plain, 3 s under -race
				t.Errorf("took %v; want it to fail fast", took)
			}
			t.Logf("%v in %v", err, took)
		})
	}
}
