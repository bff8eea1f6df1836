package exceptions

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var today = Date{2026, time.November, 26}

func TestParseSeedFile(t *testing.T) {
	t.Parallel()
	f, err := LoadFile("testdata/seed.yaml", ParseOptions{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	want := &File{Source: "testdata/seed.yaml", Exceptions: []Exception{
		{
			CheckID: "1.2.11", CheckDescription: "AlwaysPullImages admission plugin",
			Reason: "Multi-tenant clusters require this; enabling causes issues with air-gapped nodes",
			Owner:  "platform-team", ReviewDate: Date{2026, time.November, 1}, RiskAcceptedBy: "security-eng",
			Source: "testdata/seed.yaml", Line: 3,
		},
		{
			CheckID: "4.2.12", CheckDescription: "Ensure that the RotateKubeletServerCertificate argument is set to true",
			Reason: "Not yet supported by our managed node group upgrade process; tracked in INFRA-4821",
			Owner:  "infrastructure-team", ReviewDate: Date{2026, time.August, 1}, RiskAcceptedBy: "ciso",
			Source: "testdata/seed.yaml", Line: 9,
		},
	}}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("LoadFile(seed) mismatch (-want +got):\n%s", diff)
	}
}

func TestParseFullFormat(t *testing.T) {
	t.Parallel()
	src := `exceptions:
  - check_id: 1.2.*          # unquoted ids are read as written
    benchmark: "cis-1.*"
    nodes: ["master-*", cp-1]
    clusters:
      - prod-*
    reason: |
      two lines
      of reason
    owner: platform-team
    review_date: 2027-01-31   # unquoted: a YAML timestamp, read as written
    risk_accepted_by: ciso
  - check_id: 7.10
    reason: r
    owner: o
    review_date: "2026-12-01"
    risk_accepted_by: ciso
owners:
  - checks: ["1.*", 2.1]
    owner: platform-team
  - checks: ["4.*"]
    owner: infrastructure-team
`
	f, err := Parse([]byte(src), "x.yaml", ParseOptions{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	want := &File{Source: "x.yaml",
		Exceptions: []Exception{
			{CheckID: "1.2.*", Benchmark: "cis-1.*", Nodes: []string{"master-*", "cp-1"}, Clusters: []string{"prod-*"},
				Reason: "two lines\nof reason", Owner: "platform-team", ReviewDate: Date{2027, 1, 31}, RiskAcceptedBy: "ciso",
				Source: "x.yaml", Line: 2},
			{CheckID: "7.10", Reason: "r", Owner: "o", ReviewDate: Date{2026, 12, 1}, RiskAcceptedBy: "ciso", Source: "x.yaml", Line: 13},
		},
		Owners: []OwnerRule{
			{Checks: []string{"1.*", "2.1"}, Owner: "platform-team", Line: 19},
			{Checks: []string{"4.*"}, Owner: "infrastructure-team", Line: 21},
		},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
}

// entry is a valid exception entry to build malformed files from.
const entry = `  - check_id: "1.2.11"
    reason: "r"
    owner: "o"
    review_date: "2026-12-01"
    risk_accepted_by: "ciso"
`

type wantProblem struct {
	line int
	frag string // must appear in the message
}

func TestParseProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want []wantProblem
		opts ParseOptions
	}{
		{"typo in a field name", "exceptions:\n" + strings.Replace(entry, "review_date", "reveiw_date", 1),
			probs(wantProblem{2, `missing review_date`}, wantProblem{5, `unknown field "reveiw_date" (did you mean "review_date"?)`}), ParseOptions{}},
		{"missing owner", "exceptions:\n" + drop(entry, "owner"), probs(wantProblem{2, `exception 1 (check_id "1.2.11"): missing owner`}), ParseOptions{}},
		{"missing reason", "exceptions:\n" + drop(entry, "reason"), probs(wantProblem{2, "missing reason"}), ParseOptions{}},
		{"missing risk_accepted_by", "exceptions:\n" + drop(entry, "risk_accepted_by"), probs(wantProblem{2, "missing risk_accepted_by"}), ParseOptions{}},
		{"missing review_date", "exceptions:\n" + drop(entry, "review_date"), probs(wantProblem{2, "missing review_date"}), ParseOptions{}},
		{"missing check_id", "exceptions:\n  - reason: r\n    owner: o\n    review_date: 2026-12-01\n    risk_accepted_by: c\n", probs(wantProblem{2, "exception 1: missing check_id"}), ParseOptions{}},
		{"slashes in a date", "exceptions:\n" + strings.Replace(entry, "2026-12-01", "2026/12/01", 1), probs(wantProblem{5, `review_date "2026/12/01" is not a date in the form YYYY-MM-DD`}), ParseOptions{}},
		{"short year", "exceptions:\n" + strings.Replace(entry, "2026-12-01", "26-12-01", 1), probs(wantProblem{5, "not a date in the form YYYY-MM-DD"}), ParseOptions{}},
		{"a timestamp", "exceptions:\n" + strings.Replace(entry, `"2026-12-01"`, "2026-12-01T10:00:00Z", 1), probs(wantProblem{5, "not a date in the form YYYY-MM-DD"}), ParseOptions{}},
		{"february 30", "exceptions:\n" + strings.Replace(entry, "2026-12-01", "2026-02-30", 1), probs(wantProblem{5, `"2026-02-30": February 2026 has no day 30`}), ParseOptions{}},
		{"february 29 of a common year", "exceptions:\n" + strings.Replace(entry, "2026-12-01", "2027-02-29", 1), probs(wantProblem{5, "has no day 29"}), ParseOptions{}},
		{"month 13", "exceptions:\n" + strings.Replace(entry, "2026-12-01", "2026-13-01", 1), probs(wantProblem{5, "there is no month 13"}), ParseOptions{}},
		{"date as a number", "exceptions:\n" + strings.Replace(entry, `"2026-12-01"`, "20261201", 1), probs(wantProblem{5, "review_date must be a date YYYY-MM-DD, not a number"}), ParseOptions{}},
		{"50 years ahead", "exceptions:\n" + strings.Replace(entry, "2026-12-01", "2076-12-01", 1), probs(wantProblem{5, "review_date 2076-12-01 is more than 3 years after 2026-11-26"}), ParseOptions{}},
		{"custom horizon", "exceptions:\n" + strings.Replace(entry, "2026-12-01", "2028-01-01", 1), probs(wantProblem{5, "more than 1 years after"}), ParseOptions{MaxReviewYears: 1}},
		{"duplicate exception", "exceptions:\n" + entry + entry, probs(wantProblem{7, `exception 2 (check_id "1.2.11"): duplicate of the exception at line 2`}), ParseOptions{}},
		{"duplicate with the same scope written differently",
			"exceptions:\n" + entry + "    nodes: [a, b]\n" + entry + "    nodes: [b, a]\n", probs(wantProblem{8, "duplicate of the exception at line 2"}), ParseOptions{}},
		{"empty owner", "exceptions:\n" + strings.Replace(entry, `owner: "o"`, `owner: ""`, 1), probs(wantProblem{4, "owner is empty"}), ParseOptions{}},
		{"blank reason", "exceptions:\n" + strings.Replace(entry, `reason: "r"`, `reason: "   "`, 1), probs(wantProblem{3, "reason is empty"}), ParseOptions{}},
		{"null owner", "exceptions:\n" + strings.Replace(entry, `owner: "o"`, `owner:`, 1), probs(wantProblem{4, "owner is empty"}), ParseOptions{}},
		{"owner as a number", "exceptions:\n" + strings.Replace(entry, `owner: "o"`, `owner: 42`, 1), probs(wantProblem{4, "owner must be a string, not a number"}), ParseOptions{}},
		{"owner as a list", "exceptions:\n" + strings.Replace(entry, `owner: "o"`, `owner: [a, b]`, 1), probs(wantProblem{4, "owner must be a string, not a list"}), ParseOptions{}},
		{"owner as a boolean", "exceptions:\n" + strings.Replace(entry, `owner: "o"`, `owner: true`, 1), probs(wantProblem{4, "owner must be a string, not a boolean"}), ParseOptions{}},
		{"owner on two lines", "exceptions:\n" + strings.Replace(entry, `owner: "o"`, `owner: "a\nb"`, 1), probs(wantProblem{4, "owner must be one line"}), ParseOptions{}},
		{"duplicate key", "exceptions:\n" + strings.Replace(entry, `owner: "o"`, "owner: \"o\"\n    owner: \"p\"", 1), probs(wantProblem{5, `duplicate key "owner" (first at line 4)`}), ParseOptions{}},
		{"tab indentation", "exceptions:\n" + strings.Replace(entry, "    owner", "\towner", 1), probs(wantProblem{4, "invalid yaml: found character that cannot start any token"}), ParseOptions{}},
		{"unclosed quote", "exceptions:\n" + strings.Replace(entry, `"r"`, `"r`, 1), probs(wantProblem{1, "invalid yaml"}), ParseOptions{}},
		{"lone carriage return", "exceptions:\n" + strings.Replace(entry, "    owner", "\r    owner", 1), probs(wantProblem{4, "a carriage return without a line feed, which YAML reads as a line break and GitHub does not"}), ParseOptions{}},
		{"line separator in a reason", "exceptions:\n" + strings.Replace(entry, `"r"`, "\"r\u2028s\"", 1), probs(wantProblem{3, "a line separator (U+2028)"}), ParseOptions{}},
		{"anchor and alias", "exceptions:\n  - &e\n    check_id: \"1.2.11\"\n    reason: r\n    owner: o\n    review_date: 2026-12-01\n    risk_accepted_by: c\n  - *e\n",
			probs(wantProblem{2, "yaml anchors are not allowed (&e)"}, wantProblem{8, "yaml aliases are not allowed (*e)"}), ParseOptions{}},
		{"wildcard everything", "exceptions:\n" + strings.Replace(entry, `"1.2.11"`, `"*"`, 1), probs(wantProblem{2, `"*" would cover every check`}), ParseOptions{}},
		{"wildcard in the middle", "exceptions:\n" + strings.Replace(entry, `"1.2.11"`, `"1.*.3"`, 1), probs(wantProblem{2, `"1.*.3" is not a check id`}), ParseOptions{}},
		{"wildcard without a dot", "exceptions:\n" + strings.Replace(entry, `"1.2.11"`, `"1.2*"`, 1), probs(wantProblem{2, `"1.2*" is not a check id`}), ParseOptions{}},
		{"id with spaces", "exceptions:\n" + strings.Replace(entry, `"1.2.11"`, `"1.2 11"`, 1), probs(wantProblem{2, "is not a check id"}), ParseOptions{}},
		{"misspelt target", "exceptions:\n" + entry + "    target: nodes\n", probs(wantProblem{7, `target "nodes" is not a kube-bench target (did you mean "node"?)`}), ParseOptions{}},
		{"unknown target", "exceptions:\n" + entry + "    target: kubernetes\n", probs(wantProblem{7, `target "kubernetes" is not a kube-bench target (one of master, etcd`}), ParseOptions{}},
		{"empty target", "exceptions:\n" + entry + "    target: \"\"\n", probs(wantProblem{7, `target is empty`}), ParseOptions{}},
		{"bad node glob", "exceptions:\n" + entry + "    nodes: [\"worker-[\"]\n", probs(wantProblem{7, `nodes: "worker-[" is not a valid glob`}), ParseOptions{}},
		{"bad cluster glob", "exceptions:\n" + entry + "    clusters: [\"[\"]\n", probs(wantProblem{7, `clusters: "[" is not a valid glob`}), ParseOptions{}},
		{"bad benchmark glob", "exceptions:\n" + entry + "    benchmark: \"cis-[\"\n", probs(wantProblem{7, `benchmark "cis-[" is not a valid glob`}), ParseOptions{}},
		{"nodes as a string", "exceptions:\n" + entry + "    nodes: worker-1\n", probs(wantProblem{7, "nodes must be a list of globs, not a string"}), ParseOptions{}},
		{"empty nodes", "exceptions:\n" + entry + "    nodes: []\n", probs(wantProblem{7, "nodes is an empty list"}), ParseOptions{}},
		{"exceptions as a mapping", "exceptions:\n  a: b\n", probs(wantProblem{2, "exceptions must be a list, not a mapping"}), ParseOptions{}},
		{"exception as a string", "exceptions:\n  - 1.2.11\n", probs(wantProblem{2, "exception 1 must be a mapping of fields, not a string"}), ParseOptions{}},
		{"unknown top-level key", "exceptions:\n" + entry + "owner:\n  - x\n", probs(wantProblem{7, `the file: unknown field "owner" (did you mean "owners"?)`}), ParseOptions{}},
		{"neither list", "version: 1\n", probs(wantProblem{1, `unknown field "version"`}, wantProblem{1, "no exceptions: or owners: in the file"}), ParseOptions{}},
		{"empty file", "", probs(wantProblem{0, "the file is empty"}), ParseOptions{}},
		{"comments only", "# nothing\n", probs(wantProblem{0, "the file is empty"}), ParseOptions{}},
		{"a list at the top", "- check_id: 1\n", probs(wantProblem{1, "the file must be a mapping"}), ParseOptions{}},
		{"two documents", "exceptions:\n" + entry + "---\nowners: []\n", probs(wantProblem{7, "a second yaml document"}), ParseOptions{}},
		{"too many exceptions", "exceptions:\n" + entry + strings.Replace(entry, "1.2.11", "1.2.12", 1) + strings.Replace(entry, "1.2.11", "1.2.13", 1),
			probs(wantProblem{2, "3 exceptions, more than the limit of 2"}), ParseOptions{MaxExceptions: 2}},
		{"too large", "exceptions:\n" + entry, probs(wantProblem{0, "the file is larger than 16 bytes"}), ParseOptions{MaxBytes: 16}},
		{"owner rule without checks", "owners:\n  - owner: x\n", probs(wantProblem{2, "owner rule 1: missing checks"}), ParseOptions{}},
		{"owner rule with a bad pattern", "owners:\n  - checks: [\"1.*\", \"*\"]\n    owner: x\n", probs(wantProblem{2, `owner rule 1: "*" would cover every check`}), ParseOptions{}},
		{"owner rule with checks as a string", "owners:\n  - checks: \"1.*\"\n    owner: x\n", probs(wantProblem{2, "checks must be a list"}), ParseOptions{}},
		{"owner rule typo", "owners:\n  - checks: [\"1.*\"]\n    ownr: x\n", probs(wantProblem{2, "owner rule 1: missing owner"}, wantProblem{3, `unknown field "ownr" (did you mean "owner"?)`}), ParseOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			if opts.Now.IsZero() {
				opts.Now = today
			}
			_, err := Parse([]byte(tt.src), "bad.yaml", opts)
			assertProblems(t, err, "bad.yaml", tt.want)
		})
	}
}

// probs lists the problems a case wants.
func probs(w ...wantProblem) []wantProblem { return w }

func drop(entry, field string) string {
	var out []string
	for _, l := range strings.SplitAfter(entry, "\n") {
		if !strings.HasPrefix(strings.TrimLeft(l, " -"), field+":") {
			out = append(out, l)
		}
	}
	s := strings.Join(out, "")
	if !strings.HasPrefix(s, "  - ") {
		s = "  - " + strings.TrimPrefix(s, "    ")
	}
	return s
}

// assertProblems checks that err is a *ValidationError listing exactly the
// wanted problems, each on its own "source:line: " line of Error().
func assertProblems(t *testing.T, err error, source string, want []wantProblem) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v (%T), want a *ValidationError", err, err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) || len(ve.Problems) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(ve.Problems), len(want), err)
	}
	for i, w := range want {
		prefix := source + ": "
		if w.line > 0 {
			prefix = fmt.Sprintf("%s:%d: ", source, w.line)
		}
		if !strings.HasPrefix(lines[i], prefix) || !strings.Contains(lines[i], w.frag) {
			t.Errorf("problem %d = %q, want %q...%q", i+1, lines[i], prefix, w.frag)
		}
		if lines[i] != strings.ToLower(lines[i][:len(prefix)+1])+lines[i][len(prefix)+1:] {
			t.Errorf("problem %d = %q: want a lower-case message", i+1, lines[i])
		}
	}
}

