package exceptions

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/bench-action/bench-action/internal/linebreak"
	"github.com/bench-action/bench-action/internal/textdist"
	"gopkg.in/yaml.v3"
)

// Defaults of [ParseOptions].
const (
	DefaultMaxReviewYears = 3
	DefaultMaxExceptions  = 10000
	DefaultMaxBytes       = 4 << 20
)

// ParseOptions tune Parse and LoadFile. The zero value is ready to use.
type ParseOptions struct {
	// Now is today. With it, a review date more than MaxReviewYears after
	// Now is a problem: a risk accepted for 50 years is not reviewed. The
	// zero Date skips that check (dates in the past are never a parse
	// problem: [Evaluate] reports them as expired).
	Now Date
	// MaxReviewYears is how far after Now a review date may be
	// (0: DefaultMaxReviewYears; negative: no limit).
	MaxReviewYears int
	// MaxExceptions limits the number of exceptions (0: DefaultMaxExceptions).
	MaxExceptions int
	// MaxBytes limits the size of the file (0: DefaultMaxBytes).
	MaxBytes int64
}

func (o ParseOptions) maxReviewYears() int {
	if o.MaxReviewYears == 0 {
		return DefaultMaxReviewYears
	}
	return o.MaxReviewYears
}

func (o ParseOptions) maxExceptions() int {
	if o.MaxExceptions > 0 {
		return o.MaxExceptions
	}
	return DefaultMaxExceptions
}

func (o ParseOptions) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// LoadFile reads and validates the exceptions file at path. A file that cannot
// be read is an error naming it (a missing exceptions file is never taken
// as "no exceptions"); problems with the content are a [*ValidationError].
func LoadFile(path string, opts ParseOptions) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load exceptions: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, opts.maxBytes()+1))
	if err != nil {
		return nil, fmt.Errorf("load exceptions: read %s: %w", path, err)
	}
	return Parse(data, path, opts)
}

// Parse validates an exceptions file held in memory; source names it in
// messages. Every problem found is listed in one [*ValidationError]: YAML
// syntax (tabs, unclosed quotes), anchors and aliases (refused outright,
// so an alias bomb costs nothing), duplicate keys, unknown fields, wrong
// types, missing or empty required fields, malformed or impossible dates,
// review dates too far ahead, invalid id patterns and globs, duplicate
// exceptions, and the limits of opts.
func Parse(data []byte, source string, opts ParseOptions) (*File, error) {
	p := &parser{source: source, opts: opts}
	f := p.parse(data)
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Line < p.problems[j].Line })
		return nil, &ValidationError{Source: source, Problems: p.problems}
	}
	return f, nil
}

type parser struct {
	source   string
	opts     ParseOptions
	problems []Problem
}

