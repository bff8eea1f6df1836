package benchresult

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The text outputs of real runs that the paste variants start from.
var pasteFixtures = []string{
	"v0.14.1-cis-1.10-mixed.txt",
	"v0.14.1-cis-1.10-insecure.txt",
	"v0.14.1-cis-1.10-hardened.txt",
	"v0.14.1-eks-1.7.0-mixed.txt",
	"v0.14.1-eks-stig-kubernetes-v1r6-mixed.txt",
	"v0.14.1-rh-1.8-mixed.txt",
	"v0.8.0-cis-1.8-mixed.txt",
	"v0.14.1-cis-1.10-mixed-kubectl-logs-text-prefix.log",
}

// eachLine applies f to every line of s (without its "\n").
func eachLine(s string, f func(i int, l string) string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if i == len(lines)-1 && l == "" {
			break
		}
		lines[i] = f(i, l)
	}
	return strings.Join(lines, "\n")
}

var statusLine = regexp.MustCompile(`^(\[pod/[^\]]*\] )?\[(PASS|FAIL|WARN|INFO)\] `)

// colourNew is kube-bench's colour (fatih/color) since v0.5: the whole
// line, its newline included, between the codes, so that the reset comes
// at the start of the next line.
func colourNew(s string) string {
	codes := map[string]string{"PASS": "32", "FAIL": "31", "WARN": "33", "INFO": "34"}
	reset := false // the line before was coloured: its reset begins this one
	return eachLine(s, func(_ int, l string) string {
		pre := ""
		if reset {
			pre = "\x1b[0m"
		}
		reset = true
		if m := statusLine.FindStringSubmatch(l); m != nil {
			return pre + m[1] + "\x1b[" + codes[m[2]] + "m" + strings.TrimPrefix(l, m[1])
		}
		if strings.HasPrefix(strings.TrimLeft(l, " "), "== ") {
			return pre + "\x1b[33m" + l
		}
		reset = false
		return pre + l
	})
}

// colourOld is the colour of older releases: only the status tag.
func colourOld(s string) string {
	codes := map[string]string{"PASS": "32", "FAIL": "31", "WARN": "33", "INFO": "34"}
	return eachLine(s, func(_ int, l string) string {
		if m := statusLine.FindStringSubmatch(l); m != nil {
			rest := strings.TrimPrefix(l, m[0])
			return m[1] + "\x1b[" + codes[m[2]] + "m[" + m[2] + "] \x1b[0m" + rest
		}
		return l
	})
}

// wrap80 cuts every line longer than 80 columns into rows of 80, as a
// terminal shows it and a copy from the terminal gives it.
func wrap80(s string) string {
	return eachLine(s, func(_ int, l string) string {
		var rows []string
		for utf8.RuneCountInString(l) > 80 {
			n := 0
			for i := range l {
				if n == 80 {
					rows = append(rows, l[:i])
					l = l[i:]
					break
				}
				n++
			}
		}
		return strings.Join(append(rows, l), "\n")
	})
}

// v04 turns the headings into those of kube-bench up to v0.4.x, which name
// no target and print no total.
func v04(s string) string {
	if i := strings.Index(s, "== Summary total =="); i >= 0 {
		s = s[:strings.LastIndexByte(s[:i], '\n')+1]
	}
	return regexp.MustCompile(`(?m)^(\[pod/[^\]]*\] )?== (Remediations|Summary) [a-z]+ ==$`).ReplaceAllString(s, "$1== $2 ==")
}

var glog = []string{
	"I1201 23:12:00.123456    4242 util.go:293] Kubernetes version was not auto-detected",
	"W1201 23:12:00.223456    4242 util.go:121] no config found",
	"Warning: Kubernetes version was not auto-detected because kubectl could not connect",
}

