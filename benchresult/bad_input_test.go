package benchresult

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// node14 is kube-bench's totals of the node output the pastes are made of.
var node14 = Totals{Pass: 14, Fail: 5, Warn: 5}

// TestBadInputCatalogue parses every file of testdata/bad. Each is either
// refused with an *InputError naming the file (and the sentinel that fits),
// or, for the few that only look odd (a BOM, CRLF), parsed.
func TestBadInputCatalogue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		ok       bool   // it must parse
		totals   Totals // and give kube-bench's totals (when ok, not zero)
		summary  bool   // and be SummaryOnly
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
		// Pastes of the real v0.14.1 node output (testdata/kube-bench/
		// v0.14.1-cis-1.10-insecure-node-kubectl-logs-text.log, 14 PASS,
		// 5 FAIL, 5 WARN), read with kube-bench's totals.
		{file: "paste-trailing-blanks.txt", ok: true, totals: node14},
		{file: "paste-colour.txt", ok: true, totals: node14},
		{file: "paste-cr-bom.txt", ok: true, totals: node14},
		{file: "paste-indented-prompt.txt", ok: true, totals: node14},
		{file: "paste-fenced.md", ok: true, totals: node14},
		{file: "paste-wrapped-80.txt", ok: true, totals: node14},
		{file: "paste-v0.4-headings.txt", ok: true, totals: node14},
		{file: "summary-only.txt", ok: true, totals: node14, summary: true},
		{file: "summary-only-log-tail.txt", ok: true, totals: node14, summary: true},
		// Pastes that cannot be read without guessing.
		{file: "paste-summary-cut.txt", says: "the summary of target node has 2 of its 4 count lines; expected \"<n> checks PASS\"", line: true},
		{file: "paste-joined-lines.txt", says: "two kube-bench results in one line", line: true},
		{file: "paste-start-cut.txt", says: "[FAIL] 4.2.1 outside of a target", line: true},
		// Inputs whose own totals disagree with their results.
		{file: "totals-disagree-fixture.json", says: `the input disagrees with itself: its "Totals" says 49 PASS, 12 FAIL, 14 WARN, 0 INFO but its results count 2 PASS, 0 FAIL, 1 WARN, 0 INFO`, line: true},
		{file: "totals-disagree-array.json", says: "the input disagrees with itself: the total_pass, total_fail, total_warn and total_info of target node says 0 PASS, 2 FAIL", line: true},
		{file: "totals-disagree-text.txt", says: `the input disagrees with itself: "== Summary total ==" says 14 PASS, 5 FAIL, 5 WARN, 0 INFO but its results count 13 PASS`, line: true},
		{file: "totals-disagree-junit.xml", says: `the input disagrees with itself: testsuite "Worker Node Security Configuration" says tests=24, failures=5 but its results count 1 testcase, 1 of them failed`, line: true},
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
				if tt.summary != (nr.Coverage == SummaryOnly) || !tt.summary && (len(nr.Checks) == 0 || nr.Coverage != Complete) {
					t.Fatalf("%d checks, coverage %s; want summary-only %v", len(nr.Checks), nr.Coverage, tt.summary)
				}
				if tt.totals != (Totals{}) && nr.Totals != tt.totals {
					t.Errorf("totals %+v, want kube-bench's %+v", nr.Totals, tt.totals)
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

// hugeInputs are inputs far bigger than any kube-bench output.
var hugeInputs = []struct {
	name     string
	size     int64
	opts     Options
	sentinel error
	says     string
}{
	{name: "100 MB of [ over the 64 MiB limit", size: 100 << 20, opts: Options{MaxBytes: 64 << 20}, sentinel: ErrTooLarge, says: "more than 67108864 bytes"},
	{name: "20 MB of [ under the limit: nesting too deep", size: 20 << 20, opts: Options{}, says: "invalid JSON"},
}

// TestHugeInputs: a huge input fails with an error naming it, after work
// bounded by the limit, not by the input: Parse reads at most one chunk
// (1 MiB) past the limit, and allocates at most three times what it read
// (today: about once for an input over the limit, twice for one under it).
// Both are counts, the same on every machine; timing is
// BenchmarkParseHugeInputs.
func TestHugeInputs(t *testing.T) { // not parallel: the allocation count is the whole process's
	for _, tt := range hugeInputs {
		t.Run(tt.name, func(t *testing.T) {
			r := &bracketReader{left: tt.size}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Parse(r, "huge.json", tt.opts)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not wrap %v", err, tt.sentinel)
			}
			if !strings.Contains(err.Error(), "huge.json") || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not name huge.json and say %q", err, tt.says)
			}
			read, alloc := tt.size-r.left, after.TotalAlloc-before.TotalAlloc
			if limit := min(tt.size, tt.opts.maxBytes()) + 1<<20; read > limit {
				t.Errorf("read %d bytes, want at most %d (the limit or the input, and one chunk)", read, limit)
			}
			if alloc > 3*uint64(read) {
				t.Errorf("allocated %d bytes for %d read, want at most three times", alloc, read)
			}
			t.Logf("%v: read %d bytes, allocated %d", err, read, alloc)
		})
	}
}

// BenchmarkParseHugeInputs times what TestHugeInputs bounds:
// go test -run '^$' -bench HugeInputs -benchmem ./benchresult/
func BenchmarkParseHugeInputs(b *testing.B) {
	for _, tt := range hugeInputs {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(tt.size)
			for b.Loop() {
				if _, err := Parse(&bracketReader{left: tt.size}, "huge.json", tt.opts); err == nil {
					b.Fatal("no error")
				}
			}
		})
	}
}
