package main

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// This file checks that no output of `gate` or `report` can make the GitHub
// Actions runner obey a workflow command written by whoever controls the
// results or the exceptions file.

// The runner (actions/runner, src/Runner.Common/ActionCommand.cs and
// src/Runner.Worker/ActionCommandManager.cs) reads a step's output with
// StreamReader.ReadLine, which ends a line at "\n", "\r\n" or a lone "\r",
// and for each line tries two parsers:
//
//   - TryParseV2: after TrimStart() (every Unicode white space), the line
//     starts with "::" and has a second "::" later: "::name props::data".
//   - TryParse (legacy): "##[" anywhere in the line, then a "]" after it:
//     "##[name props]data".
//
// Both compare with string.StartsWith/IndexOf(string), which are
// culture-sensitive in .NET: with ICU, characters of no collation weight
// (NUL and other controls, format characters such as U+200B or U+00AD,
// variation selectors) are ignored, so ":\u200b:error::" may match "::".
// A command is obeyed only when its name is registered, but
// "::stop-commands::TOKEN" registers TOKEN, so the model treats any name
// as obeyed. It also ignores stop-commands (bench-action's CLI never emits
// it), and ends lines at U+0085, U+2028, U+2029, "\v" and "\f" too, where
// some log viewers do.

// runnerLines splits output into lines as the runner or a log viewer may.
func runnerLines(s string) []string {
	return strings.FieldsFunc(strings.ReplaceAll(s, "\r\n", "\n"), func(r rune) bool {
		switch r {
		case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
			return true
		}
		return false
	})
}