// pasteVariants are the ways a capture and a paste change a text output
// that must read to the same checks. wrapped marks those that change the
// remediation text (a terminal wraps it too, and that cannot be undone).
var pasteVariants = []struct {
	name    string
	wrapped bool
	f       func(string) string
}{
	{"BOM", false, func(s string) string { return "\ufeff" + s }},
	{"CRLF", false, func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }},
	{"CR", false, func(s string) string { return strings.ReplaceAll(s, "\n", "\r") }},
	{"trailing blanks on every line", false, func(s string) string {
		return eachLine(s, func(i int, l string) string { return l + []string{" ", "  ", "\t", " \t "}[i%4] })
	}},
	{"trailing blanks after the headings", false, func(s string) string {
		return eachLine(s, func(_ int, l string) string {
			if strings.Contains(l, "== ") {
				return l + "   "
			}
			return l
		})
	}},
	{"leading blanks on result lines", false, func(s string) string {
		return eachLine(s, func(i int, l string) string {
			if statusLine.MatchString(l) || strings.HasPrefix(l, "== ") {
				return strings.Repeat(" ", i%3) + l
			}
			return l
		})
	}},
	{"indented by four spaces", false, func(s string) string {
		return eachLine(s, func(_ int, l string) string { return "    " + l })
	}},
	{"indented by a tab", false, func(s string) string {
		return eachLine(s, func(_ int, l string) string { return "\t" + l })
	}},
	{"leading blank lines", false, func(s string) string { return "\n\n  \n" + s }},
	{"shell prompt", false, func(s string) string { return "$ kube-bench run --targets master,node\n" + s }},
	{"root prompt", false, func(s string) string { return "# kube-bench\n" + s }},
	{"user@host prompt", false, func(s string) string { return "ubuntu@cp-1:~$ sudo ./kube-bench run\n" + s }},
	{"markdown code fence", false, func(s string) string { return "```\n" + s + "```\n" }},
	{"markdown code fence with a prompt", false, func(s string) string {
		return "```console\n$ kubectl logs job/kube-bench\n" + s + "\n```\n"
	}},
	{"kubectl logs --prefix", false, func(s string) string {
		return eachLine(s, func(_ int, l string) string {
			if strings.HasPrefix(l, "[pod/") {
				return l
			}
			return "[pod/kube-bench-x7k2p/kube-bench] " + l
		})
	}},
	{"glog lines and warnings between sections and checks", false, func(s string) string {
		n := 0
		return eachLine(s, func(i int, l string) string {
			if statusLine.MatchString(l) && i%7 == 3 || strings.HasPrefix(l, "== ") {
				n++
				return glog[n%len(glog)] + "\n" + l
			}
			return l
		})
	}},
	{"terminal colour", false, colourNew},
	{"terminal colour of the status tag", false, colourOld},
	{"wrapped at 80 columns", true, wrap80},
	{"wrapped at 80 columns, coloured, CRLF", true, func(s string) string {
		return strings.ReplaceAll(colourNew(wrap80(s)), "\n", "\r\n")
	}},
	{"wrapped at 80 columns, then indented", true, func(s string) string {
		return eachLine(wrap80(s), func(_ int, l string) string { return "  " + l })
	}},
	{"headings of v0.4", false, v04},
	{"headings of v0.4, indented and coloured", false, func(s string) string {
		return colourOld(eachLine(v04(s), func(_ int, l string) string { return "  " + l }))
	}},
}