func (p *parser) addf(line int, field, format string, args ...any) {
	p.problems = append(p.problems, Problem{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (p *parser) yamlError(err error) {
	msg := err.Error()
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		p.addf(line, "", "invalid yaml: %s", m[2])
		return
	}
	p.addf(0, "", "invalid yaml: %s", strings.TrimPrefix(msg, "yaml: "))
}

func (p *parser) parse(data []byte) *File {
	if int64(len(data)) > p.opts.maxBytes() {
		p.addf(0, "", "the file is larger than %d bytes", p.opts.maxBytes())
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if line, what, ok := linebreak.Foreign(data); ok {
		// every line named after it (problems, links to the file, edits by
		// pin and migrate) would be the wrong one
		p.addf(line, "", "%s, %s", what, linebreak.Why)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.addf(0, "", "the file is empty: want a mapping with exceptions: and owners:")
		} else {
			p.yamlError(err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		p.addf(extra.Line, "", "a second yaml document: an exceptions file holds one")
	case !errors.Is(err, io.EOF):
		p.yamlError(err)
	}
	if len(doc.Content) == 0 {
		p.addf(0, "", "the file is empty: want a mapping with exceptions: and owners:")
		return nil
	}
	if p.refuseAnchors(doc.Content[0]) {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.addf(root.Line, "", "the file must be a mapping with exceptions: and owners:, not %s", describe(root))
		return nil
	}
	f := &File{Source: p.source}
	fields := p.fields(root, "the file", topFields)
	if fields["exceptions"] == nil && fields["owners"] == nil {
		p.addf(root.Line, "", "no exceptions: or owners: in the file")
	}
	if n := fields["exceptions"]; n != nil {
		f.Exceptions = p.exceptions(n)
	}
	if n := fields["owners"]; n != nil {
		f.Owners = p.owners(n)
	}
	return f
}

// refuseAnchors reports every anchor and alias. YAML aliases are how an
// alias bomb ("billion laughs") expands; an exceptions file needs none.
func (p *parser) refuseAnchors(n *yaml.Node) bool {
	found := false
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if len(p.problems) > maxShown {
			return
		}
		if n.Kind == yaml.AliasNode {
			p.addf(n.Line, "", "yaml aliases are not allowed (*%s): write the value out", n.Value)
			found = true
			return
		}
		if n.Anchor != "" {
			p.addf(n.Line, "", "yaml anchors are not allowed (&%s): write the value out", n.Anchor)
			found = true
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return found
}

// Targets are the values of an exception's target: kube-bench's targets
// (its node_type), as [benchresult.Target] names them.
var Targets = []string{"master", "etcd", "controlplane", "node", "policies", "managedservices"}

var (
	topFields       = []string{"exceptions", "owners"}
	exceptionFields = []string{"check_id", "check_description", "benchmark", "target", "nodes", "clusters", "reason", "owner", "review_date", "risk_accepted_by"}
	ownerFields     = []string{"checks", "owner", "assignees"}
)

// fields reads a mapping: each allowed key's value, with problems for
// unknown, duplicate and non-string keys.
func (p *parser) fields(m *yaml.Node, where string, allowed []string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	lines := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag != "!!str" {
			p.addf(k.Line, "", "%s: a key must be a field name, not %s", where, describe(k))
			continue
		}
		if first, dup := lines[k.Value]; dup {
			p.addf(k.Line, k.Value, "%s: duplicate key %q (first at line %d)", where, k.Value, first)
			continue
		}
		lines[k.Value] = k.Line
		if !slices.Contains(allowed, k.Value) {
			msg := fmt.Sprintf("%s: unknown field %q", where, k.Value)
			if s := closest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += fmt.Sprintf(" (known fields: %s)", strings.Join(allowed, ", "))
			}
			p.addf(k.Line, k.Value, "%s", msg)
			continue
		}
		out[k.Value] = v
	}
	return out
}

func (p *parser) sequence(n *yaml.Node, name string) ([]*yaml.Node, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, true // "exceptions:" with nothing after it
	}
	if n.Kind != yaml.SequenceNode {
		p.addf(n.Line, name, "%s must be a list, not %s", name, describe(n))
		return nil, false
	}
	return n.Content, true
}

func (p *parser) exceptions(n *yaml.Node) []Exception {
	items, ok := p.sequence(n, "exceptions")
	if !ok {
		return nil
	}
	if max := p.opts.maxExceptions(); len(items) > max {
		p.addf(n.Line, "exceptions", "%d exceptions, more than the limit of %d", len(items), max)
		return nil
	}
	out := make([]Exception, 0, len(items))
	seen := map[string]int{}
	for i, item := range items {
		e, ok := p.exception(i+1, item)
		if !ok {
			continue
		}
		key := scopeKey(&e)
		if first, dup := seen[key]; dup {
			p.addf(e.Line, "check_id", "exception %d (check_id %q): duplicate of the exception at line %d (same check_id and scope)", i+1, e.CheckID, first)
			continue
		}
		seen[key] = e.Line
		out = append(out, e)
	}
	return out
}

func scopeKey(e *Exception) string {
	nodes := append([]string(nil), e.Nodes...)
	clusters := append([]string(nil), e.Clusters...)
	sort.Strings(nodes)
	sort.Strings(clusters)
	return strings.Join([]string{e.CheckID, e.Benchmark, e.Target, strings.Join(nodes, "\x01"), strings.Join(clusters, "\x01")}, "\x00")
}

func (p *parser) exception(index int, n *yaml.Node) (Exception, bool) {
	e := Exception{Source: p.source, Line: n.Line}
	if n.Kind != yaml.MappingNode {
		p.addf(n.Line, "", "exception %d must be a mapping of fields, not %s", index, describe(n))
		return e, false
	}
	where := fmt.Sprintf("exception %d", index)
	fields := p.fields(n, where, exceptionFields)
	before := len(p.problems)
	if v := fields["check_id"]; v != nil {
		if id, ok := p.scalar(v, where, "check_id", true); ok {
			e.CheckID = id
			where = fmt.Sprintf("exception %d (check_id %q)", index, id)
			if msg := checkPattern(id); msg != "" {
				p.addf(v.Line, "check_id", "%s: %s", where, msg)
			}
		}
	}
	str := func(name string, dst *string, required, singleLine bool) {
		v := fields[name]
		if v == nil {
			if required {
				p.addf(n.Line, name, "%s: missing %s", where, name)
			}
			return
		}
		s, ok := p.scalar(v, where, name, false)
		if !ok {
			return
		}
		if singleLine && strings.ContainsAny(s, "\n\r") {
			p.addf(v.Line, name, "%s: %s must be one line", where, name)
			return
		}
		*dst = s
	}
	if fields["check_id"] == nil {
		p.addf(n.Line, "check_id", "%s: missing check_id", where)
	}
	str("check_description", &e.CheckDescription, false, false)
	str("benchmark", &e.Benchmark, false, true)
	str("target", &e.Target, false, true)
	str("reason", &e.Reason, true, false)
	str("owner", &e.Owner, true, true)
	str("risk_accepted_by", &e.RiskAcceptedBy, true, true)
	if e.Benchmark != "" {
		if _, err := path.Match(e.Benchmark, ""); err != nil {
			p.addf(fields["benchmark"].Line, "benchmark", "%s: benchmark %q is not a valid glob", where, e.Benchmark)
		}
	}
	if e.Target != "" && !slices.Contains(Targets, e.Target) {
		msg := fmt.Sprintf("%s: target %q is not a kube-bench target", where, e.Target)
		if s := closest(e.Target, Targets); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += fmt.Sprintf(" (one of %s)", strings.Join(Targets, ", "))
		}
		p.addf(fields["target"].Line, "target", "%s", msg)
	}
	if v := fields["nodes"]; v != nil {
		e.Nodes = p.globs(v, where, "nodes")
	}
	if v := fields["clusters"]; v != nil {
		e.Clusters = p.globs(v, where, "clusters")
	}
	if v := fields["review_date"]; v == nil {
		p.addf(n.Line, "review_date", "%s: missing review_date", where)
	} else {
		e.ReviewDate = p.reviewDate(v, where)
	}
	return e, len(p.problems) == before && e.CheckID != ""
}

func (p *parser) reviewDate(v *yaml.Node, where string) Date {
	if v.Kind != yaml.ScalarNode || (v.Tag != "!!str" && v.Tag != "!!timestamp") || v.Value == "" {
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			p.addf(v.Line, "review_date", "%s: review_date is empty", where)
		} else {
			p.addf(v.Line, "review_date", "%s: review_date must be a date YYYY-MM-DD, not %s", where, describe(v))
		}
		return Date{}
	}
	d, err := ParseDate(v.Value)
	if err != nil {
		p.addf(v.Line, "review_date", "%s: review_date %v", where, err)
		return Date{}
	}
	if years := p.opts.maxReviewYears(); !p.opts.Now.IsZero() && years > 0 {
		if limit := p.opts.Now.AddYears(years); d.After(limit) {
			p.addf(v.Line, "review_date", "%s: review_date %s is more than %d years after %s: set a date when the risk will really be reviewed (at the latest %s)", where, d, years, p.opts.Now, limit)
		}
	}
	return d
}

