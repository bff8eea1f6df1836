package benchresult

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// kube-bench's --junit output (check/controls.go JUnit() of kube-bench,
// written with ginkgo's JUnit reporter structs):
//
//	<testsuites>                                  since v0.6.4; before, one document per target
//	<testsuite name="<Controls.Text>" tests="N" failures="N" errors="0" time="0">
//	    <testcase name="<id> <text>" classname="<group desc>" time="0">
//	        <failure type="">remediation</failure>  FAIL
//	        <skipped></skipped>                     WARN and INFO alike
//	        <system-out>{the check as kube-bench's JSON}</system-out>
//
// What JUnit does not carry, and so a JUnit result lacks:
//   - the benchmark id (kube-bench's "version"): Control.Benchmark is "";
//   - the target (node_type): it is derived from the suite name, the
//     target's description in kube-bench's cfg (see [targetOfText]), and
//     from the check id's first number when the name is unknown;
//   - without <system-out> (not known to happen with kube-bench, but a
//     JUnit file may have been post-processed): the status is FAIL for a
//     <failure>, WARN for a <skipped> (INFO cannot be told apart from WARN
//     then), PASS otherwise; scored, type, reason, expected and actual are
//     unknown and left empty.

type junitSuite struct {
	Name     string `xml:"name,attr"`
	Tests    string `xml:"tests,attr"`
	Failures string `xml:"failures,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure"`
	Error     *junitMessage `xml:"error"`
	Skipped   *junitMessage `xml:"skipped"`
	SystemOut *string       `xml:"system-out"`
}

type junitMessage struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// parseJUnit reads kube-bench's JUnit output. data starts at the first
// line of the XML, which is line `line` of the input.
func parseJUnit(data []byte, line int, source string) (*NodeResult, error) {
	if first, _, _ := bytes.Cut(data, []byte{'\n'}); len(first) > 0 {
		if _, prefixed := StripLogPrefix(first); prefixed {
			data = stripPrefixes(data)
		}
	}
	if line < 1 {
		line = 1
	}
	p := &junitParser{source: source, lineBase: line - 1, nr: &NodeResult{}}
	p.dec = xml.NewDecoder(bytes.NewReader(data))
	p.dec.Strict = true // and no Entity map: only XML's five entities
	if err := p.documents(); err != nil {
		return nil, err
	}
	return p.nr, nil
}

type junitParser struct {
	dec      *xml.Decoder
	source   string
	lineBase int
	nr       *NodeResult
	suites   int
}

// line is the input line the decoder is at.
func (p *junitParser) line() int {
	l, _ := p.dec.InputPos()
	return p.lineBase + l
}

func (p *junitParser) errorf(line int, format string, args ...any) error {
	return inputErr(p.source, line, format, args...)
}

func (p *junitParser) xmlErr(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Msg, "unexpected EOF") {
			return p.errorf(p.lineBase+se.Line, "invalid XML: truncated (the file ends inside an element)")
		}
		return p.errorf(p.lineBase+se.Line, "invalid XML: %s", se.Msg)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return p.errorf(p.line(), "invalid XML: truncated (the file ends inside an element)")
	}
	return p.errorf(p.line(), "invalid XML: %v", err)
}

// documents reads the top level: one <testsuites>, or (before kube-bench
// v0.6.4) a run of <testsuite> documents. Text after the last document
// (log lines of a `kubectl logs` capture) ends the results.
func (p *junitParser) documents() error {
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			if p.suites == 0 {
				return p.errorf(p.line(), "%w: JUnit without a <testsuite>", ErrNotKubeBench)
			}
			return nil
		}
		if err != nil {
			if p.suites > 0 && !errors.Is(err, io.ErrUnexpectedEOF) && !isTruncation(err) {
				return nil // trailing log lines that are not XML
			}
			return p.xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "testsuites":
				if err := p.suitesElement(); err != nil {
					return err
				}
			case "testsuite":
				if err := p.suite(t); err != nil {
					return err
				}
			default:
				return p.errorf(p.line(), "%w: XML whose root is <%s>, not JUnit's <testsuites> or <testsuite>", ErrNotKubeBench, t.Name.Local)
			}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				if p.suites > 0 {
					return nil // log lines after the results
				}
				return p.errorf(p.line(), "%w: text outside of the XML elements", ErrNotKubeBench)
			}
		case xml.Directive:
			return p.errorf(p.line(), "%w: XML with a <!%s> declaration; kube-bench writes none", ErrNotKubeBench, firstWord(t))
		}
	}
}

func isTruncation(err error) bool {
	var se *xml.SyntaxError
	return errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF")
}

func firstWord(b []byte) string {
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	if len(f[0]) > 20 {
		return f[0][:20]
	}
	return f[0]
}