// TestParseListsEveryProblem is the "all problems in one run" contract: one
// file with many different problems yields one error listing all of them,
// ordered by line, with the field each concerns.
func TestParseListsEveryProblem(t *testing.T) {
	t.Parallel()
	src := `exceptions:
  - check_id: "1.2.11"
    reason: "r"
    owner: ""
    reveiw_date: "2026-12-01"
    risk_accepted_by: "ciso"
  - check_id: "4.2.12"
    reason: "r"
    owner: "o"
    review_date: "2026-02-30"
    risk_accepted_by: 7
  - check_id: "1.*.x"
    owner: "o"
    review_date: "2099-01-01"
    risk_accepted_by: "ciso"
    nodes: ["["]
owners:
  - checks: ["4.*"]
`
	_, err := Parse([]byte(src), "many.yaml", ParseOptions{Now: today})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want a *ValidationError", err)
	}
	type pf struct {
		Line  int
		Field string
	}
	var got []pf
	for _, p := range ve.Problems {
		got = append(got, pf{p.Line, p.Field})
	}
	want := []pf{
		{2, "review_date"},       // missing (the key is misspelt)
		{4, "owner"},             // empty
		{5, "reveiw_date"},       // unknown field
		{10, "review_date"},      // Feb 30
		{11, "risk_accepted_by"}, // not a string
		{12, "check_id"},         // bad pattern
		{12, "reason"},           // missing
		{14, "review_date"},      // too far ahead
		{16, "nodes"},            // bad glob
		{18, "owner"},            // owner rule without owner
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s\nerror:\n%s", diff, err)
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != len(want) {
		t.Errorf("Error() has %d lines, want %d", n, len(want))
	}
	for _, l := range strings.Split(err.Error(), "\n") {
		if !strings.HasPrefix(l, "many.yaml:") {
			t.Errorf("line %q does not start with the file name", l)
		}
	}
}

