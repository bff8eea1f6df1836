package exceptions

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
	"gopkg.in/yaml.v3"
)

// Change is what [Pin] or [Migrate] did to one exception of a file: an
// edit, or why it left the exception alone for a person to look at.
type Change struct {
	Line    int    // the line of the exception's entry in the input
	CheckID string // its check_id in the input
	// Edited reports whether the exception was rewritten; when false,
	// Message says why it was left alone, and a reviewer should look.
	Edited  bool
	Message string // "1.2.16 → 1.2.15 (--profiling)", "matches no check in the results: left alone"
}

// String is the change as the command prints it after the file's name:
// "12: 1.2.16 → 1.2.15 (--profiling)".
func (c Change) String() string { return fmt.Sprintf("%d: %s", c.Line, c.Message) }

// Pin writes, into each exception of an exceptions file that has no
// check_description, the text of the control it matches in checks as its
// check_description, and the benchmark of that control as its benchmark
// when it has none: the guard that makes a renumbering visible (see
// [Unpinned]). A section pattern ("1.2.*") gets its section's title.
//
// It returns the new file and one Change per exception it pinned or left
// alone; exceptions that already have a check_description are not listed.
// An exception is left alone when it matches no check (its id and scope),
// when it matches checks of different controls (another text in another
// benchmark or target: scope it first), or when the text would not single
// out the control it matches (Evaluate would call the pinned exception
// retargeted). The benchmark is written only when every match is in one
// benchmark (pinning it narrows the exception to that benchmark).
//
// The file is edited in place, not re-encoded: every byte outside the
// inserted keys (comments, blank lines, quoting, flow lists, indentation)
// is kept. The new keys go right after check_id, at its indentation.
// Owners, reasons and dates are never touched. data must be a valid
// exceptions file (see [Parse]); source names it in errors.
func Pin(data []byte, source string, checks []benchresult.Check) ([]byte, []Change, error) {
	d, err := newDocument(data, source)
	if err != nil {
		return nil, nil, err
	}
	var changes []Change
	pinned := &File{Source: d.file.Source, Exceptions: append([]Exception(nil), d.file.Exceptions...)}
	type pin struct {
		i                      int
		description, benchmark string
		matched                []*benchresult.Check
	}
	var pins []pin
	for i := range d.file.Exceptions {
		e := &d.file.Exceptions[i]
		if e.CheckDescription != "" {
			continue
		}
		desc, bench, matched, why := pinOf(e, checks)
		if why != "" {
			changes = append(changes, Change{Line: e.Line, CheckID: e.CheckID, Message: why})
			continue
		}
		pinned.Exceptions[i].CheckDescription = desc
		if pinned.Exceptions[i].Benchmark == "" {
			pinned.Exceptions[i].Benchmark = bench
		}
		pins = append(pins, pin{i, desc, bench, matched})
	}
	// The pinned text must name the control it was taken from.
	m := newMatcher(pinned, checks)
	for _, p := range pins {
		e := &d.file.Exceptions[p.i]
		ok := true
		for _, c := range p.matched {
			if !m.describes(p.i, c) {
				ok = false
				break
			}
		}
		if !ok {
			changes = append(changes, Change{Line: e.Line, CheckID: e.CheckID,
				Message: fmt.Sprintf("%s: the text %q does not single out the control it matches: pin it by hand", e.CheckID, p.description)})
			continue
		}
		d.set(p.i, "check_description", p.description, yaml.DoubleQuotedStyle)
		msg := fmt.Sprintf("%s: pinned check_description %q", e.CheckID, p.description)
		if e.Benchmark == "" && p.benchmark != "" {
			d.set(p.i, "benchmark", p.benchmark, 0)
			msg += ", benchmark " + p.benchmark
		} else if e.Benchmark == "" {
			msg += " (benchmark not pinned: " + benchmarksOf(p.matched) + ")"
		}
		changes = append(changes, Change{Line: e.Line, CheckID: e.CheckID, Edited: true, Message: msg})
	}
	out, err := d.apply()
	return out, sortChanges(changes), err
}

