package action

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/bench-action/bench-action/benchresult"
)

// WriteJUnit writes the verdict as JUnit XML (see [NewJUnit]), after an XML
// declaration, for CI systems that show test reports. The output depends only on the verdict: the same
// verdict gives the same bytes, and no clock is read. It is safe to print in
// a CI log (see [logSafeXML]).
func WriteJUnit(w io.Writer, v *Verdict) error {
	suites := NewJUnit(v)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := suites.WriteXML(&b); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := w.Write(logSafeXML(b.Bytes())); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

// NewJUnit turns the verdict into JUnit test suites: one suite per node and
// target (cluster-wide targets under the node "(cluster)"), one test case
// per check.
//
// A test case is named by the check id and description; its class name is
// benchmark/target/section ("cis-1.10/master/1.2"), so that (classname, name)
// is unique in a suite even where kube-bench repeats a group's text. Its
// status attribute is the kube-bench status (or NOT APPLICABLE). The result:
//
//   - PASS: passed.
//   - open FAIL: a failure; the message says "new FAIL" or "FAIL, in the
//     baseline" (or "FAIL" with the seed's count-only baseline), the body
//     holds the remediation, node, owner, and any expired exception.
//   - FAIL accepted by an exception: skipped; the message names the
//     exception's owner, review date and who accepted the risk, the body
//     its reason and where it is written.
//   - WARN, INFO: skipped, the message starting with the status ("WARN:
//     manual check") and the result's type attribute holding it, so WARN and
//     INFO stay apart.
//   - NOT APPLICABLE (a managed-provider profile): skipped with the
//     profile's reason.
//
// Suites carry their counts (tests, failures, skipped, errors = 0) and no
// timestamp; a caller that wants one sets it with [junit.Testsuite.SetTimestamp]
// before [junit.Testsuites.WriteXML]. Text from results and exceptions is
// cleaned of characters XML 1.0 cannot carry (see [XMLText]); encoding/xml
// escapes the rest.
func NewJUnit(v *Verdict) junit.Testsuites {
	findings := make(map[*benchresult.Check]Finding, len(v.Findings))
	for _, f := range v.Findings {
		findings[f.Check] = f
	}
	type suiteKey struct {
		node   string
		target benchresult.Target
	}
	var (
		order  []suiteKey
		suites = map[suiteKey]*junit.Testsuite{}
		benchs = map[suiteKey][]string{}
	)
	r := v.Report
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.Control == nil {
			continue
		}
		k := suiteKey{c.Node, c.Target}
		s, ok := suites[k]
		if !ok {
			s = &junit.Testsuite{Name: XMLText(junitNode(c.Node) + "/" + string(c.Target)), Time: "0"}
			if c.Node != "" {
				s.Hostname = XMLText(c.Node)
			}
			suites[k] = s
			order = append(order, k)
		}
		if !junitContains(benchs[k], c.Benchmark) {
			benchs[k] = append(benchs[k], c.Benchmark)
		}
		f, isFinding := findings[c]
		s.AddTestcase(junitTestcase(v, c, f, isFinding))
	}
	out := junit.Testsuites{Name: XMLText(junitSuitesName(r.Cluster))}
	for i, k := range order {
		s := suites[k]
		s.ID = i
		if r.Cluster != "" {
			s.AddProperty("cluster", XMLText(r.Cluster))
		}
		s.AddProperty("node", XMLText(junitNode(k.node)))
		s.AddProperty("target", XMLText(string(k.target)))
		for _, b := range benchs[k] {
			s.AddProperty("benchmark", XMLText(junitBenchmark(b)))
		}
		out.AddSuite(*s)
	}
	return out
}

// XMLText returns s with every character that XML 1.0 does not allow (NUL,
// ESC and the other C0 controls except tab, newline and carriage return;
// surrogates; U+FFFE and U+FFFF; bytes that are not UTF-8) replaced by
// U+FFFD. encoding/xml escapes markup in attributes and text, but writes
// CDATA sections (the body of a JUnit failure) as they are.
func XMLText(s string) string {
	clean := true
	for _, r := range s {
		if !xmlChar(r) || r == '\uFFFD' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return '\uFFFD'
	}, s)
}

// xmlChar reports whether r is a Char of XML 1.0 (§2.2).
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