// aliasBomb is the classic billion-laughs document: nine levels of nine
// aliases, 9^9 strings if it were expanded.
func aliasBomb() []byte {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for i, prev := 'b', 'a'; i <= 'i'; i, prev = i+1, i {
		fmt.Fprintf(&b, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", i, i, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	b.WriteString("exceptions: *i\n")
	return []byte(b.String())
}

// allocated returns the bytes the heap handed out while f ran. The count
// is the process's: tests that use it do not run in parallel.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestParseAliasBomb: the billion-laughs document is refused at once;
// nothing is expanded. The bound is on work, not time: about 500
// allocations today, 9^9 if the aliases were followed.
func TestParseAliasBomb(t *testing.T) { // not parallel: AllocsPerRun counts the whole process
	src := aliasBomb()
	var err error
	if n := testing.AllocsPerRun(1, func() { _, err = Parse(src, "bomb.yaml", ParseOptions{}) }); n > 5000 {
		t.Errorf("Parse made %.0f allocations for a %d-byte alias bomb, want at most 5000: are aliases expanded?", n, len(src))
	}
	if err == nil || !strings.Contains(err.Error(), "bomb.yaml:1: yaml anchors are not allowed (&a)") {
		t.Errorf("error = %v, want anchors refused with file:line", err)
	}
}

// largeInputs are the biggest inputs of n bytes of the shapes that are
// costly to parse.
func largeInputs(n int) []struct{ name, src string } {
	return []struct{ name, src string }{
		{"deep nesting", strings.Repeat("[", n)},
		{"one long value", "exceptions: \"" + strings.Repeat("x", n-15) + "\""},
		{"many entries", "exceptions:\n" + strings.Repeat("  - {}\n", (n-12)/7)},
		{"many flow entries", "exceptions: [" + strings.Repeat("{},", (n-14)/3) + "]"},
	}
}

// TestParseLargeInputsBoundedWork: inputs of the shapes that are costly
// to parse cost work linear in their size, measured in bytes allocated
// (the same on every machine, -race or not): at most 128 per input byte
// (2 to 68 today, most for a flow list of 350,000 entries), and four
// times the input costs at most 4.5 times as much. An input over the
// limit is refused by its size before any parsing, so the biggest input
// the limit lets through costs at most 128 times the limit. (Sizes of a
// quarter and a sixteenth of the limit: the same proof for a fifth of the
// work of parsing 4 MiB.) Timing is BenchmarkParseLargeInputs.
func TestParseLargeInputsBoundedWork(t *testing.T) { // not parallel: allocated counts the whole process
	const perByte = 128
	cost := func(in struct{ name, src string }) uint64 {
		var err error
		n := allocated(func() { _, err = Parse([]byte(in.src), in.name, ParseOptions{}) })
		if err == nil || !strings.HasPrefix(err.Error(), in.name) {
			t.Errorf("%s: error = %.200v, want one naming the source", in.name, err)
		}
		if n > perByte*uint64(len(in.src)) {
			t.Errorf("%s: Parse allocated %d bytes for %d bytes of input (%.1f per byte), want at most %d per byte", in.name, n, len(in.src), float64(n)/float64(len(in.src)), perByte)
		}
		return n
	}
	small, big := largeInputs(DefaultMaxBytes/16), largeInputs(DefaultMaxBytes/4)
	for i := range big {
		if len(big[i].src) > DefaultMaxBytes/4 || len(big[i].src) < DefaultMaxBytes/4-8 {
			t.Fatalf("%s: %d bytes, want just under %d", big[i].name, len(big[i].src), DefaultMaxBytes/4)
		}
		s, b := cost(small[i]), cost(big[i])
		if 2*b > 9*s {
			t.Errorf("%s: %d bytes allocated for %d bytes of input, %d for four times as much: more than linear", big[i].name, s, len(small[i].src), b)
		}
		t.Logf("%s: %.1f bytes allocated per input byte (%d bytes), %.1f (%d bytes)", big[i].name, float64(s)/float64(len(small[i].src)), len(small[i].src), float64(b)/float64(len(big[i].src)), len(big[i].src))
	}
	over := []byte("exceptions: [" + strings.Repeat("{},", DefaultMaxBytes/3) + "]")
	if len(over) <= DefaultMaxBytes {
		t.Fatalf("%d bytes, want over the limit", len(over))
	}
	var err error
	if n := allocated(func() { _, err = Parse(over, "over.yaml", ParseOptions{}) }); n > 4096 {
		t.Errorf("an input over the limit: %d bytes allocated, want it refused by its size before parsing", n)
	}
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("the file is larger than %d bytes", DefaultMaxBytes)) {
		t.Errorf("an input over the limit: error = %v", err)
	}
}

// BenchmarkParseLargeInputs times the biggest inputs the limit lets
// through (TestParseLargeInputsBoundedWork bounds their work):
// go test -run '^$' -bench ParseLarge -benchmem ./exceptions/
func BenchmarkParseLargeInputs(b *testing.B) {
	for _, in := range largeInputs(DefaultMaxBytes) {
		b.Run(strings.ReplaceAll(in.name, " ", "-"), func(b *testing.B) {
			src := []byte(in.src)
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := Parse(src, in.name, ParseOptions{}); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}

// BenchmarkParseAliasBomb times the refusal of the billion-laughs document.
func BenchmarkParseAliasBomb(b *testing.B) {
	src := aliasBomb()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(src, "bomb.yaml", ParseOptions{}); err == nil {
			b.Fatal("accepted")
		}
	}
}

func TestLoadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := LoadFile(filepath.Join(dir, "missing.yaml"), ParseOptions{})
	if err == nil || !strings.Contains(err.Error(), "missing.yaml") || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(missing) = %v, want an error naming the file that wraps os.ErrNotExist", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("exceptions:\n"+strings.Repeat("# padding\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(big, ParseOptions{MaxBytes: 100})
	if err == nil || !strings.HasPrefix(err.Error(), big+": the file is larger than 100 bytes") {
		t.Errorf("LoadFile(big) = %v", err)
	}
}

func TestParseAssignees(t *testing.T) {
	t.Parallel()
	src := `owners:
  - checks: ["1.*"]
    owner: platform-team
    assignees: [alice, "@Bob"]
  - checks: ["2.*"]
    owner: platform-team
    assignees: [bob, carol-x]
  - checks: ["4.*"]
    owner: infrastructure-team
`
	f, err := Parse([]byte(src), "x.yaml", ParseOptions{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"alice", "Bob", "carol-x"}, f.AssigneesOf("platform-team")); diff != "" {
		t.Errorf("AssigneesOf(platform-team) (-want +got):\n%s", diff)
	}
	if got := f.AssigneesOf("infrastructure-team"); got != nil {
		t.Errorf("AssigneesOf(infrastructure-team) = %q, want none", got)
	}
	for _, tt := range []struct{ value, want string }{
		{`alice`, "assignees must be a list of GitHub logins, not a string"},
		{`["-alice"]`, `"-alice" is not a GitHub login`},
		{`["a--b"]`, `"a--b" is not a GitHub login`},
		{`["team/x"]`, `"team/x" is not a GitHub login`},
		{`[a, b, c, d, e, f, g, h, i, j, k]`, "11 assignees, more than GitHub's 10 per issue"},
	} {
		_, err := Parse([]byte("owners:\n  - checks: [\"1.*\"]\n    owner: o\n    assignees: "+tt.value+"\n"), "x.yaml", ParseOptions{Now: today})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "x.yaml:4") {
			t.Errorf("assignees: %s: error %v, want x.yaml:4 and %q", tt.value, err, tt.want)
		}
	}
}
