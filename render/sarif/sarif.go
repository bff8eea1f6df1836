package sarif

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// Options tune [Write]. The zero value is ready to use.
type Options struct {
	// ToolVersion is bench-action's version, written as tool.driver.version;
	// "" leaves it out.
	ToolVersion string
	// LocationURI is the file every result points at. kube-bench findings
	// are about a cluster, not a source file, but code scanning rejects a
	// result without a location, and merge protection only sees alerts in
	// files of the repository: name a file the user controls (the
	// exceptions file, a manifest of the cluster). "" means the exceptions
	// file of the verdict's configuration, else [DefaultLocation].
	LocationURI string
	// Category is the run's automationDetails.id, which code scanning uses
	// to keep one analysis per cluster apart from another. "" means
	// "bench-action/<cluster>/".
	Category string
	// OmitAccepted leaves FAILs accepted by an exception out. By default
	// they are written as suppressed results (suppression kind "external",
	// status "accepted", the exception's reason as justification), pointing
	// at the exception's line, so code scanning shows them as dismissed
	// rather than fixed.
	OmitAccepted bool
}

// DefaultLocation is the file SARIF results point at when neither
// [Options.LocationURI] nor an exceptions file is given.
const DefaultLocation = "kube-bench-exceptions.yaml"

// FingerprintKey is the partialFingerprints key under which each
// result carries [Fingerprint] of its check. The suffix is the version
// of the recipe; a new recipe gets a new key.
const FingerprintKey = "benchActionCheck/v1"

// informationURI is the tool's home page, written as tool.driver.informationUri.
const informationURI = "https://github.com/bench-action/bench-action"