// pinOf finds what to pin for exception e: the text (or section title)
// and benchmark of the checks it matches, or why there is none.
func pinOf(e *Exception, checks []benchresult.Check) (desc, bench string, matched []*benchresult.Check, why string) {
	texts := map[string]bool{}
	benches := map[string]bool{}
	var where []string
	for j := range checks {
		c := &checks[j]
		if c.Control == nil || !MatchID(e.CheckID, c.ID) || !e.inScope(c) {
			continue
		}
		t := c.Text
		if e.Wildcard() {
			if c.Section != strings.TrimSuffix(e.CheckID, ".*") {
				t = "" // a pattern above a section ("1.*"): no title says what it is
			} else {
				t = c.SectionText
			}
		}
		if !texts[t] {
			where = append(where, fmt.Sprintf("%q (%s %s %s)", t, c.Benchmark, c.Target, c.ID))
		}
		texts[t] = true
		benches[c.Benchmark] = true
		matched = append(matched, c)
	}
	switch {
	case len(matched) == 0:
		return "", "", nil, fmt.Sprintf("%s matches no check in the results%s: left alone", e.CheckID, scopeText(e))
	case texts[""]:
		return "", "", nil, fmt.Sprintf("%s covers more than one section: no title says which control it means; left alone", e.CheckID)
	case len(texts) > 1:
		sort.Strings(where)
		return "", "", nil, fmt.Sprintf("%s matches different controls in the results: %s; scope it with benchmark: or target: first, then pin", e.CheckID, strings.Join(where, ", "))
	}
	for t := range texts {
		desc = t
	}
	if len(benches) == 1 {
		for b := range benches {
			bench = b
		}
	}
	return desc, bench, matched, ""
}

func benchmarksOf(checks []*benchresult.Check) string {
	seen := map[string]bool{}
	var out []string
	for _, c := range checks {
		if !seen[c.Benchmark] {
			seen[c.Benchmark] = true
			out = append(out, c.Benchmark)
		}
	}
	sort.Strings(out)
	return "matches in " + orList(out)
}

// Migrate rewrites the check ids of an exceptions file for an upgrade to
// benchmark to: each exception's control is looked up, by identity, in
// to ([catalog.Find]) and its check_id becomes the id the control has
// there; a section pattern becomes the new section's pattern when every
// control of the section that still exists moved to one section.
//
// The control an exception names is its id in the benchmark it was
// written for: its benchmark: field (when it names one benchmark), else
// from, else the benchmark its check_description resolves to (the
// nearest version of to's family where the id named the control the
// description fits). A benchmark: field that names one benchmark is set
// to to; an exception without one whose id changes gets benchmark: to,
// because its new id means another control in the older versions (and a
// second run finds nothing left to do).
//
// It returns the new file and one Change per exception it rewrote or
// left alone for review: a control that no longer exists in to, a section
// that split, an exception whose source benchmark cannot be told. The
// check_description, owners, reasons and dates are never touched, and the
// file is edited in place as by [Pin], so comments and layout survive.
func Migrate(data []byte, source, to, from string) ([]byte, []Change, error) {
	if !catalog.Known(to) {
		return nil, nil, fmt.Errorf("migrate %s: the catalog does not know benchmark %q", source, to)
	}
	if from != "" && !catalog.Known(from) {
		return nil, nil, fmt.Errorf("migrate %s: the catalog does not know benchmark %q", source, from)
	}
	d, err := newDocument(data, source)
	if err != nil {
		return nil, nil, err
	}
	var changes []Change
	for i := range d.file.Exceptions {
		e := &d.file.Exceptions[i]
		ch := d.migrate(i, e, to, from)
		if ch.Message != "" {
			ch.Line, ch.CheckID = e.Line, e.CheckID
			changes = append(changes, ch)
		}
	}
	out, err := d.apply()
	return out, sortChanges(changes), err
}

// migrate rewrites exception i, and says what it did.
func (d *document) migrate(i int, e *Exception, to, from string) Change {
	src, why := sourceOf(e, to, from)
	if why != "" {
		return Change{Message: why}
	}
	if src == to {
		return Change{} // written for to already: nothing to do
	}
	newID, newTarget, label, why := migrateID(e, src, to)
	if why != "" {
		return Change{Message: why}
	}
	var parts []string
	if newID != e.CheckID {
		d.set(i, "check_id", newID, keepStyle)
		parts = append(parts, fmt.Sprintf("%s → %s (%s)", e.CheckID, newID, label))
	} else {
		parts = append(parts, fmt.Sprintf("%s stays %s (%s)", e.CheckID, newID, label))
	}
	if e.Target != "" && newTarget != "" && newTarget != e.Target {
		d.set(i, "target", newTarget, keepStyle)
		parts = append(parts, fmt.Sprintf("target %s → %s", e.Target, newTarget))
	}
	switch {
	case e.Benchmark != "" && !isGlob(e.Benchmark):
		d.set(i, "benchmark", to, keepStyle)
		parts = append(parts, fmt.Sprintf("benchmark %s → %s", e.Benchmark, to))
	case e.Benchmark != "" && !globMatch(e.Benchmark, to):
		parts = append(parts, fmt.Sprintf("benchmark %q left as is, but it does not cover %s", e.Benchmark, to))
	case e.Benchmark == "" && newID != e.CheckID:
		d.set(i, "benchmark", to, 0)
		parts = append(parts, "benchmark "+to+" added (the new id means another control in "+src+")")
	}
	if newID == e.CheckID && len(parts) == 1 {
		return Change{} // the same id, nothing else to write
	}
	return Change{Edited: true, Message: strings.Join(parts, "; ")}
}