// TestTextPaste reads every real text output through every paste variant
// and wants kube-bench's checks and totals.
func TestTextPaste(t *testing.T) {
	t.Parallel()
	for _, name := range pasteFixtures {
		real := string(fixture(t, name))
		want, err := ParseBytes([]byte(real), name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range pasteVariants {
			t.Run(name+"/"+v.name, func(t *testing.T) {
				t.Parallel()
				in := v.f(real)
				if in == real {
					t.Skip("the variant changes nothing in this fixture") // --prefix of a --prefix capture
				}
				got, err := ParseBytes([]byte(in), name, Options{})
				if err != nil {
					t.Fatal(err)
				}
				opt := cmp.Options{}
				if v.wrapped {
					opt = cmp.Options{cmp.FilterPath(func(p cmp.Path) bool {
						return p.Last().String() == ".Remediation" || p.Last().String() == ".Reason"
					}, cmp.Ignore())}
				}
				if d := cmp.Diff(want.Checks, got.Checks, opt); d != "" {
					t.Errorf("checks differ (-want +got):\n%s", d)
				}
				if want.Totals != got.Totals || got.Coverage != Complete {
					t.Errorf("totals %+v (%s), want %+v", got.Totals, got.Coverage, want.Totals)
				}
			})
		}
	}
}

// noResults is what --noresults leaves of a text output (and
// --noremediations, with noRemedies).
func noResults(s string, noRemedies bool) string {
	var out []string
	inRemedy := false
	for _, l := range strings.Split(s, "\n") {
		switch {
		case statusLine.MatchString(l):
			continue
		case strings.HasPrefix(l, "== Remediations"):
			inRemedy = true
		case strings.HasPrefix(l, "== Summary"):
			inRemedy = false
		}
		if inRemedy && noRemedies {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimLeft(strings.Join(out, "\n"), "\n")
}

func TestTextSummaryOnly(t *testing.T) {
	t.Parallel()
	real := string(fixture(t, "v0.14.1-cis-1.10-mixed.txt"))
	full, err := ParseBytes([]byte(real), "full.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	byTarget := map[Target]Totals{}
	for _, c := range full.Checks {
		tt := byTarget[c.Target]
		tt.Add(c.Status)
		byTarget[c.Target] = tt
	}
	tail := real[strings.Index(real, "== Summary total =="):]
	tests := []struct {
		name     string
		in       string
		byTarget map[Target]Totals
	}{
		{"--noresults --noremediations", noResults(real, true), byTarget},
		{"--noresults", noResults(real, false), byTarget},
		{"--noresults --noremediations, coloured and indented", colourNew(eachLine(noResults(real, true), func(_ int, l string) string { return "  " + l })), byTarget},
		{"the tail of a log", "W1201 23:12:00.223456    4242 util.go:121] done\n" + tail, map[Target]Totals{}},
		{"the tail of a log with the last target's summary", real[strings.Index(real, "== Summary policies =="):], map[Target]Totals{TargetPolicies: byTarget[TargetPolicies]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			nr, err := ParseBytes([]byte(tt.in), "summary.txt", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if nr.Coverage != SummaryOnly || len(nr.Checks) != 0 || nr.Format != FormatText {
				t.Errorf("coverage %s, %d checks, format %s; want summary-only, none, text", nr.Coverage, len(nr.Checks), nr.Format)
			}
			if nr.Totals != full.Totals {
				t.Errorf("totals %+v, want kube-bench's %+v", nr.Totals, full.Totals)
			}
			if d := cmp.Diff(tt.byTarget, nr.ByTarget); d != "" {
				t.Errorf("by target (-want +got):\n%s", d)
			}
			r := Merge("", nr)
			if r.Totals() != full.Totals || len(r.Incomplete()) != 1 || r.Inputs[0].Coverage != SummaryOnly {
				t.Errorf("report totals %+v, incomplete %v", r.Totals(), r.Incomplete())
			}
		})
	}
}

// TestTotalsDisagree: an input whose own totals disagree with its results
// is refused, naming what it says and what it lists; with TrustTotals it
// is read with the stated totals as Incomplete, where that can be done.
func TestTotalsDisagree(t *testing.T) {
	t.Parallel()
	// kube-bench's own test fixtures keep one result per group, with the
	// full totals.
	const fixtureLike = `{"Controls":[{"id":"1","version":"cis-1.10","text":"Control Plane Security Configuration","node_type":"master","tests":[` +
		`{"section":"1.1","desc":"Files","results":[{"test_number":"1.1.1","test_desc":"a","status":"PASS","scored":true}]},` +
		`{"section":"1.2","desc":"API Server","results":[{"test_number":"1.2.1","test_desc":"b","status":"WARN","scored":false}]},` +
		`{"section":"1.3","desc":"Controller Manager","results":[{"test_number":"1.3.1","test_desc":"c","status":"PASS","scored":true}]}],` +
		`"total_pass":49,"total_fail":12,"total_warn":14,"total_info":0}],"Totals":{"total_pass":49,"total_fail":12,"total_warn":14,"total_info":0}}`
	text := "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[PASS] 4.2.1 anon\n[FAIL] 4.2.2 authz\n\n" +
		"== Remediations node ==\n4.2.2 fix it\n\n== Summary node ==\n7 checks PASS\n1 checks FAIL\n0 checks WARN\n0 checks INFO\n\n" +
		"== Summary total ==\n7 checks PASS\n1 checks FAIL\n0 checks WARN\n0 checks INFO\n"
	tests := []struct {
		name      string
		in        string
		wantErr   string // without TrustTotals
		trustErr  string // with TrustTotals ("": read)
		stated    Totals
		byTarget  map[Target]Totals
		checks    int
		notTrusty bool
	}{
		{
			name:     "kube-bench's test fixture: one result per group, full totals",
			in:       fixtureLike,
			wantErr:  `line 1: the input disagrees with itself: its "Totals" says 49 PASS, 12 FAIL, 14 WARN, 0 INFO but its results count 2 PASS, 0 FAIL, 1 WARN, 0 INFO, and 1 more of its totals disagree`,
			stated:   Totals{Pass: 49, Fail: 12, Warn: 14},
			byTarget: map[Target]Totals{TargetMaster: {Pass: 49, Fail: 12, Warn: 14}},
			checks:   3,
		},
		{
			name:     "bare array, per-target totals only",
			in:       strings.TrimSuffix(strings.TrimPrefix(fixtureLike[:strings.Index(fixtureLike, `,"Totals"`)], `{"Controls":`), "") + "",
			wantErr:  `the input disagrees with itself: the total_pass, total_fail, total_warn and total_info of target master says 49 PASS, 12 FAIL, 14 WARN, 0 INFO but its results count 2 PASS, 0 FAIL, 1 WARN, 0 INFO`,
			stated:   Totals{Pass: 49, Fail: 12, Warn: 14},
			byTarget: map[Target]Totals{TargetMaster: {Pass: 49, Fail: 12, Warn: 14}},
			checks:   3,
		},
		{
			name:     "text: the summaries count checks it does not list",
			in:       text,
			wantErr:  `line 15: the input disagrees with itself: "== Summary total ==" says 7 PASS, 1 FAIL, 0 WARN, 0 INFO but its results count 1 PASS, 1 FAIL, 0 WARN, 0 INFO, and 1 more of its totals disagree`,
			stated:   Totals{Pass: 7, Fail: 1},
			byTarget: map[Target]Totals{TargetNode: {Pass: 7, Fail: 1}},
			checks:   2,
		},
		{
			name:     "text: the total disagrees with the targets' summaries",
			in:       strings.Replace(text, "== Summary total ==\n7 checks PASS", "== Summary total ==\n9 checks PASS", 1),
			wantErr:  `line 15: the input disagrees with itself: "== Summary total ==" says 9 PASS, 1 FAIL, 0 WARN, 0 INFO but its targets' own totals add up to 7 PASS, 1 FAIL, 0 WARN, 0 INFO`,
			trustErr: `its targets' own totals add up to`,
		},
		{
			name:     "JUnit: tests= disagrees",
			in:       `<testsuites><testsuite name="Worker Node Security Configuration" tests="24" failures="5"><testcase name="4.1.1 x" classname="g"><failure type="">fix</failure></testcase></testsuite></testsuites>`,
			wantErr:  `line 1: the input disagrees with itself: testsuite "Worker Node Security Configuration" says tests=24, failures=5 but its results count 1 testcase, 1 of them failed`,
			trustErr: `says tests=24, failures=5`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseBytes([]byte(tt.in), "self.in", Options{})
			var te *TotalsError
			if err == nil || !errors.As(err, &te) {
				t.Fatalf("error %v, want a *TotalsError", err)
			}
			if !strings.Contains(err.Error(), "read self.in: ") || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q\nwant it to name self.in and say %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "misread") {
				t.Errorf("error %q blames the parser", err)
			}
			nr, err := ParseBytes([]byte(tt.in), "self.in", Options{TrustTotals: true})
			if tt.trustErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.trustErr) {
					t.Fatalf("with TrustTotals: error %v, want one saying %q", err, tt.trustErr)
				}
				if te.Trustable {
					t.Errorf("the *TotalsError says it can be trusted")
				}
				return
			}
			if err != nil {
				t.Fatalf("with TrustTotals: %v", err)
			}
			if !te.Trustable {
				t.Errorf("the *TotalsError says it cannot be trusted")
			}
			if nr.Coverage != Incomplete || nr.Totals != tt.stated || len(nr.Checks) != tt.checks {
				t.Errorf("coverage %s, totals %+v, %d checks; want incomplete, %+v, %d", nr.Coverage, nr.Totals, len(nr.Checks), tt.stated, tt.checks)
			}
			if d := cmp.Diff(tt.byTarget, nr.ByTarget); d != "" {
				t.Errorf("by target (-want +got):\n%s", d)
			}
			r := Merge("", nr)
			if r.Totals() != tt.stated || r.Inputs[0].Coverage != Incomplete || r.Inputs[0].Counted == nil {
				t.Errorf("report: totals %+v, input %+v", r.Totals(), r.Inputs[0])
			}
		})
	}
}

// TestPasteRefused: pastes that cannot be read without guessing are
// refused with the line and what was expected.
func TestPasteRefused(t *testing.T) {
	t.Parallel()
	head := "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n"
	tests := []struct {
		name, in, want string
	}{
		{"lines joined", head + "[PASS] 4.2.1 anon [FAIL] 4.2.2 authz\n\n", `line 3: two kube-bench results in one line (the second at "[FAIL] 4.2.2 authz")`},
		{"a result in the middle of a line", head + "[PASS] 4.2.1 anon\nsome text [FAIL] 4.2.2 authz\n\n", `line 4: a kube-bench result in the middle of a line ("[FAIL] 4.2.2 authz")`},
		{"a summary cut short", head + "[PASS] 4.2.1 anon\n\n== Summary node ==\n1 checks PASS\n0 checks FAIL\n\n", `the summary of target node has 2 of its 4 count lines; expected "<n> checks PASS"`},
		{"a summary count twice", head + "[PASS] 4.2.1 anon\n\n== Summary node ==\n1 checks PASS\n1 checks PASS\n", `line 7: the summary of target node gives the PASS count twice`},
		{"the start cut off", "[PASS] 4.2.1 anon\n[FAIL] 4.2.2 x\n", `line 1: [PASS] 4.2.1 outside of a target (no "[INFO] <n> <target>" heading before it: is the start of the output cut off?)`},
		{"two totals", head + "[PASS] 4.2.1 anon\n\n== Summary total ==\n1 checks PASS\n0 checks FAIL\n0 checks WARN\n0 checks INFO\n\n== Summary total ==\n", `line 11: a second "== Summary total =="`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			nr, err := ParseBytes([]byte(tt.in), "paste.txt", Options{})
			if err == nil {
				t.Fatalf("read %d checks, want an error saying %q", len(nr.Checks), tt.want)
			}
			if !strings.Contains(err.Error(), "read paste.txt: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to name paste.txt and say %q", err, tt.want)
			}
		})
	}
}

