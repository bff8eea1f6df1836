package benchresult

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse feeds Parse with mutations of every real kube-bench output and
// bad input the project keeps (pastes, summary-only text, inputs whose
// totals disagree with their results among them), in all formats, and the
// seeds of testdata/fuzz/FuzzParse. Properties:
//   - it never panics;
//   - an error is an *InputError naming the input;
//   - a complete result has non-negative totals equal to its checks counted
//     by status; a summary-only one has no checks; none is incomplete;
//   - never silently wrong: where the input states its totals (a JSON
//     document's "Totals", text's "== Summary total =="), read by an
//     independent decoder here, the result's totals are those;
//   - with TrustTotals, an input read without it reads the same, and one
//     refused for its totals alone reads as Incomplete;
//   - the result written back as kube-bench's JSON envelope parses to the
//     same checks.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/kube-bench/*", "testdata/bad/*"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil && len(b) < 1<<20 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[PASS] 4.2.1 anon\n\n== Summary node ==\n1 checks PASS\n0 checks FAIL\n0 checks WARN\n0 checks INFO\n"))
	f.Add([]byte(`<testsuite name="Worker Nodes" tests="1" failures="1"><testcase name="3.1.1 x" classname="g"><failure type="">fix</failure></testcase></testsuite>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		const source = "fuzz-input"
		nr, err := ParseBytes(data, source, Options{MaxLineBytes: 4096})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Source != source {
				t.Fatalf("error %v (%T) is not an *InputError naming %s", err, err, source)
			}
			var te *TotalsError
			if errors.As(err, &te) && te.Trustable {
				trusted, err := ParseBytes(data, source, Options{MaxLineBytes: 4096, TrustTotals: true})
				if err == nil && trusted.Coverage != Incomplete {
					t.Fatalf("refused for its totals (%v), read with TrustTotals as %s", te, trusted.Coverage)
				}
				if err == nil {
					if stated, ok := statedTotals(data, trusted.Format); ok && stated != trusted.Totals {
						t.Fatalf("with TrustTotals: the input states %+v, the result says %+v", stated, trusted.Totals)
					}
				}
			}
			return
		}
		var counted Totals
		for _, c := range nr.Checks {
			counted.Add(c.Status)
		}
		switch nr.Coverage {
		case Complete:
			if nr.Totals.Pass < 0 || nr.Totals.Fail < 0 || nr.Totals.Warn < 0 || nr.Totals.Info < 0 || counted != nr.Totals {
				t.Fatalf("totals %+v, counted from the checks %+v", nr.Totals, counted)
			}
		case SummaryOnly:
			if len(nr.Checks) != 0 || nr.Format != FormatText {
				t.Fatalf("a summary-only %s result with %d checks", nr.Format, len(nr.Checks))
			}
		default:
			t.Fatalf("coverage %s without TrustTotals", nr.Coverage)
		}
		if stated, ok := statedTotals(data, nr.Format); ok && stated != nr.Totals {
			t.Fatalf("the input states %+v, the result says %+v (%s, %s)", stated, nr.Totals, nr.Format, nr.Coverage)
		}
		trusted, err := ParseBytes(data, source, Options{MaxLineBytes: 4096, TrustTotals: true})
		if err != nil {
			t.Fatalf("read without TrustTotals, refused with it: %v", err)
		}
		if d := cmp.Diff(nr, trusted); d != "" {
			t.Fatalf("TrustTotals changed a result read without it (-without +with):\n%s", d)
		}
		if nr.Coverage == SummaryOnly {
			return
		}
		again, err := ParseBytes(encodeEnvelope(t, nr), "round-trip", Options{})
		if err != nil {
			t.Fatalf("the %s result written as JSON does not parse again: %v", nr.Format, err)
		}
		if d := cmp.Diff(nr.Checks, again.Checks); d != "" {
			t.Fatalf("round trip through JSON changed the %s checks (-first +again):\n%s", nr.Format, d)
		}
	})
}

// statedTotals reads what an input states of its whole totals, without
// the parser: the "Totals" of a JSON document that is nothing else, or the
// one "== Summary total ==" block of a text (format is what it was read as), with colour codes, `kubectl
// logs --prefix` prefixes and white space removed by regular expressions.
func statedTotals(data []byte, format Format) (Totals, bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	switch format {
	case FormatJSON:
		trimmed := bytes.TrimSpace(data)
		if len(trimmed) == 0 || trimmed[0] != '{' {
			return Totals{}, false
		}
		var doc map[string]json.RawMessage
		if json.Unmarshal(trimmed, &doc) != nil {
			return Totals{}, false
		}
		raw, ok := onlyKey(doc, "Totals")
		if !ok {
			return Totals{}, false
		}
		var tot map[string]json.RawMessage
		if json.Unmarshal(raw, &tot) != nil || tot == nil {
			return Totals{}, false
		}
		var t Totals
		for i, k := range []string{"total_pass", "total_fail", "total_warn", "total_info"} {
			v, ok := onlyKey(tot, k)
			var n int
			if !ok || json.Unmarshal(v, &n) != nil || string(v) == "null" {
				return Totals{}, false
			}
			setCount(&t, i, n)
		}
		return t, true
	case FormatText:
	default:
		return Totals{}, false
	}
	lines := lineBreak.Split(ansiCode.ReplaceAllString(string(data), ""), -1)
	var t Totals
	found := 0
	for i, l := range lines {
		if cleanLine(l) != "== Summary total ==" {
			continue
		}
		found++
		if i+4 >= len(lines) {
			return Totals{}, false
		}
		for j, want := range []string{"PASS", "FAIL", "WARN", "INFO"} {
			m := countLine.FindStringSubmatch(cleanLine(lines[i+1+j]))
			if m == nil || m[2] != want {
				return Totals{}, false
			}
			n, err := strconv.Atoi(m[1])
			if err != nil {
				return Totals{}, false
			}
			setCount(&t, j, n)
		}
	}
	return t, found == 1
}

var (
	lineBreak = regexp.MustCompile(`\r\n|\r|\n`)
	ansiCode  = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	podPrefix = regexp.MustCompile(`^\s*\[pod/[^\]]*\] ?`)
	countLine = regexp.MustCompile(`^([0-9]+) checks (PASS|FAIL|WARN|INFO)$`)
)

func cleanLine(l string) string {
	return strings.TrimSpace(podPrefix.ReplaceAllString(l, ""))
}

// onlyKey is doc's value for key where exactly one key matches it ignoring
// case (as encoding/json matches struct fields), and it matches exactly.
func onlyKey(doc map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	n := 0
	for k := range doc {
		if strings.EqualFold(k, key) {
			n++
		}
	}
	v, ok := doc[key]
	return v, ok && n == 1
}

// encodeEnvelope writes a result as kube-bench's {"Controls":[...],"Totals":{...}}
// with json.go's structs: a new Controls where the target or benchmark
// changes, a new group where the section changes, so the order is kept.
func encodeEnvelope(t *testing.T, nr *NodeResult) []byte {
	t.Helper()
	type envelope struct {
		Controls []*jsonControls
		Totals   jsonSummary
	}
	env := envelope{Totals: jsonSummary{Pass: &nr.Totals.Pass, Fail: &nr.Totals.Fail, Warn: &nr.Totals.Warn, Info: &nr.Totals.Info}}
	var ctl *jsonControls
	var grp *jsonGroup
	if len(nr.Checks) == 0 {
		// A target printed with "tests": null keeps its benchmark.
		for _, b := range nr.Benchmarks {
			env.Controls = append(env.Controls, &jsonControls{ID: "1", Version: b, Type: string(TargetMaster)})
		}
	}
	for _, c := range nr.Checks {
		if ctl == nil || ctl.Type != string(c.Target) || ctl.Version != c.Benchmark {
			ctl = &jsonControls{ID: "1", Version: c.Benchmark, Type: string(c.Target)}
			env.Controls = append(env.Controls, ctl)
			grp = nil
		}
		if grp == nil || grp.ID != c.Section || grp.Text != c.SectionText {
			grp = &jsonGroup{ID: c.Section, Text: c.SectionText}
			ctl.Groups = append(ctl.Groups, grp)
		}
		grp.Checks = append(grp.Checks, &jsonCheck{
			ID: c.ID, Text: c.Text, Type: c.Type, Remediation: c.Remediation, Status: c.Status.String(),
			Scored: c.Scored, Expected: c.Expected, Reason: c.Reason,
		})
	}
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRoundTrip runs the fuzz property over the fixtures without fuzzing.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	var n int
	for _, pattern := range []string{"testdata/kube-bench/*"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			if filepath.Ext(name) == ".md" || filepath.Ext(name) == ".sh" || filepath.Ext(name) == ".tsv" {
				continue
			}
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			nr, err := ParseBytes(b, name, Options{})
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			n++
			again, err := ParseBytes(encodeEnvelope(t, nr), name+" (round trip)", Options{})
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			if d := cmp.Diff(nr.Checks, again.Checks); d != "" {
				t.Errorf("%s: round trip changed the checks (-first +again):\n%s", name, d)
			}
			if nr.Totals != again.Totals {
				t.Errorf("%s: totals %+v, after the round trip %+v", name, nr.Totals, again.Totals)
			}
		}
	}
	if n == 0 {
		t.Fatal("no fixture in testdata/kube-bench round-tripped")
	}
	t.Logf("%d fixtures round-tripped", n)
}