// sourceOf is the benchmark exception e was written for, or why it
// cannot be told.
func sourceOf(e *Exception, to, from string) (string, string) {
	if e.Benchmark != "" && !isGlob(e.Benchmark) {
		if !catalog.Known(e.Benchmark) {
			return "", fmt.Sprintf("%s: the catalog does not know benchmark %s: left alone", e.CheckID, e.Benchmark)
		}
		return e.Benchmark, ""
	}
	if from != "" {
		return from, ""
	}
	if e.CheckDescription == "" {
		return "", fmt.Sprintf("%s names neither benchmark nor check_description: give --from, or pin it first; left alone", e.CheckID)
	}
	if e.Wildcard() {
		prefix := strings.TrimSuffix(e.CheckID, ".*")
		if t := sectionText(to, prefix); t != "" && sectionTitle(t) == sectionTitle(e.CheckDescription) {
			return to, ""
		}
		for _, b := range sourceCandidates(e, to) {
			if t := sectionText(b, prefix); t != "" && sectionTitle(t) == sectionTitle(e.CheckDescription) {
				return b, ""
			}
		}
	} else {
		in := resolveIntent(e, to, e.Target, catalog.Resolve)
		if c, ok := lookup(to, e.Target, "", e.CheckID); ok && in.decisive && in.described[c.Identity] {
			return to, "" // the id names the described control in to already
		}
		in.findSource()
		if in.source != "" {
			return in.source, ""
		}
	}
	return "", fmt.Sprintf("%s: no version of %s's family has %s as %q describes it: give --from; left alone", e.CheckID, to, e.CheckID, e.CheckDescription)
}

// migrateID is the id (and target) in benchmark to of what exception e
// names in benchmark src, with a short label of the control; or why
// there is none.
func migrateID(e *Exception, src, to string) (id, target, label, why string) {
	if e.Wildcard() {
		return migrateSection(e, src, to)
	}
	c, ok := lookupAny(src, e.Target, e.CheckID)
	if !ok {
		if e.Target == "" && len(targetsOf(src, e.CheckID)) > 1 {
			return "", "", "", fmt.Sprintf("%s is in several targets of %s (%s): add target: first; left alone", e.CheckID, src, strings.Join(targetsOf(src, e.CheckID), ", "))
		}
		return "", "", "", fmt.Sprintf("%s: %s has no check %s: left alone", e.CheckID, src, e.CheckID)
	}
	found := catalog.Find(to, c.Identity)
	if len(found) > 1 {
		var same []catalog.Control
		for _, f := range found {
			if f.Target == c.Target {
				same = append(same, f)
			}
		}
		found = same
	}
	switch len(found) {
	case 0:
		return "", "", "", fmt.Sprintf("%s (%s) no longer exists in %s: left alone, remove it or write it anew", e.CheckID, controlLabel(c), to)
	case 1:
		return found[0].ID, found[0].Target, controlLabel(c), ""
	}
	return "", "", "", fmt.Sprintf("%s (%s) is more than one check in %s: left alone", e.CheckID, controlLabel(c), to)
}

// migrateSection moves a section pattern: every control it covers in src
// that still exists in to must be in one section there.
func migrateSection(e *Exception, src, to string) (id, target, label, why string) {
	prefix := strings.TrimSuffix(e.CheckID, ".*")
	depth := len(strings.Split(prefix, "."))
	moved := map[string]int{}
	covered, vanished := 0, 0
	for _, c := range catalog.Controls(src) {
		if !MatchID(e.CheckID, c.ID) || e.Target != "" && c.Target != e.Target {
			continue
		}
		covered++
		found := catalog.Find(to, c.Identity)
		if len(found) == 0 {
			vanished++
			continue
		}
		for _, f := range found {
			if parts := strings.Split(f.ID, "."); len(parts) > depth {
				moved[strings.Join(parts[:depth], ".")]++
			}
		}
	}
	label = fmt.Sprintf("%d of its %s in %s", covered-vanished, plural(covered, "check"), src)
	switch {
	case covered == 0:
		return "", "", "", fmt.Sprintf("%s covers no check of %s: left alone", e.CheckID, src)
	case len(moved) == 0:
		return "", "", "", fmt.Sprintf("%s: none of its %s in %s exists in %s: left alone, remove it", e.CheckID, plural(covered, "check"), src, to)
	case len(moved) > 1:
		var where []string
		for p, n := range moved {
			where = append(where, fmt.Sprintf("%s.* (%d)", p, n))
		}
		sort.Strings(where)
		return "", "", "", fmt.Sprintf("%s split in %s into %s: write one exception per section; left alone", e.CheckID, to, strings.Join(where, ", "))
	}
	for p := range moved {
		id = p + ".*"
	}
	if id != e.CheckID {
		label = "section moved as a whole, " + label
	}
	return id, "", label, ""
}

