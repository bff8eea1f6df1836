package junit

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	gojunit "github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// Write writes the verdict as JUnit XML (see [New]), after an XML
// declaration, for CI systems that show test reports. The output depends only on the verdict: the same
// verdict gives the same bytes, and no clock is read. It is safe to print in
// a CI log (see [render.LogSafeXML]).
func Write(w io.Writer, v *verdict.Verdict) error {
	suites := New(v)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := suites.WriteXML(&b); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := w.Write(render.LogSafeXML(b.Bytes())); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

// New turns the verdict into JUnit test suites: one suite per node and
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
// timestamp; a caller that wants one sets it with [gojunit.Testsuite.SetTimestamp]
// before [gojunit.Testsuites.WriteXML]. Text from results and exceptions is
// cleaned of characters XML 1.0 cannot carry (see [XMLText]); encoding/xml
// escapes the rest.
func New(v *verdict.Verdict) gojunit.Testsuites {
	findings := make(map[*benchresult.Check]verdict.Finding, len(v.Findings))
	for _, f := range v.Findings {
		findings[f.Check] = f
	}
	type suiteKey struct {
		node   string
		target benchresult.Target
	}
	var (
		order  []suiteKey
		suites = map[suiteKey]*gojunit.Testsuite{}
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
			s = &gojunit.Testsuite{Name: render.XMLText(render.NodeName(c.Node) + "/" + string(c.Target)), Time: "0"}
			if c.Node != "" {
				s.Hostname = render.XMLText(c.Node)
			}
			suites[k] = s
			order = append(order, k)
		}
		if !slices.Contains(benchs[k], c.Benchmark) {
			benchs[k] = append(benchs[k], c.Benchmark)
		}
		f, isFinding := findings[c]
		s.AddTestcase(junitTestcase(v, c, f, isFinding))
	}
	out := gojunit.Testsuites{Name: render.XMLText(junitSuitesName(r.Cluster))}
	for i, k := range order {
		s := suites[k]
		s.ID = i
		if r.Cluster != "" {
			s.AddProperty("cluster", render.XMLText(r.Cluster))
		}
		s.AddProperty("node", render.XMLText(render.NodeName(k.node)))
		s.AddProperty("target", render.XMLText(string(k.target)))
		for _, b := range benchs[k] {
			s.AddProperty("benchmark", render.XMLText(render.Benchmark(b)))
		}
		out.AddSuite(*s)
	}
	return out
}

func junitTestcase(v *verdict.Verdict, c *benchresult.Check, f verdict.Finding, isFinding bool) gojunit.Testcase {
	tc := gojunit.Testcase{
		Name:      render.XMLText(c.ID + " " + render.OneLine(c.Text)),
		Classname: render.XMLText(render.Benchmark(c.Benchmark) + "/" + string(c.Target) + "/" + render.Section(c.Control)),
		Time:      "0",
		Status:    c.EffectiveStatus().String(),
	}
	switch st := c.EffectiveStatus(); {
	case st == benchresult.Pass:
	case isFinding && f.State == verdict.StateAccepted && f.Exception != nil:
		e := f.Exception
		tc.Skipped = &gojunit.Result{
			Type: "accepted",
			Message: render.XMLText(fmt.Sprintf("FAIL accepted by exception: owner %s, review date %s, accepted by %s",
				render.OneLine(e.Owner), e.ReviewDate, render.OneLine(e.RiskAcceptedBy))),
			Data: render.XMLText(junitLines(
				"Reason: "+e.Reason,
				"Exception: "+render.ExceptionSource(e),
				"Node: "+render.NodeName(c.Node),
			)),
		}
	case isFinding:
		typ := "FAIL"
		if f.Kind == verdict.KindFailedManual {
			typ = "failed-manual" // kube-bench's WARN: the test of a Manual check failed
		}
		tc.Failure = &gojunit.Result{
			Type:    typ,
			Message: render.XMLText(junitFailMessage(v, c, f)),
			Data:    render.XMLText(junitFailBody(c, f)),
		}
	case st == benchresult.NotApplicable:
		tc.Skipped = &gojunit.Result{
			Type:    "NOT APPLICABLE",
			Message: render.XMLText("NOT APPLICABLE: " + render.OneLine(c.NotApplicable)),
			Data:    render.XMLText("kube-bench reported " + c.Status.String() + "; a profile took the check out of scope: " + c.NotApplicable),
		}
	default: // WARN, INFO, and a FAIL the verdict did not see
		tc.Skipped = &gojunit.Result{
			Type:    st.String(),
			Message: render.XMLText(junitSkipMessage(c)),
			Data:    render.XMLText(junitRemediation(c)),
		}
	}
	return tc
}

func junitFailMessage(v *verdict.Verdict, c *benchresult.Check, f verdict.Finding) string {
	what := "FAIL"
	if f.Kind == verdict.KindFailedManual {
		what = "failed, Manual in this benchmark (kube-bench reports WARN)"
	}
	msg := "new " + what
	switch {
	case v.Delta != nil && v.Delta.Legacy:
		msg = what // the seed's baseline holds a count, not which checks failed
	case !f.New:
		msg = what + ", in the baseline"
	}
	if c.CouldNotCheck() {
		msg += ", could not check"
	}
	if f.Exception != nil {
		msg += ", exception expired " + f.Exception.ReviewDate.String()
	}
	return msg
}

func junitFailBody(c *benchresult.Check, f verdict.Finding) string {
	lines := []string{junitRemediation(c), "", "Node: " + render.NodeName(c.Node), "Owner: " + f.Owner}
	if c.CouldNotCheck() {
		lines = append(lines, "Could not check: "+c.Reason)
	}
	if e := f.Exception; e != nil {
		lines = append(lines, fmt.Sprintf("Exception expired: review date %s (%s), owner %s, accepted by %s", e.ReviewDate, render.ExceptionSource(e), e.Owner, e.RiskAcceptedBy))
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
		return st + ": " + render.OneLine(c.Reason)
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

func junitSuitesName(cluster string) string {
	if cluster == "" {
		return "bench-action"
	}
	return "bench-action " + cluster
}