// weightless reports whether ICU's root collation may ignore r.
func weightless(r rune) bool {
	return (unicode.IsControl(r) && r != '\t') || unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// runnerObeys reports whether the runner would take line as a workflow
// command, and which.
func runnerObeys(line string) (string, bool) {
	line = strings.Map(func(r rune) rune {
		if weightless(r) {
			return -1
		}
		return r
	}, line)
	if s := strings.TrimLeftFunc(line, unicode.IsSpace); strings.HasPrefix(s, "::") {
		if end := strings.Index(s[2:], "::"); end >= 0 {
			return "::" + s[2:2+end] + "::", true
		}
	}
	if i := strings.Index(line, "##["); i >= 0 {
		if end := strings.IndexByte(line[i+3:], ']'); end >= 0 {
			return "##[" + line[i+3:i+3+end] + "]", true
		}
	}
	return "", false
}

// obeyedLines lists the lines of out the runner would obey.
func obeyedLines(out string) []string {
	var bad []string
	for _, l := range runnerLines(out) {
		if cmd, ok := runnerObeys(l); ok {
			bad = append(bad, fmt.Sprintf("%s in %q", cmd, l))
		}
	}
	return bad
}

func TestRunnerModel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"::error::x", true},
		{"::error file=a,line=1::x", true},
		{" \t\u00a0\u3000::warning::x", true},
		{"::add-mask::", true},
		{"::endgroup::", true},
		{"::unknown-name::x", true},
		{":\u200b:error::x", true},
		{"\u00ad::error::x", true},
		{"\x00::error::x", true},
		{"text ##[error]x", true},
		{"#\u200b#[error]x", true},
		{"::error", false},
		{"::error:x", false},
		{"x ::error::y", false},
		{`\::error::x`, false},
		{": :error::x", false},
		{"##[error", false},
		{`##\[error]x`, false},
		{"# #[error]x", false},
		{`"remediation": "::error::x",`, false},
	} {
		if _, got := runnerObeys(tc.line); got != tc.want {
			t.Errorf("runnerObeys(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
	if got := runnerLines("a\r\nb\rc\nd\u2028e\u2029f\u0085g\vh\fi"); len(got) != 9 {
		t.Errorf("runnerLines: %q, want 9 lines", got)
	}
}

// hostileVectors are strings written to be obeyed by the runner when
// printed; each holds the marker "PWNED" so the output can be checked to
// still show it.
var hostileVectors = []struct{ name, text string }{
	{"error at line start", "::error::PWNED forged error"},
	{"indented warning with file", "  ::warning file=x,line=1::PWNED forged warning"},
	{"tab-indented add-mask", "\t::add-mask::PWNED"},
	{"legacy mid-line", "chmod 600 the file ##[error]PWNED legacy command"},
	{"legacy add-mask at line start", "##[add-mask]PWNED"},
	{"stop-commands forgery", "::stop-commands::tok3n\n::error::PWNED after stop\n::tok3n::"},
	{"CRLF split", "first line\r\n::error::PWNED after CRLF"},
	{"lone CR", "first line\r::error::PWNED after CR"},
	{"U+2028 line separator", "first line\u2028::error::PWNED after LS"},
	{"U+2029 paragraph separator", "first line\u2029::error::PWNED after PS"},
	{"U+0085 next line", "first line\u0085::error::PWNED after NEL"},
	{"vertical tab and form feed", "a\v::error::PWNED after VT\fb\f::error::PWNED after FF"},
	{"percent-encoded newline", "first line%0A::error::PWNED%0D%0A::add-mask::x"},
	{"set-output", "::set-output name=verdict::pass PWNED"},
	{"group and endgroup", "::group::PWNED\n::endgroup::"},
	{"newline then whitespace", "first line\n \t \u00a0\u3000::notice title=t::PWNED"},
	{"zero width inside the colons", ":\u200b:error::PWNED zero width"},
	{"soft hyphen before the colons", "first line\n\u00ad::error::PWNED soft hyphen"},
	{"zero width inside the legacy prefix", "text #\u200b#[error]PWNED"},
	{"upper case", "first line\n::ERROR::PWNED upper case"},
	{"escape sequence before", "first line\n\x1b[2K::error::PWNED after ESC"},
}

// hostileField is where a vector is placed.
type hostileField struct {
	name string
	// report: the field is read by `report` too (exceptions are not).
	report bool
	// refused says whether the exceptions file is refused (exit 2) with
	// this value.
	refused func(v string) bool
	// carrier says how the format carries the field's text: "verbatim"
	// (the text itself), "one-line" (controls dropped, white space runs
	// collapsed), or "" (only in an error message).
	carrier map[string]string
}

var (
	allVerbatim   = map[string]string{"json": "verbatim", "junit": "verbatim", "sarif": "verbatim"}
	oneLineOutJSN = map[string]string{"json": "verbatim", "junit": "one-line", "sarif": "one-line"}
	never         = func(string) bool { return false }
	multiLine     = func(v string) bool { return strings.ContainsAny(strings.TrimSpace(v), "\r\n") }
)

var hostileFields = []hostileField{
	{name: "description", report: true, refused: never, carrier: oneLineOutJSN},
	{name: "remediation", report: true, refused: never, carrier: allVerbatim},
	{name: "reason", report: true, refused: never, carrier: allVerbatim},
	{name: "exception reason", refused: never, carrier: map[string]string{"json": "verbatim", "junit": "verbatim", "sarif": "one-line"}},
	{name: "exception owner", refused: multiLine, carrier: oneLineOutJSN},
	{name: "exception risk_accepted_by", refused: multiLine, carrier: oneLineOutJSN},
	{name: "exception field name", refused: func(string) bool { return true }},
}

const hostileFixture = "../../benchresult/testdata/kube-bench/v0.14.1-cis-1.10-insecure-node.json"

// writeHostileInputs writes the fixture with the vector in one field, and
// an exceptions file accepting the fixture's second FAIL.
func writeHostileInputs(t *testing.T, dir string, field, vector string) (results, exceptionsFile string) {
	t.Helper()
	data, err := os.ReadFile(hostileFixture)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var fails []map[string]any
	for _, c := range doc["Controls"].([]any) {
		for _, g := range c.(map[string]any)["tests"].([]any) {
			for _, r := range g.(map[string]any)["results"].([]any) {
				if res := r.(map[string]any); res["status"] == "FAIL" {
					fails = append(fails, res)
				}
			}
		}
	}
	if len(fails) < 2 {
		t.Fatalf("%s: %d FAILs, want 2", hostileFixture, len(fails))
	}
	switch field {
	case "description":
		fails[0]["test_desc"] = vector
	case "remediation":
		fails[0]["remediation"] = vector
	case "reason":
		fails[0]["reason"] = vector
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	results = filepath.Join(dir, "node.json")
	if err := os.WriteFile(results, out, 0o644); err != nil {
		t.Fatal(err)
	}
	ex := map[string]string{"reason": "legacy load balancer", "owner": "infrastructure-team", "risk_accepted_by": "ciso"}
	extra := ""
	switch field {
	case "exception reason":
		ex["reason"] = vector
	case "exception owner":
		ex["owner"] = vector
	case "exception risk_accepted_by":
		ex["risk_accepted_by"] = vector
	case "exception field name":
		extra = "    " + yamlQuote(vector) + ": x\n"
	}
	yml := fmt.Sprintf("exceptions:\n  - check_id: %q\n    reason: %s\n    owner: %s\n    risk_accepted_by: %s\n    review_date: \"2027-06-01\"\n%s",
		fails[1]["test_number"], yamlQuote(ex["reason"]), yamlQuote(ex["owner"]), yamlQuote(ex["risk_accepted_by"]), extra)
	exceptionsFile = filepath.Join(dir, "exceptions.yaml")
	if err := os.WriteFile(exceptionsFile, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	return results, exceptionsFile
}

// yamlQuote writes s as a YAML double-quoted scalar: Go's ASCII quoting
// uses only escapes YAML has (\n, \r, \t, \v, \f, \a, \b, \xXX, \uXXXX,
// \UXXXXXXXX).
func yamlQuote(s string) string { return strconv.QuoteToASCII(s) }

// oneLineForm is the text as the one-line fields carry it: control
// characters other than white space dropped, runs of white space (line
// breaks included) one space.
func oneLineForm(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// xmlForm is s with the characters XML 1.0 cannot carry as U+FFFD.
func xmlForm(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return '\uFFFD'
	}, s)
}

// jsonStrings decodes a JSON document and returns every string in it.
func jsonStrings(doc string) ([]string, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(doc))
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("more than one JSON document")
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				out = append(out, k)
				walk(x)
			}
		}
	}
	walk(v)
	return out, nil
}