// lookupAny finds a check by id in a target, or in the one target that has it.
func lookupAny(b, target, id string) (catalog.Control, bool) {
	if target != "" {
		return catalog.Lookup(b, target, id)
	}
	return catalog.Lookup(b, "", id)
}

func targetsOf(b, id string) []string {
	var out []string
	for _, c := range catalog.Controls(b) {
		if c.ID == id {
			out = append(out, c.Target)
		}
	}
	return out
}

// controlLabel is a few words saying what a control checks: its flags or
// config paths ("--profiling"), the file whose mode or owner it checks
// ("permissions of admin.conf"), else its text.
func controlLabel(c catalog.Control) string {
	kind, subject, _ := strings.Cut(string(c.Identity), " ")
	switch kind {
	case "mode":
		return "permissions of " + path.Base(subject)
	case "owner":
		return "owner of " + path.Base(subject)
	case "setting":
		var names []string
		seen := map[string]bool{}
		for _, t := range c.Tests.Items {
			n := t.Flag
			if n == "" {
				n = t.Path
			}
			if n == "" {
				n = t.Env
			}
			if n != "" && (t.Op == "has" || t.Op == "nothave") {
				n += " " + t.Op + " " + t.Value
			}
			if n != "" && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			return strings.Join(names, ", ")
		}
	}
	t := benchresult.NormalizeText(c.Text)
	if len(t) > 60 {
		t = t[:57] + "..."
	}
	return t
}

func isGlob(s string) bool { return strings.ContainsAny(s, "*?[\\") }

func sortChanges(cs []Change) []Change {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Line < cs[j].Line })
	return cs
}

// document is an exceptions file being edited: its bytes, its node tree
// (to find where each field is) and the edits to make.
type document struct {
	source string
	data   []byte // without a byte order mark
	bom    bool
	lines  []int // offset of each line's start
	file   *File
	items  []*yaml.Node // the mapping of each exception, in file order
	edits  []edit
	eol    string
}

// keepStyle asks set to write a value in the style it has in the file.
const keepStyle = ^yaml.Style(0)

// edit replaces data[start:end] with text.
type edit struct {
	start, end int
	text       string
}

func newDocument(data []byte, source string) (*document, error) {
	f, err := Parse(data, source, ParseOptions{MaxReviewYears: -1})
	if err != nil {
		return nil, err
	}
	d := &document{source: source, file: f, eol: "\n"}
	if b := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")); len(b) != len(data) {
		d.bom, data = true, b
	}
	d.data = data
	if bytes.Contains(data, []byte("\r\n")) {
		d.eol = "\r\n"
	}
	d.lines = []int{0}
	for i, c := range data {
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("edit %s: %w", source, err)
	}
	root := doc.Content[0]
	for k := 0; k+1 < len(root.Content); k += 2 {
		if root.Content[k].Value == "exceptions" && root.Content[k+1].Kind == yaml.SequenceNode {
			d.items = root.Content[k+1].Content
		}
	}
	if len(d.items) != len(f.Exceptions) {
		return nil, fmt.Errorf("edit %s: %d exceptions read, %d entries found", source, len(f.Exceptions), len(d.items))
	}
	return d, nil
}

// offset is the byte offset of a node's 1-based line and column (yaml.v3
// counts columns in characters).
func (d *document) offset(line, col int) int {
	if line < 1 || line > len(d.lines) {
		return len(d.data)
	}
	off := d.lines[line-1]
	for n := 1; n < col && off < len(d.data); n++ {
		_, w := utf8.DecodeRune(d.data[off:])
		off += w
	}
	return off
}