// TestTextOldHeadings: kube-bench up to v0.4.x names no target in its
// headings; the target is the one whose checks precede them.
func TestTextOldHeadings(t *testing.T) {
	t.Parallel()
	in := "[INFO] 1 Master Node Security Configuration\n[INFO] 1.1 API Server\n[FAIL] 1.1.1 anon\n[PASS] 1.1.2 basic auth\n\n" +
		"== Remediations ==\n1.1.1 Set --anonymous-auth=false\n\n== Summary ==\n1 checks PASS\n1 checks FAIL\n0 checks WARN\n0 checks INFO\n" +
		"[INFO] 2 Worker Node Security Configuration\n[INFO] 2.1 Kubelet\n[PASS] 2.1.1 anon\n\n== Summary ==\n1 checks PASS\n0 checks FAIL\n0 checks WARN\n0 checks INFO\n"
	nr, err := ParseBytes([]byte(in), "v0.4.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range nr.Checks {
		got = append(got, fmt.Sprintf("%s %s %s %q", c.Target, c.ID, c.Status, c.Remediation))
	}
	want := []string{`master 1.1.1 FAIL "Set --anonymous-auth=false"`, `master 1.1.2 PASS ""`, `node 2.1.1 PASS ""`}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// v0.0.x: no INFO count, a remediation for every check that did not
	// pass, and the target "federated".
	v00 := "\x1b[34m[INFO] \x1b[0m3 Federated Deployments\n\x1b[34m[INFO] \x1b[0m3.1 Federation API Server\n" +
		"\x1b[31m[FAIL] \x1b[0m3.1.1 anon\n\x1b[34m[INFO] \x1b[0m3.1.2 skipped\n\x1b[33m[WARN] \x1b[0m3.1.3 manual\n\n" +
		"\x1b[33m== Remediations ==\n\x1b[0m3.1.1 fix one\n3.1.2 fix two\n3.1.3 fix three\n\n" +
		"\x1b[31m== Summary ==\n\x1b[0m0 checks PASS\n1 checks FAIL\n1 checks WARN\n"
	nr, err = ParseBytes([]byte(v00), "v0.0.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, c := range nr.Checks {
		got = append(got, fmt.Sprintf("%s %s %s %q", c.Target, c.ID, c.Status, c.Remediation))
	}
	want = []string{`federated 3.1.1 FAIL "fix one"`, `federated 3.1.2 INFO "fix two"`, `federated 3.1.3 WARN "fix three"`}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("v0.0.x (-want +got):\n%s", d)
	}
	_, err = ParseBytes([]byte(strings.Replace(v00, "1 checks WARN", "2 checks WARN", 1)), "v0.0.txt", Options{})
	if err == nil || !strings.Contains(err.Error(), "the summary of target federated says 0 PASS, 1 FAIL, 2 WARN, 1 INFO but its results count 0 PASS, 1 FAIL, 1 WARN, 1 INFO") {
		t.Errorf("v0.0.x: error %v, want the three counts held to the results", err)
	}

	_, err = ParseBytes([]byte(strings.Replace(in, "1 checks FAIL", "2 checks FAIL", 1)), "v0.4.txt", Options{})
	if err == nil || !strings.Contains(err.Error(), "line 9: the input disagrees with itself: the summary of target master says 1 PASS, 2 FAIL") {
		t.Errorf("error %v, want the unnamed summary named by the target before it", err)
	}
}