// xmlStrings decodes an XML document and returns every attribute value and
// the text of every element (its character data and CDATA joined).
func xmlStrings(doc string) ([]string, error) {
	dec := xml.NewDecoder(strings.NewReader(doc))
	var out []string
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, text.String())
			text.Reset()
		}
	}
	roots, depth := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			flush()
			if depth == 0 {
				roots++
			}
			depth++
			for _, a := range tok.Attr {
				out = append(out, a.Value)
			}
		case xml.EndElement:
			flush()
			depth--
		case xml.CharData:
			text.Write(tok)
		}
	}
	if roots > 1 {
		return nil, fmt.Errorf("%d root elements", roots)
	}
	return out, nil
}

// hostileTally counts, for the summary, the runs whose output the runner
// would obey, and the runs where a structured output lost the text.
type hostileTally struct {
	mu       sync.Mutex
	runs     int
	refused  int
	obeyed   map[string]int // vector → runs
	lost     map[string]int // vector → runs
	obeyedBy map[string]int // "command format" → runs
}

func (h *hostileTally) add(vector, cmd, format string, obeyed, lost, refused bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runs++
	if refused {
		h.refused++
	}
	if obeyed {
		h.obeyed[vector]++
		h.obeyedBy[cmd+" "+format]++
	}
	if lost {
		h.lost[vector]++
	}
}