// extent is where a one-line scalar's text is in the file, or false when
// it is not a scalar written on one line.
func (d *document) extent(v *yaml.Node) (int, int, bool) {
	if v.Kind != yaml.ScalarNode {
		return 0, 0, false
	}
	start := d.offset(v.Line, v.Column)
	eol := bytes.IndexByte(d.data[start:], '\n')
	if eol < 0 {
		eol = len(d.data) - start
	}
	line := d.data[start : start+eol]
	switch v.Style {
	case yaml.DoubleQuotedStyle:
		for i := 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return start, start + i + 1, true
			}
		}
	case yaml.SingleQuotedStyle:
		for i := 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return start, start + i + 1, true
			}
		}
	case 0:
		if bytes.HasPrefix(line, []byte(v.Value)) {
			return start, start + len(v.Value), true
		}
	}
	return 0, 0, false
}

// set gives field key of exception i the value s: the existing value is
// replaced (in its own quoting style for keepStyle), or the key is
// inserted right after check_id, at its indentation (in a flow mapping,
// after its value).
func (d *document) set(i int, key, s string, style yaml.Style) {
	m := d.items[i]
	var idKey, idVal *yaml.Node
	for k := 0; k+1 < len(m.Content); k += 2 {
		kn, vn := m.Content[k], m.Content[k+1]
		if kn.Value == "check_id" {
			idKey, idVal = kn, vn
		}
		if kn.Value == key {
			if style == keepStyle {
				style = vn.Style &^ (yaml.TaggedStyle | yaml.FlowStyle)
			}
			start, end, ok := d.extent(vn)
			if !ok {
				d.edits = append(d.edits, edit{start: -1, text: key})
				return
			}
			d.edits = append(d.edits, edit{start, end, scalarText(s, style)})
			return
		}
	}
	if style == keepStyle {
		style = 0
	}
	if idKey == nil {
		d.edits = append(d.edits, edit{start: -1, text: key})
		return
	}
	_, end, ok := d.extent(idVal)
	if !ok {
		d.edits = append(d.edits, edit{start: -1, text: key})
		return
	}
	if m.Style&yaml.FlowStyle != 0 {
		d.edits = append(d.edits, edit{end, end, ", " + key + ": " + scalarText(s, style)})
		return
	}
	at := len(d.data)
	if idVal.Line < len(d.lines) {
		at = d.lines[idVal.Line]
	}
	prefix := ""
	if at == len(d.data) && !bytes.HasSuffix(d.data, []byte("\n")) {
		prefix = d.eol
	}
	indent := strings.Repeat(" ", idKey.Column-1)
	d.edits = append(d.edits, edit{at, at, prefix + indent + key + ": " + scalarText(s, style) + d.eol})
}

// scalarText writes s as a YAML string scalar in a style (quoted anyway
// when the plain form would read as something else: "1.10").
func scalarText(s string, style yaml.Style) string {
	out, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: style})
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// apply makes the edits, and checks the result reads as the same file
// with only the edited fields changed.
func (d *document) apply() ([]byte, error) {
	for _, e := range d.edits {
		if e.start < 0 {
			return nil, fmt.Errorf("edit %s: cannot rewrite %s in place (not a one-line value): edit it by hand", d.source, e.text)
		}
	}
	sort.SliceStable(d.edits, func(i, j int) bool { return d.edits[i].start < d.edits[j].start })
	var out bytes.Buffer
	if d.bom {
		out.WriteString("\xef\xbb\xbf")
	}
	at := 0
	for _, e := range d.edits {
		out.Write(d.data[at:e.start])
		out.WriteString(e.text)
		at = e.end
	}
	out.Write(d.data[at:])
	res := out.Bytes()
	f, err := Parse(res, d.source, ParseOptions{MaxReviewYears: -1})
	if err != nil {
		return nil, fmt.Errorf("edit %s: the edited file does not read back: %w", d.source, err)
	}
	if len(f.Exceptions) != len(d.file.Exceptions) || len(f.Owners) != len(d.file.Owners) {
		return nil, fmt.Errorf("edit %s: the edited file has other entries", d.source)
	}
	for i := range f.Exceptions {
		a, b := d.file.Exceptions[i], f.Exceptions[i]
		if a.Reason != b.Reason || a.Owner != b.Owner || a.ReviewDate != b.ReviewDate || a.RiskAcceptedBy != b.RiskAcceptedBy ||
			strings.Join(a.Nodes, "\x00") != strings.Join(b.Nodes, "\x00") || strings.Join(a.Clusters, "\x00") != strings.Join(b.Clusters, "\x00") {
			return nil, fmt.Errorf("edit %s: line %d: the edit would change more than the control's fields", d.source, a.Line)
		}
	}
	return res, nil
}