// suitesElement reads the children of <testsuites>.
func (p *junitParser) suitesElement() error {
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return p.xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "testsuite" {
				if err := p.dec.Skip(); err != nil {
					return p.xmlErr(err)
				}
				continue
			}
			if err := p.suite(t); err != nil {
				return err
			}
		case xml.EndElement:
			if p.suites == 0 {
				return p.errorf(p.line(), "%w: JUnit without a <testsuite>", ErrNotKubeBench)
			}
			return nil
		}
	}
}

// suite reads one <testsuite>: one kube-bench target.
func (p *junitParser) suite(start xml.StartElement) error {
	suiteLine := p.line()
	var s junitSuite
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "name":
			s.Name = a.Value
		case "tests":
			s.Tests = a.Value
		case "failures":
			s.Failures = a.Value
		}
	}
	s.Name = validUTF8(s.Name)
	target, known := targetOfText(s.Name)
	first := len(p.nr.Checks)
	var totals Totals
	kubeBenchOut := false // a testcase carried kube-bench's JSON
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return p.xmlErr(err)
		}
		if _, ok := tok.(xml.EndElement); ok {
			break
		}
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if t.Name.Local != "testcase" {
			if err := p.dec.Skip(); err != nil {
				return p.xmlErr(err)
			}
			continue
		}
		caseLine := p.line()
		var tc junitCase
		if err := p.dec.DecodeElement(&tc, &t); err != nil {
			return p.xmlErr(err)
		}
		c, fromOut, err := p.check(&tc, caseLine)
		if err != nil {
			if !known && !kubeBenchOut {
				return p.errorf(caseLine, "%w: JUnit from another tool: testsuite %q is not a kube-bench target and %v", ErrNotKubeBench, s.Name, err)
			}
			return p.errorf(caseLine, "%v", err)
		}
		kubeBenchOut = kubeBenchOut || fromOut
		totals.Add(c.Status)
		p.nr.Checks = append(p.nr.Checks, c)
	}
	p.suites++
	checks := p.nr.Checks[first:]
	if !known {
		if len(checks) > 0 && !kubeBenchOut {
			return p.errorf(suiteLine, "%w: JUnit from another tool: testsuite %q is not a kube-bench target and no testcase carries kube-bench's results", ErrNotKubeBench, s.Name)
		}
		if len(checks) > 0 {
			t, ok := targetOfID(checks[0].ID)
			if !ok {
				return p.errorf(suiteLine, "testsuite %q: cannot tell which kube-bench target it is (not a description kube-bench uses, and check %s does not say)", s.Name, checks[0].ID)
			}
			target = t
		}
	}
	for i := range checks {
		checks[i].Target = target
	}
	if err := compareSuiteCounts(s, totals); err != nil {
		return &InputError{Source: p.source, Line: suiteLine, Err: err}
	}
	p.nr.Totals = p.nr.Totals.Plus(totals)
	return nil
}

// compareSuiteCounts checks the suite's tests and failures attributes
// against its testcases: a difference is a *TotalsError (not Trustable:
// JUnit does not state kube-bench's four totals).
func compareSuiteCounts(s junitSuite, t Totals) error {
	tests, failures := -1, -1
	if s.Tests != "" {
		n, err := strconv.Atoi(s.Tests)
		if err != nil {
			return fmt.Errorf("testsuite %q: tests=%q is not a number", s.Name, s.Tests)
		}
		tests = n
	}
	if s.Failures != "" {
		n, err := strconv.Atoi(s.Failures)
		if err != nil {
			return fmt.Errorf("testsuite %q: failures=%q is not a number", s.Name, s.Failures)
		}
		failures = n
	}
	cases := t.Pass + t.Fail + t.Warn + t.Info
	if (tests < 0 || tests == cases) && (failures < 0 || failures == t.Fail) {
		return nil
	}
	var stated []string
	if tests >= 0 {
		stated = append(stated, fmt.Sprintf("tests=%d", tests))
	}
	if failures >= 0 {
		stated = append(stated, fmt.Sprintf("failures=%d", failures))
	}
	return &TotalsError{What: fmt.Sprintf("testsuite %q", s.Name), Stated: strings.Join(stated, ", "),
		Counted: fmt.Sprintf("%d testcase%s, %d of them failed", cases, map[bool]string{true: "", false: "s"}[cases == 1], t.Fail)}
}