func (p *parser) globs(v *yaml.Node, where, name string) []string {
	if v.Kind != yaml.SequenceNode {
		p.addf(v.Line, name, "%s: %s must be a list of globs, not %s", where, name, describe(v))
		return nil
	}
	if len(v.Content) == 0 {
		p.addf(v.Line, name, "%s: %s is an empty list: leave it out to mean any", where, name)
		return nil
	}
	var out []string
	for _, g := range v.Content {
		s, ok := p.scalar(g, where, name, false)
		if !ok {
			continue
		}
		if _, err := path.Match(s, ""); err != nil {
			p.addf(g.Line, name, "%s: %s: %q is not a valid glob", where, name, s)
			continue
		}
		out = append(out, s)
	}
	return out
}

// scalar reads a non-empty string. Check ids may be written without quotes,
// so numbers are taken as written ("7.10" stays "7.10") when id is set.
func (p *parser) scalar(v *yaml.Node, where, name string, id bool) (string, bool) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		p.addf(v.Line, name, "%s: %s is empty", where, name)
		return "", false
	}
	ok := v.Kind == yaml.ScalarNode && (v.Tag == "!!str" || id && (v.Tag == "!!int" || v.Tag == "!!float"))
	if !ok {
		p.addf(v.Line, name, "%s: %s must be a string, not %s", where, name, describe(v))
		return "", false
	}
	s := strings.TrimSpace(v.Value)
	if s == "" {
		p.addf(v.Line, name, "%s: %s is empty", where, name)
		return "", false
	}
	return s, true
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9]+([.-][A-Za-z0-9]+)*(\.\*)?$`)

// checkPattern returns what is wrong with a check id pattern, or "".
func checkPattern(s string) string {
	switch {
	case s == "*" || s == ".*":
		return fmt.Sprintf("%q would cover every check: name a section such as \"1.2.*\"", s)
	case len(s) > 64:
		return "a check id is at most 64 characters"
	case !idPattern.MatchString(s):
		return fmt.Sprintf("%q is not a check id (\"1.2.11\") or a section pattern (\"1.2.*\")", s)
	}
	return ""
}

func (p *parser) owners(n *yaml.Node) []OwnerRule {
	items, ok := p.sequence(n, "owners")
	if !ok {
		return nil
	}
	if max := p.opts.maxExceptions(); len(items) > max {
		p.addf(n.Line, "owners", "%d owner rules, more than the limit of %d", len(items), max)
		return nil
	}
	var out []OwnerRule
	for i, item := range items {
		where := fmt.Sprintf("owner rule %d", i+1)
		if item.Kind != yaml.MappingNode {
			p.addf(item.Line, "", "%s must be a mapping with checks: and owner:, not %s", where, describe(item))
			continue
		}
		before := len(p.problems)
		r := OwnerRule{Line: item.Line}
		fields := p.fields(item, where, ownerFields)
		if v := fields["owner"]; v == nil {
			p.addf(item.Line, "owner", "%s: missing owner", where)
		} else if s, ok := p.scalar(v, where, "owner", false); ok {
			if strings.ContainsAny(s, "\n\r") {
				p.addf(v.Line, "owner", "%s: owner must be one line", where)
			}
			r.Owner = s
		}
		switch v := fields["checks"]; {
		case v == nil:
			p.addf(item.Line, "checks", "%s: missing checks", where)
		case v.Kind != yaml.SequenceNode:
			p.addf(v.Line, "checks", "%s: checks must be a list of check ids or patterns, not %s", where, describe(v))
		case len(v.Content) == 0:
			p.addf(v.Line, "checks", "%s: checks is an empty list", where)
		default:
			for _, c := range v.Content {
				s, ok := p.scalar(c, where, "checks", true)
				if !ok {
					continue
				}
				if msg := checkPattern(s); msg != "" {
					p.addf(c.Line, "checks", "%s: %s", where, msg)
					continue
				}
				r.Checks = append(r.Checks, s)
			}
		}
		if v := fields["assignees"]; v != nil {
			r.Assignees = p.assignees(v, where)
		}
		if len(p.problems) == before {
			out = append(out, r)
		}
	}
	return out
}

// loginRE is a GitHub login: letters, digits and single hyphens, not at
// either end, at most 39 characters.
var loginRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)

// assignees reads an owner rule's assignees: a list of GitHub logins,
// written with or without a leading "@".
func (p *parser) assignees(v *yaml.Node, where string) []string {
	if v.Kind != yaml.SequenceNode {
		p.addf(v.Line, "assignees", "%s: assignees must be a list of GitHub logins, not %s", where, describe(v))
		return nil
	}
	var out []string
	for _, c := range v.Content {
		s, ok := p.scalar(c, where, "assignees", true)
		if !ok {
			continue
		}
		login := strings.TrimPrefix(s, "@")
		if !loginRE.MatchString(login) || len(login) > 39 {
			p.addf(c.Line, "assignees", "%s: %q is not a GitHub login (letters, digits and single hyphens)", where, s)
			continue
		}
		out = append(out, login)
	}
	if len(out) > 10 {
		p.addf(v.Line, "assignees", "%s: %d assignees, more than GitHub's 10 per issue", where, len(out))
		return nil
	}
	return out
}

// describe names a node's type for messages: "a number", "a list", ...
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.Tag {
	case "!!str":
		return "a string"
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "nothing"
	case "!!timestamp":
		return "a timestamp"
	case "!!binary":
		return "binary data"
	}
	return fmt.Sprintf("a value tagged %q", n.Tag)
}

// closest returns the allowed name within two edits of s, or "".
func closest(s string, allowed []string) string {
	best, bestD := "", 3
	for _, a := range allowed {
		if d := textdist.Distance(s, a); d < bestD {
			best, bestD = a, d
		}
	}
	return best
}
