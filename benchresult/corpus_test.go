package benchresult_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/internal/golden"

	"github.com/bench-action/bench-action/benchresult"
)

// corpusDir holds what real kube-bench releases printed, as they print and
// capture it, and as people paste it (tools/kube-bench-corpus/gen.sh), with
// kube-bench's own totals of every file in MANIFEST.tsv (counted by
// tools/kube-bench-corpus/count.py, not by this package).
const corpusDir = "testdata/corpus"

// The outcomes of one corpus file.
const (
	outRead   = "read"   // the totals are kube-bench's own
	outStated = "stated" // the input disagrees with itself; the totals it states were given
	outRefuse = "refused"
	outWrong  = "SILENTLY WRONG" // no error, and totals that are not the input's own
)

// TestCorpus parses every corpus file with the public API and classifies
// it: read exactly (the totals kube-bench states, or counts where it states
// none), refused (with the error), or silently wrong (no error, other
// totals). It writes the release × format × variant table to
// testdata/corpus/TABLE.md (-update rewrites it) and fails on every
// silently wrong file: that is the one outcome issue 14 forbids.
func TestCorpus(t *testing.T) {
	t.Parallel()
	rows := readManifest(t)
	if len(rows) < 100 {
		t.Fatalf("%s/MANIFEST.tsv lists %d files; the corpus has several hundred (regenerate it with tools/kube-bench-corpus/gen.sh)", corpusDir, len(rows))
	}
	for i := range rows {
		r := &rows[i]
		data, err := os.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(r.file)))
		if err != nil {
			t.Fatal(err)
		}
		nr, err := benchresult.ParseBytes(data, r.file, benchresult.Options{})
		r.classify(nr, err)
		if r.outcome == outWrong {
			t.Errorf("%s (kube-bench %s, %s, %s): parsed without error as %s, but kube-bench's own totals are %s (stated %s, counted from its results %s)",
				r.file, r.release, r.format, r.variant, r.got, r.want(), r.stated, r.counted)
		}
	}
	golden.Check(t, filepath.Join(corpusDir, "TABLE.md"), []byte(table(rows)))
}

// corpusRow is one line of MANIFEST.tsv and what the parser made of it.
type corpusRow struct {
	file, release, format, variant string
	stated, counted                string // pass/fail/warn/info, "-" or (JUnit) "tests=N failures=F"
	expect, totals                 string // see tools/kube-bench-corpus/manifest.py

	outcome string
	got     string // the parser's totals
	reason  string // the refusal's class
	detail  string // the error, or a note
}

// want is the totals a reader must give: kube-bench's own.
func (r *corpusRow) want() string {
	if r.expect == "read" || r.expect == "summary-only" {
		return r.totals
	}
	return r.stated
}

func (r *corpusRow) classify(nr *benchresult.NodeResult, err error) {
	if err != nil {
		r.outcome, r.reason, r.detail = outRefuse, reasonClass(err), errText(err)
		return
	}
	t := nr.Totals
	r.got = fmt.Sprintf("%d/%d/%d/%d", t.Pass, t.Fail, t.Warn, t.Info)
	switch {
	case r.expect == "read" || r.expect == "summary-only":
		r.outcome = outRead
		if r.got != r.totals {
			r.outcome = outWrong
		}
		if r.expect == "summary-only" && r.outcome == outRead {
			r.detail = fmt.Sprintf("summary only: %d checks", len(nr.Checks))
		}
	case r.format != "junit" && r.got == r.stated:
		r.outcome, r.detail = outStated, "the totals it states; its results count "+r.counted
	default: // the input disagrees with itself, and the parser gave neither its statement nor a refusal
		r.outcome = outWrong
	}
}

var (
	sourcePrefix = regexp.MustCompile(`^read [^:]+: (line [0-9]+: )?`)
	digits       = regexp.MustCompile(`[0-9]+`)
	quoted       = regexp.MustCompile(`"[^"]*"`)
)

// errText is the error without the "read FILE: line N: " every error starts with.
func errText(err error) string {
	return sourcePrefix.ReplaceAllString(strings.ReplaceAll(err.Error(), "\n", "; "), "")
}

// reasonClass names a refusal by its message, with numbers and quoted text
// taken out, so that refusals for the same reason group together.
func reasonClass(err error) string {
	s := errText(err)
	s = quoted.ReplaceAllString(s, `"…"`)
	s = digits.ReplaceAllString(s, "N")
	if i := strings.IndexAny(s, ";("); i > 0 {
		s = s[:i]
	}
	// the first clause names the reason ("the input disagrees with itself: ..."); what
	// follows is about the file, except what a non-kube-bench input looks like
	if head, rest, ok := strings.Cut(s, ": "); ok {
		s = head
		if head == "not kube-bench output" {
			s += ": " + strings.Split(rest, ",")[0]
		}
	}
	if r := []rune(s); len(r) > 90 {
		s = string(r[:87]) + "..."
	}
	return strings.TrimSpace(s)
}