// check turns one testcase into a check, from its system-out when that
// holds kube-bench's JSON (fromOut), else from its name and elements.
func (p *junitParser) check(tc *junitCase, line int) (c Check, fromOut bool, err error) {
	tc.Name, tc.Classname = validUTF8(tc.Name), validUTF8(tc.Classname)
	id, text, ok := splitCaseName(tc.Name)
	if !ok {
		return Check{}, false, fmt.Errorf("testcase %q is not named \"<check id> <description>\"", truncate(tc.Name, 60))
	}
	if tc.Error != nil {
		return Check{}, false, fmt.Errorf("testcase %s has an <error>, which kube-bench never writes", id)
	}
	elem := Pass
	switch {
	case tc.Failure != nil && tc.Skipped != nil:
		return Check{}, false, fmt.Errorf("testcase %s has both <failure> and <skipped>", id)
	case tc.Failure != nil:
		elem = Fail
	case tc.Skipped != nil:
		elem = Warn
	}
	ctl := &Control{Target: "", Section: sectionOf(id), SectionText: tc.Classname, ID: id, Text: text}
	c = Check{Control: ctl, Status: elem}
	if tc.Failure != nil {
		ctl.Remediation = validUTF8(tc.Failure.Text)
	}
	out := ""
	if tc.SystemOut != nil {
		out = strings.TrimSpace(*tc.SystemOut)
	}
	if !strings.HasPrefix(out, "{") {
		// No system-out, or kube-bench's "Failed to marshal test into
		// JSON" message: the name and elements are all there is.
		return c, false, nil
	}
	var jc jsonCheck
	if err := json.Unmarshal([]byte(out), &jc); err != nil {
		return Check{}, false, fmt.Errorf("testcase %s: system-out is not kube-bench's JSON of the check: %v", id, err)
	}
	if jc.ID != id {
		return Check{}, false, fmt.Errorf("testcase %s: system-out describes check %q", id, truncate(jc.ID, 40))
	}
	st, err := ParseStatus(jc.Status)
	if err != nil || st == NotApplicable {
		return Check{}, false, fmt.Errorf("testcase %s: unknown status %q in system-out", id, truncate(jc.Status, 40))
	}
	if want := elementOf(st); want != elem {
		return Check{}, false, fmt.Errorf("testcase %s: system-out says %s but the testcase is marked %s", id, st, elementName(elem))
	}
	if jc.Text != "" {
		ctl.Text = jc.Text
	}
	ctl.Type, ctl.Scored, ctl.Remediation, ctl.Expected = jc.Type, jc.Scored, jc.Remediation, jc.Expected
	c.Status, c.Reason = st, jc.Reason
	return c, true, nil
}

// elementOf is the JUnit element kube-bench writes for a status, expressed
// as the status the element alone would be read as.
func elementOf(s Status) Status {
	switch s {
	case Fail:
		return Fail
	case Warn, Info:
		return Warn
	}
	return Pass
}

func elementName(s Status) string {
	switch s {
	case Fail:
		return "<failure>"
	case Warn:
		return "<skipped>"
	}
	return "passed"
}

// splitCaseName splits "<id> <text>" and checks that the id looks like a
// kube-bench check id: "4.2.1", "7.10", "V-242381".
func splitCaseName(name string) (id, text string, ok bool) {
	id, text, _ = strings.Cut(name, " ")
	return id, text, isCheckID(id)
}

// isCheckID reports whether s looks like a kube-bench check id: parts of
// letters and digits joined by '.' or '-', with at least one digit.
func isCheckID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	digit := false
	prevSep := true
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= '0' && b <= '9':
			digit = true
			prevSep = false
		case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
			prevSep = false
		case b == '.' || b == '-':
			if prevSep {
				return false
			}
			prevSep = true
		default:
			return false
		}
	}
	return digit && !prevSep
}

// sectionOf is the group id of a check id: the id without its last
// component ("4.2.1" → "4.2", "7.10" → "7"); "" when it has one component.
func sectionOf(id string) string {
	if i := strings.LastIndexByte(id, '.'); i >= 0 {
		return id[:i]
	}
	return ""
}

// targetOfText maps the description kube-bench gives a target (Controls.Text,
// the "text:" of a cfg/<benchmark>/<target>.yaml) to the target. These are
// every text in the cfg of kube-bench v0.0.1 to v0.15.6.
func targetOfText(text string) (Target, bool) {
	switch strings.TrimSpace(text) {
	case "Control Plane Security Configuration", "Master Node Security Configuration",
		"Control Plane Components", "Securing the OpenShift Master":
		return TargetMaster, true
	case "Etcd Node Configuration", "Etcd":
		return TargetEtcd, true
	case "Control Plane Configuration":
		return TargetControlPlane, true
	case "Worker Node Security Configuration", "Worker Nodes":
		return TargetNode, true
	case "Kubernetes Policies", "Policies":
		return TargetPolicies, true
	case "Managed Services":
		return TargetManagedServices, true
	case "Federated Deployments": // kube-bench v0.0.x
		return "federated", true
	}
	return "", false
}

// targetOfID guesses the target from a check id's first number, as the CIS
// benchmarks number them (1 master, 2 etcd, 3 controlplane, 4 node,
// 5 policies). Managed-provider benchmarks number differently, but every
// one of them uses target descriptions targetOfText knows.
func targetOfID(id string) (Target, bool) {
	first, _ := cutDot(id)
	switch first {
	case "1":
		return TargetMaster, true
	case "2":
		return TargetEtcd, true
	case "3":
		return TargetControlPlane, true
	case "4":
		return TargetNode, true
	case "5":
		return TargetPolicies, true
	}
	return "", false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