func TestOutputIsSafeInACILog(t *testing.T) {
	t.Parallel()
	tally := &hostileTally{obeyed: map[string]int{}, lost: map[string]int{}, obeyedBy: map[string]int{}}
	t.Cleanup(func() {
		var lines []string
		for _, v := range hostileVectors {
			lines = append(lines, fmt.Sprintf("  %-40s obeyed in %3d runs, text lost in %3d", v.name, tally.obeyed[v.name], tally.lost[v.name]))
		}
		var by []string
		for k, n := range tally.obeyedBy {
			by = append(by, fmt.Sprintf("%s: %d", k, n))
		}
		sort.Strings(by)
		t.Logf("%d vectors, %d runs (vector × field × command × format), %d refused by validation\n%s\nobeyed runs by command and format: %s",
			len(hostileVectors), tally.runs, tally.refused, strings.Join(lines, "\n"), strings.Join(by, ", "))
	})
	commands := []struct {
		name    string
		formats []string
	}{
		{"gate", []string{"text", "markdown", "json", "junit", "sarif"}},
		{"report", []string{"text", "markdown", "json"}},
	}
	for _, vec := range hostileVectors {
		t.Run(vec.name, func(t *testing.T) {
			t.Parallel()
			for _, field := range hostileFields {
				dir := t.TempDir()
				results, exc := writeHostileInputs(t, dir, field.name, vec.text)
				refused := field.refused(vec.text)
				for _, cmd := range commands {
					if cmd.name == "report" && !field.report {
						continue
					}
					for _, format := range cmd.formats {
						args := []string{cmd.name, "--format", format}
						if cmd.name == "gate" {
							args = append(args, "--now", "2026-11-26", "--exceptions", exc)
						}
						code, stdout, stderr := runCLI(t, "", append(args, "w-1="+results)...)
						where := fmt.Sprintf("%s %s, vector in the %s", cmd.name, format, field.name)
						wantCode := map[string]int{"gate": exitFail, "report": exitPass}[cmd.name]
						if refused {
							wantCode = exitUsage
						}
						if code != wantCode {
							t.Errorf("%s: exit %d, want %d; stderr: %s", where, code, wantCode, stderr)
						}
						bad := append(obeyedLines(stdout), obeyedLines(stderr)...)
						for _, b := range bad {
							t.Errorf("%s: the runner obeys %s", where, b)
						}
						lost := false
						switch {
						case refused:
							if !strings.Contains(stderr, exc) {
								t.Errorf("%s: refused without naming the exceptions file: %s", where, stderr)
							}
						case format == "text" || format == "markdown":
							if !strings.Contains(stdout, "PWNED") {
								lost = true
								t.Errorf("%s: the text is gone from the output:\n%s", where, stdout)
							}
						default:
							lost = !carried(t, where, format, field, vec.text, stdout)
						}
						tally.add(vec.name, cmd.name, format, len(bad) > 0, lost, refused)
					}
				}
			}
		})
	}
}

// carried checks that a structured output parses and carries the field's
// text as the format promises.
func carried(t *testing.T, where, format string, field hostileField, vector, out string) bool {
	t.Helper()
	var strs []string
	var err error
	if format == "junit" {
		strs, err = xmlStrings(out)
	} else {
		strs, err = jsonStrings(out)
	}
	if err != nil {
		t.Errorf("%s: the output does not parse: %v\n%s", where, err, out)
		return false
	}
	want := vector
	if strings.HasPrefix(field.name, "exception") {
		want = strings.TrimSpace(want) // the exceptions file's strings are trimmed
	}
	if field.name == "remediation" && format != "json" {
		want = strings.TrimRight(want, "\n")
	}
	switch field.carrier[format] {
	case "one-line":
		want = oneLineForm(want)
	case "":
		t.Fatalf("%s: no carrier for %s", where, format)
	}
	if format == "junit" {
		want = xmlForm(want)
	}
	for _, s := range strs {
		if strings.Contains(s, want) {
			return true
		}
	}
	t.Errorf("%s: no string of the output holds %q", where, want)
	return false
}