// TestStructuredPaste: JSON and JUnit outputs pasted (white space, CRLF, a
// BOM, a prompt line, a Markdown code fence) read to the same checks.
func TestStructuredPaste(t *testing.T) {
	t.Parallel()
	variants := []struct {
		name string
		f    func(string) string
	}{
		{"trailing blanks", func(s string) string {
			return eachLine(s, func(i int, l string) string { return l + []string{" ", "  ", "\t", " \t"}[i%4] })
		}},
		{"indented by a tab", func(s string) string { return eachLine(s, func(_ int, l string) string { return "\t" + l }) }},
		{"indented by four spaces", func(s string) string { return eachLine(s, func(_ int, l string) string { return "    " + l }) }},
		{"CRLF", func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }},
		{"BOM", func(s string) string { return "\ufeff" + s }},
		{"prompt", func(s string) string { return "$ kube-bench run --targets master,node --json\n" + s }},
		{"fenced", func(s string) string { return "```\n" + s + "```\n" }},
		{"fenced with a prompt", func(s string) string { return "```console\nroot@node-1:~# kube-bench run --junit\n" + s + "```\n" }},
		{"leading blank line", func(s string) string { return "\n" + s }},
	}
	for _, name := range []string{"v0.14.1-cis-1.10-mixed.json", "v0.14.1-cis-1.10-mixed-nototals.json", "v0.14.1-cis-1.10-mixed-concat.json", "v0.14.1-cis-1.10-mixed.xml", "v0.8.0-cis-1.8-mixed.xml"} {
		real := string(fixture(t, name))
		want, err := ParseBytes([]byte(real), name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range variants {
			t.Run(name+"/"+v.name, func(t *testing.T) {
				t.Parallel()
				got, err := ParseBytes([]byte(v.f(real)), name, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(want.Checks, got.Checks); d != "" {
					t.Errorf("checks differ (-want +got):\n%s", d)
				}
				if want.Totals != got.Totals {
					t.Errorf("totals %+v, want %+v", got.Totals, want.Totals)
				}
			})
		}
	}
}

// TestLegacyJSON: kube-bench v0.0.6 and earlier printed its structs
// without JSON tags, one object per target.
func TestLegacyJSON(t *testing.T) {
	t.Parallel()
	in := `{"ID":"1","Text":"Master Node Security Configuration","Type":"master","Groups":[{"ID":"1.1","Text":"API Server","Checks":[` +
		`{"id":"1.1.1","Text":"anon","Remediation":"set it","State":"FAIL"},{"id":"1.1.2","Text":"basic","Remediation":"","State":"PASS"}]}],"Pass":1,"Fail":1,"Warn":0}` + "\n" +
		`{"ID":"2","Text":"Worker Node Security Configuration","Type":"node","Groups":[{"ID":"2.1","Text":"Kubelet","Checks":[{"id":"2.1.1","Text":"x","Remediation":"y","State":"WARN"}]}],"Pass":0,"Fail":0,"Warn":1}` + "\n"
	nr, err := ParseBytes([]byte(in), "v0.0.1.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range nr.Checks {
		got = append(got, fmt.Sprintf("%s %s/%s %s %s %q", c.Target, c.Section, c.ID, c.Status, c.Text, c.Remediation))
	}
	want := []string{`master 1.1/1.1.1 FAIL anon "set it"`, `master 1.1/1.1.2 PASS basic ""`, `node 2.1/2.1.1 WARN x "y"`}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if nr.Totals != (Totals{Pass: 1, Fail: 1, Warn: 1}) {
		t.Errorf("totals %+v", nr.Totals)
	}
	// v0.0.x printed its log on stdout, before the JSON.
	logged := "[INFO] Using config file: /etc/kube-bench/cfg/config.yaml\n[WARN] kubelet: command not found on path - version check skipped\n" + in
	if again, err := ParseBytes([]byte(logged), "v0.0.1.json", Options{}); err != nil || again.Format != FormatJSON || again.Totals != nr.Totals {
		t.Errorf("with its log before it: %v", err)
	}
	_, err = ParseBytes([]byte(strings.Replace(in, `"Pass":1,`, `"Pass":5,`, 1)), "v0.0.1.json", Options{})
	if err == nil || !strings.Contains(err.Error(), `the input disagrees with itself: the "Pass", "Fail" and "Warn" of target master says 5 PASS`) {
		t.Errorf("error %v, want its Pass held to its results", err)
	}
}