// Write writes the verdict as a SARIF 2.1.0 log for GitHub code
// scanning (see [New]), indented, with a final newline, safe to print
// in a CI log (see [render.LogSafeJSON]). The output depends only on the verdict
// and opts.
func Write(w io.Writer, v *verdict.Verdict, opts Options) error {
	rep := New(v, opts)
	var b bytes.Buffer
	if err := rep.PrettyWrite(&b); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	b.WriteString("\n")
	if _, err := w.Write(render.LogSafeJSON(b.Bytes())); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

// New turns the verdict into a SARIF 2.1.0 log of one run, tool
// "bench-action".
//
// Rules: one per control that has a result, with the id from [RuleID],
// the control's text as short description, and the remediation as help
// (plain in help.text; in help.markdown escaped with [MarkdownText] and
// [CodeBlock]). Its default level is error for a scored control, warning
// for an unscored one.
//
// Results: one per open FAIL, in the report's order, at level error when it
// is new and scored, warning when it is persisting (FAIL in the baseline)
// or unscored; with a baseline, baselineState says "new" or "unchanged".
// Unless opts.OmitAccepted, one per accepted FAIL too, suppressed (see
// [Options.OmitAccepted]), at level note.
//
// Every result has a physical location (opts.LocationURI, line 1; the
// exception's file and line when an exception accepts it or has expired on
// it; for an open FAIL traced by `gate --configs` ([verdict.Finding.Where]),
// the configuration file, relative to the repository root, and the line
// that sets it) and a logical location naming the node (or "(cluster)") as
// cluster/node. partialFingerprints[[FingerprintKey]] is
// [Fingerprint] of the check's identity, so code scanning follows one
// alert per check and node from run to run.
func New(v *verdict.Verdict, opts Options) *gosarif.Report {
	r := v.Report
	loc := sarifLocationURI(v, opts)
	category := opts.Category
	if category == "" {
		category = "bench-action/" + r.Cluster + "/"
		if r.Cluster == "" {
			category = "bench-action/"
		}
	}

	driver := gosarif.NewToolComponent()
	name := "bench-action"
	driver.Name = &name
	info := informationURI
	driver.InformationURI = &info
	if opts.ToolVersion != "" {
		ver := opts.ToolVersion
		driver.Version = &ver
	}
	tool := gosarif.NewTool()
	tool.Driver = driver

	run := gosarif.NewRun()
	run.Tool = tool
	run.WithAutomationDetails(gosarif.NewRunAutomationDetails().WithID(category))
	props := gosarif.NewPropertyBag()
	props.Add("cluster", r.Cluster)
	props.Add("benchmarks", sarifStrings(r.Benchmarks()))
	props.Add("verdict", v.VerdictWord())
	props.Add("reasons", sarifStrings(v.Reasons))
	props.Add("counts", render.NewCountsJSON(v.Counts))
	run.WithProperties(props)

	ruleIndex := map[string]int{}
	for _, f := range v.Findings {
		if f.State == verdict.StateAccepted && opts.OmitAccepted {
			continue
		}
		c := f.Check
		id := RuleID(c.Control)
		idx, ok := ruleIndex[id]
		if !ok {
			idx = len(driver.Rules)
			ruleIndex[id] = idx
			driver.Rules = append(driver.Rules, sarifRule(c.Control))
		}
		run.AddResult(sarifResult(v, f, id, idx, loc))
	}

	rep := gosarif.NewReport()
	rep.AddRun(run)
	return rep
}

// RuleID is the rule id of a control: "<benchmark>/<target>/<id>",
// e.g. "cis-1.10/master/1.2.11" ("-" for a benchmark the input did not
// name).
//
// The benchmark is part of it on purpose. CIS benchmark versions renumber
// and reuse ids: 1.2.16 is --profiling in cis-1.8 and --audit-log-path in
// cis-1.9. An id without the benchmark would give one rule two meanings
// and attach the history of one control's alerts to another. The cost is
// that upgrading kube-bench's benchmark (cis-1.9 → cis-1.10) closes the old
// alerts and opens new ones, as an upgrade of a linter's rule set would;
// the gate itself carries the baseline across versions by the control's
// description, and each rule's properties hold that description's
// fingerprint ("controlFingerprint") for tools that want to do the same.
// The target is part of it because some benchmarks (eks-stig) repeat an id
// across targets.
func RuleID(c *benchresult.Control) string {
	return render.Benchmark(c.Benchmark) + "/" + string(c.Target) + "/" + c.ID
}

// Fingerprint is the stable fingerprint of a check identity: the hex
// SHA-256 of cluster, node, benchmark, target and id, each followed by a
// NUL byte (no part can contain one, so no two identities collide by
// concatenation).
func Fingerprint(k benchresult.Key) string {
	h := sha256.New()
	for _, part := range []string{k.Cluster, k.Node, k.Benchmark, string(k.Target), k.ID} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func sarifLocationURI(v *verdict.Verdict, opts Options) string {
	switch {
	case opts.LocationURI != "":
		return pathURI(opts.LocationURI)
	case v.Config.Exceptions != nil && v.Config.Exceptions.Source != "" && v.Config.Exceptions.Source != "-":
		return pathURI(v.Config.Exceptions.Source)
	}
	return DefaultLocation
}

// pathURI turns a file path (relative to the repository, as code
// scanning expects; "/" or "\" separated) into the URI reference SARIF
// requires: separators become "/" and characters a URI cannot hold are
// percent-encoded ("my dir/a.yaml" → "my%20dir/a.yaml"). A string that
// already is a URI with a scheme ("file:///...") is kept.
func pathURI(p string) string {
	if u, err := url.Parse(p); err == nil && u.Scheme != "" && len(u.Scheme) > 1 && !strings.Contains(p, `\`) {
		return p
	}
	p = strings.ReplaceAll(p, `\`, "/")
	if len(p) >= 2 && p[1] == ':' && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z') {
		// A Windows drive path: an absolute file URI.
		return (&url.URL{Scheme: "file", Path: "/" + p}).String()
	}
	return (&url.URL{Path: p}).String()
}

func sarifRule(c *benchresult.Control) *gosarif.ReportingDescriptor {
	rule := gosarif.NewReportingDescriptor()
	id := RuleID(c)
	rule.ID = &id
	text := render.OneLine(c.Text)
	rule.ShortDescription = sarifText(text)
	full := c.ID + " " + text
	if c.SectionText != "" {
		full += " (" + render.Section(c) + " " + render.OneLine(c.SectionText) + ")"
	}
	rule.FullDescription = sarifText(full)

	helpText := "Remediation:\n" + strings.TrimRight(c.Remediation, "\n")
	var md strings.Builder
	md.WriteString("**" + render.MarkdownText(c.ID) + " " + render.MarkdownText(text) + "**\n\n")
	md.WriteString("Benchmark " + render.MarkdownText(render.Benchmark(c.Benchmark)) + ", target " + render.MarkdownText(string(c.Target)) +
		", section " + render.MarkdownText(render.Section(c)))
	if c.SectionText != "" {
		md.WriteString(" " + render.MarkdownText(render.OneLine(c.SectionText)))
	}
	md.WriteString(".\n\n")
	if strings.TrimSpace(c.Remediation) == "" {
		helpText = "Remediation: none given by the benchmark."
		md.WriteString("Remediation: none given by the benchmark.\n")
	} else {
		md.WriteString("Remediation:\n\n" + render.CodeBlock(c.Remediation))
	}
	mdText := md.String()
	rule.Help = &gosarif.MultiformatMessageString{Text: &helpText, Markdown: &mdText}

	cfg := gosarif.NewReportingConfiguration()
	cfg.Level = gosarif.LevelWarning
	severity := "4.0" // medium
	if c.Scored {
		cfg.Level = gosarif.LevelError
		severity = "7.0" // high
	}
	rule.DefaultConfiguration = cfg

	props := gosarif.NewPropertyBag()
	props.Tags = []string{"security", "kube-bench", "cis"}
	props.Add("benchmark", c.Benchmark)
	props.Add("target", string(c.Target))
	props.Add("section", render.Section(c))
	props.Add("checkId", c.ID)
	props.Add("scored", c.Scored)
	if c.Type != "" {
		props.Add("type", c.Type)
	}
	props.Add("controlFingerprint", sarifHash(c.Fingerprint()))
	// GitHub code scanning shows security-severity as critical/high/medium/low.
	// CIS gives no severity; scored controls count as high, unscored as medium.
	props.Add("security-severity", severity)
	props.Add("precision", "very-high")
	rule.Properties = props
	return rule
}

func sarifResult(v *verdict.Verdict, f verdict.Finding, ruleID string, ruleIdx int, loc string) *gosarif.Result {
	c := f.Check
	res := gosarif.NewResult()
	res.WithRuleID(ruleID).WithRuleIndex(ruleIdx).WithKind("fail")
	res.WithPartialFingerprints(map[string]string{FingerprintKey: Fingerprint(c.Key())})

	where := "on node " + c.Node
	if c.Node == "" {
		where = "cluster-wide"
	}
	if c.Cluster != "" {
		where += " in cluster " + c.Cluster
	}
	head := c.ID + " " + render.OneLine(c.Text) + ": "
	var msg string
	line := 1
	uri := loc
	if e := f.Exception; e != nil && e.Source != "" && e.Source != "-" {
		uri = pathURI(e.Source)
		line = max(1, e.Line)
	}
	if w := f.Where; w != nil && w.File != "" && f.State != verdict.StateAccepted {
		// Traced (gate --configs): the line of the repository that sets it.
		uri, line = pathURI(w.File), max(1, w.Line)
	}
	legacy := v.Delta != nil && v.Delta.Legacy
	switch {
	case f.State == verdict.StateAccepted:
		e := f.Exception
		res.WithLevel(gosarif.LevelNote)
		msg = head + "FAIL " + where + ", accepted by an exception: owner " + render.OneLine(e.Owner) + ", review date " + e.ReviewDate.String() +
			", accepted by " + render.OneLine(e.RiskAcceptedBy) + "."
		res.AddSuppression(gosarif.NewSuppression().WithKind("external").WithStatus("accepted").WithJustification(sarifJustification(e)))
	default:
		level := gosarif.LevelWarning
		if f.New && c.Scored {
			level = gosarif.LevelError
		}
		res.WithLevel(level)
		what := "FAIL"
		if f.Kind == verdict.KindFailedManual {
			what = "failed test of a check that is Manual in this benchmark (kube-bench reports WARN)"
		}
		state := "new " + what
		switch {
		case legacy:
			state = what
		case !f.New:
			state = what + ", in the baseline,"
		}
		msg = head + state + " " + where + ". Owner: " + render.OneLine(f.Owner) + "."
		if c.CouldNotCheck() {
			msg += " The audit could not run: " + render.OneLine(c.Reason) + "."
		}
		if f.Where != nil {
			msg += " It is " + render.WhereSet(f.Where) + "."
		}
		if e := f.Exception; e != nil {
			msg += " Its exception expired on " + e.ReviewDate.String() + " (owner " + render.OneLine(e.Owner) + "): renew the review date or fix the control."
		}
		if v.Delta != nil && !legacy {
			if f.New {
				res.WithBaselineState("new")
			} else {
				res.WithBaselineState("unchanged")
			}
		}
	}
	res.WithMessage(gosarif.NewTextMessage(msg))

	region := gosarif.NewRegion().WithStartLine(line)
	phys := gosarif.NewPhysicalLocation().
		WithArtifactLocation(gosarif.NewSimpleArtifactLocation(uri)).
		WithRegion(region)
	node := render.NodeName(c.Node)
	fqn := c.Cluster + "/" + node
	logical := gosarif.NewLogicalLocation().WithName(node).WithFullyQualifiedName(fqn).WithKind("resource")
	res.AddLocation(gosarif.NewLocation().WithPhysicalLocation(phys).WithLogicalLocations([]*gosarif.LogicalLocation{logical}))

	props := gosarif.NewPropertyBag()
	props.Add("cluster", c.Cluster)
	props.Add("node", c.Node)
	props.Add("benchmark", c.Benchmark)
	props.Add("target", string(c.Target))
	props.Add("checkId", c.ID)
	props.Add("status", c.Status.String())
	props.Add("state", string(f.State))
	props.Add("new", f.New)
	props.Add("owner", f.Owner)
	if c.CouldNotCheck() {
		props.Add("couldNotCheck", c.Reason)
	}
	res.WithProperties(props)
	return res
}

func sarifJustification(e *exceptions.Exception) string {
	return fmt.Sprintf("%s (owner %s, accepted by %s, review date %s, %s)",
		render.OneLine(e.Reason), render.OneLine(e.Owner), render.OneLine(e.RiskAcceptedBy), e.ReviewDate, render.ExceptionSource(e))
}

func sarifText(s string) *gosarif.MultiformatMessageString {
	return &gosarif.MultiformatMessageString{Text: &s}
}

func sarifHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func sarifStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