func readManifest(t *testing.T) []corpusRow {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []corpusRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		c := strings.Split(sc.Text(), "\t")
		if n == 1 {
			continue // the heading
		}
		if len(c) != 9 {
			t.Fatalf("MANIFEST.tsv:%d: %d columns, want 9", n, len(c))
		}
		rows = append(rows, corpusRow{file: c[0], release: c[1], format: c[2], variant: c[3], stated: c[4], counted: c[5], expect: c[6], totals: c[7]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// table renders the outcomes: counts, then release × format/variant, then
// one line per file.
func table(rows []corpusRow) string {
	var b strings.Builder
	count := map[string]int{}
	reasons := map[string]int{}
	for _, r := range rows {
		count[r.outcome]++
		if r.outcome == outRefuse {
			reasons[r.reason]++
		}
	}
	b.WriteString("# What benchresult makes of the kube-bench corpus\n\n")
	b.WriteString("Written by `TestCorpus` (`go test ./benchresult -run TestCorpus -update`) from `MANIFEST.tsv`;\n")
	b.WriteString("the files and kube-bench's own totals come from `tools/kube-bench-corpus/gen.sh`.\n")
	b.WriteString("A file is **read** when the parser gives kube-bench's own totals (for a summary-only output,\n")
	b.WriteString("the totals it states), **stated** when an input that disagrees with itself gave the totals it\n")
	b.WriteString("states, **refused** when the parser returned an error, and **SILENTLY WRONG** when it returned\n")
	b.WriteString("other totals without an error (the test fails on those).\n\n")
	fmt.Fprintf(&b, "%d files: %d read, %d stated, %d refused, %d silently wrong.\n\n",
		len(rows), count[outRead], count[outStated], count[outRefuse], count[outWrong])
	if len(reasons) > 0 {
		b.WriteString("| refused because | files |\n|---|---|\n")
		keys := make([]string, 0, len(reasons))
		for k := range reasons {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if reasons[keys[i]] != reasons[keys[j]] {
				return reasons[keys[i]] > reasons[keys[j]]
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			fmt.Fprintf(&b, "| %s | %d |\n", mdCell(k), reasons[k])
		}
		b.WriteString("\n")
	}

	// release × format/variant: one mark per file of that cell
	b.WriteString("## Release × format/variant\n\n")
	b.WriteString("`✓` read, `s` stated, `R` refused, `✗` silently wrong; one mark per file.\n\n")
	var releases, columns []string
	cell := map[[2]string]string{}
	for _, r := range rows {
		col := r.format + "/" + r.variant
		if !slices.Contains(releases, r.release) {
			releases = append(releases, r.release)
		}
		if !slices.Contains(columns, col) {
			columns = append(columns, col)
		}
		cell[[2]string{r.release, col}] += mark(r.outcome)
	}
	slices.SortFunc(releases, compareVersions)
	sort.Strings(columns)
	// transpose: releases as columns keep the table narrow
	b.WriteString("| format/variant |")
	for _, rel := range releases {
		fmt.Fprintf(&b, " %s |", rel)
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(releases)))
	b.WriteString("\n")
	for _, col := range columns {
		fmt.Fprintf(&b, "| %s |", col)
		for _, rel := range releases {
			fmt.Fprintf(&b, " %s |", cell[[2]string{rel, col}])
		}
		b.WriteString("\n")
	}

	b.WriteString("\n## Every file\n\n")
	b.WriteString("| file | kube-bench states | results count | expect | parser | outcome | detail |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", r.file, r.stated, r.counted, r.expect, dashIfEmpty(r.got), r.outcome, mdCell(r.detail))
	}
	return b.String()
}

func mark(outcome string) string {
	switch outcome {
	case outRead:
		return "✓"
	case outStated:
		return "s"
	case outRefuse:
		return "R"
	}
	return "✗"
}

// compareVersions orders "v0.10.7" after "v0.9.4".
func compareVersions(a, b string) int {
	return benchresult.CompareIDs(strings.TrimPrefix(a, "v"), strings.TrimPrefix(b, "v"))
}

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	if r := []rune(s); len(r) > 160 {
		s = string(r[:157]) + "..."
	}
	return s
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