func junitTestcase(v *Verdict, c *benchresult.Check, f Finding, isFinding bool) junit.Testcase {
	tc := junit.Testcase{
		Name:      XMLText(c.ID + " " + oneLine(c.Text)),
		Classname: XMLText(junitBenchmark(c.Benchmark) + "/" + string(c.Target) + "/" + junitSection(c.Control)),
		Time:      "0",
		Status:    c.EffectiveStatus().String(),
	}
	switch st := c.EffectiveStatus(); {
	case st == benchresult.Pass:
	case isFinding && f.State == StateAccepted && f.Exception != nil:
		e := f.Exception
		tc.Skipped = &junit.Result{
			Type: "accepted",
			Message: XMLText(fmt.Sprintf("FAIL accepted by exception: owner %s, review date %s, accepted by %s",
				oneLine(e.Owner), e.ReviewDate, oneLine(e.RiskAcceptedBy))),
			Data: XMLText(junitLines(
				"Reason: "+e.Reason,
				"Exception: "+exceptionWhere(e),
				"Node: "+junitNode(c.Node),
			)),
		}
	case isFinding:
		tc.Failure = &junit.Result{
			Type:    "FAIL",
			Message: XMLText(junitFailMessage(v, c, f)),
			Data:    XMLText(junitFailBody(c, f)),
		}
	case st == benchresult.NotApplicable:
		tc.Skipped = &junit.Result{
			Type:    "NOT APPLICABLE",
			Message: XMLText("NOT APPLICABLE: " + oneLine(c.NotApplicable)),
			Data:    XMLText("kube-bench reported " + c.Status.String() + "; a profile took the check out of scope: " + c.NotApplicable),
		}
	default: // WARN, INFO, and a FAIL the verdict did not see
		tc.Skipped = &junit.Result{
			Type:    st.String(),
			Message: XMLText(junitSkipMessage(c)),
			Data:    XMLText(junitRemediation(c)),
		}
	}
	return tc
}

func junitFailMessage(v *Verdict, c *benchresult.Check, f Finding) string {
	msg := "new FAIL"
	switch {
	case v.Delta != nil && v.Delta.Legacy:
		msg = "FAIL" // the seed's baseline holds a count, not which checks failed
	case !f.New:
		msg = "FAIL, in the baseline"
	}
	if c.CouldNotCheck() {
		msg += ", could not check"
	}
	if f.Exception != nil {
		msg += ", exception expired " + f.Exception.ReviewDate.String()
	}
	return msg
}

func junitFailBody(c *benchresult.Check, f Finding) string {
	lines := []string{junitRemediation(c), "", "Node: " + junitNode(c.Node), "Owner: " + f.Owner}
	if c.CouldNotCheck() {
		lines = append(lines, "Could not check: "+c.Reason)
	}
	if e := f.Exception; e != nil {
		lines = append(lines, fmt.Sprintf("Exception expired: review date %s (%s), owner %s, accepted by %s", e.ReviewDate, exceptionWhere(e), e.Owner, e.RiskAcceptedBy))
	}
	return junitLines(lines...)
}

func junitSkipMessage(c *benchresult.Check) string {
	st := c.EffectiveStatus().String()
	switch {
	case c.Type == "manual":
		return st + ": manual check"
	case c.Type == "skip":
		return st + ": skipped by the benchmark"
	case c.Reason != "":
		return st + ": " + oneLine(c.Reason)
	case !c.Scored:
		return st + ": unscored check not met"
	}
	return st
}

func junitRemediation(c *benchresult.Check) string {
	if strings.TrimSpace(c.Remediation) == "" {
		return "Remediation: none given by the benchmark."
	}
	return "Remediation:\n" + strings.TrimRight(c.Remediation, "\n")
}

func junitLines(lines ...string) string { return strings.Join(lines, "\n") }

func junitNode(node string) string {
	if node == "" {
		return "(cluster)"
	}
	return node
}

func junitBenchmark(b string) string {
	if b == "" {
		return "-"
	}
	return b
}

// junitSection is the check's group id, or, when the format did not carry
// it, the id without its last part ("1.2.3" → "1.2").
func junitSection(c *benchresult.Control) string {
	if c.Section != "" {
		return c.Section
	}
	if i := strings.LastIndexByte(c.ID, '.'); i > 0 {
		return c.ID[:i]
	}
	return c.ID
}

func junitSuitesName(cluster string) string {
	if cluster == "" {
		return "bench-action"
	}
	return "bench-action " + cluster
}

func junitContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
