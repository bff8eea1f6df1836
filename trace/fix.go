package trace

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bench-action/bench-action/catalog"
)

// fix plans the changes that make a check pass on both readings. It
// returns the edits it could derive and, for what it could not, advice.
func fix(cfg *Config, ctl catalog.Control, comp *Component, rs []reading) ([]Edit, string) {
	b := &editor{cfg: cfg, lines: map[string]map[int]*lineEdit{}}
	var advice []string
	plan := func(r reading) bool {
		msg := b.item(comp, r)
		if msg != "" {
			advice = append(advice, msg)
			return false
		}
		return true
	}
	if ctl.Tests.BinOp == "or" {
		// one item is enough: the first that can be made to hold, values
		// before removals
		done := false
		for _, wantSet := range []bool{true, false} {
			for _, r := range rs {
				if r.t.Set != wantSet || done {
					continue
				}
				trial := &editor{cfg: cfg, lines: map[string]map[int]*lineEdit{}}
				if trial.item(comp, r) == "" {
					b, done = trial, true
				}
			}
		}
		if !done && len(rs) > 0 {
			plan(rs[0])
		}
	} else {
		for _, r := range rs {
			if r.kbOK && r.effO {
				continue
			}
			plan(r)
		}
	}
	return b.edits(), strings.Join(advice, "; ")
}

// editor gathers changes line by line, so that several changes to one
// line or one place merge into one edit.
type editor struct {
	cfg   *Config
	lines map[string]map[int]*lineEdit
}

type lineEdit struct {
	spans   []span
	deleted bool
	after   []string
}

// span replaces bytes [start, end) of a line.
type span struct {
	start, end int
	text       string
}

func (b *editor) line(file string, n int) *lineEdit {
	m := b.lines[file]
	if m == nil {
		m = map[int]*lineEdit{}
		b.lines[file] = m
	}
	le := m[n]
	if le == nil {
		le = &lineEdit{}
		m[n] = le
	}
	return le
}

func (b *editor) text(file string, n int) string {
	ls := b.cfg.lines[file]
	if n < 1 || n > len(ls) {
		return ""
	}
	return ls[n-1]
}

// item plans one test item; it returns advice when it cannot.
func (b *editor) item(comp *Component, r reading) string {
	t := r.t
	name := settingName(t)
	if !t.Set {
		return b.remove(comp, r)
	}
	want, ok := wanted(t, comp.Name, r.eff.Value, r.eff.Set)
	if !ok {
		return fmt.Sprintf("set `%s` on %s (%s): the value is yours to choose", name, comp.Name, describeTest(t))
	}
	// a kubelet whose config file kube-bench does not read: the flag on
	// the command line is what both read
	if !strings.HasPrefix(t.Flag, "-") || (comp.Name == Kubelet && t.Path != "" && !onCommandLine(r) && !comp.kubeBenchReadsOther()) {
		if t.Path != "" && comp.KubeletConfig != nil && comp.KubeletConfig.doc != nil && !strings.Contains(t.Path, "range") {
			return b.configKey(comp.KubeletConfig, dottedPath(t.Path), want)
		}
		if !strings.HasPrefix(t.Flag, "-") {
			return fmt.Sprintf("set `%s` to %s on %s", name, want, comp.Name)
		}
	}
	return b.setFlag(comp, r, t.Flag, want)
}

// onCommandLine reports whether a file (not a tool's default) puts the
// flag on the command line.
func onCommandLine(r reading) bool {
	return len(r.effFlags) > 0 || r.kbArg >= 0
}

// setFlag gives a flag one value on the command line: it keeps one
// occurrence (the first that already has the value, else the first),
// rewrites it as "--flag=value" when needed, and removes the others.
func (b *editor) setFlag(comp *Component, r reading, flag, want string) string {
	var written []flagUse
	defaults := false
	for _, f := range r.effFlags {
		if comp.Args[f.arg].Default {
			defaults = true
			continue
		}
		written = append(written, f)
	}
	// a flag kube-bench finds inside another item is not ours to move
	if len(written) == 0 {
		if defaults && comp.Source != Kubeadm {
			return fmt.Sprintf("`%s` is set by %s's defaults", flag, comp.Source)
		}
		return b.insertFlag(comp, flag, want)
	}
	keep := -1
	for i, f := range written {
		if f.hasValue && !f.split && f.value == want {
			keep = i
			break
		}
	}
	rewrite := false
	if keep < 0 {
		keep, rewrite = 0, true
	}
	for i, f := range written {
		if i == keep {
			if rewrite || f.split {
				if msg := b.rewriteArg(comp, f, flag, want); msg != "" {
					return msg
				}
			}
			continue
		}
		if msg := b.removeArg(comp, f); msg != "" {
			return msg
		}
	}
	return ""
}

// rewriteArg writes one occurrence as flag=want (joining a split pair).
func (b *editor) rewriteArg(comp *Component, f flagUse, flag, want string) string {
	a := comp.Args[f.arg]
	s := a.edit.scalar
	if a.edit.kind == editNone || s.raw == 0 {
		return fmt.Sprintf("set `%s=%s` at %s", flag, want, a.Pos)
	}
	text := ""
	switch a.edit.kind {
	case editItem, editWord:
		text = flag + "=" + want
	case editBare:
		text = strings.TrimPrefix(flag, "--") + "=" + want
		if strings.HasPrefix(b.rawAt(s), "-") || strings.HasPrefix(strings.Trim(b.rawAt(s), `"'`), "-") {
			text = flag + "=" + want
		}
	case editValue:
		text = want
	}
	if a.edit.kind != editWord {
		text = quoteLike(text, s.style, s.flow)
	}
	if a.edit.kind == editValue && s.style == 0 {
		text = plainOrQuoted(want)
	}
	b.line(s.pos.File, s.pos.Line).spans = append(b.line(s.pos.File, s.pos.Line).spans, span{s.pos.Column - 1, s.pos.Column - 1 + s.raw, text})
	if f.split {
		if msg := b.removeArg(comp, flagUse{arg: f.valueArg, valueArg: f.valueArg}); msg != "" {
			return msg
		}
	}
	return ""
}

func (b *editor) rawAt(s styled) string {
	line := b.text(s.pos.File, s.pos.Line)
	if s.pos.Column-1+s.raw > len(line) {
		return ""
	}
	return line[s.pos.Column-1 : s.pos.Column-1+s.raw]
}

// removeArg deletes one occurrence (and a split value).
func (b *editor) removeArg(comp *Component, f flagUse) string {
	idx := []int{f.arg}
	if f.valueArg != f.arg {
		idx = append(idx, f.valueArg)
	}
	for _, i := range idx {
		a := comp.Args[i]
		s := a.edit.scalar
		switch {
		case a.Default:
			return fmt.Sprintf("`%s` is one of %s's own flags", a.Text, comp.Source)
		case a.edit.kind == editValue || (a.edit.kind == editBare || a.edit.kind == editItem) && !s.flow && b.onlyItem(s):
			start, end := s.pos.Line, s.pos.Line
			if a.edit.itemStart > 0 {
				start, end = a.edit.itemStart, a.edit.itemEnd
			}
			if a.edit.kind == editValue && s.flow {
				return fmt.Sprintf("remove `%s` at %s", a.Text, a.Pos)
			}
			for n := start; n <= end; n++ {
				b.line(s.pos.File, n).deleted = true
			}
		case s.raw > 0:
			// a word or a flow item: drop it and the separator before it
			line := b.text(s.pos.File, s.pos.Line)
			start, end := s.pos.Column-1, s.pos.Column-1+s.raw
			if s.flow {
				for start > 0 && (line[start-1] == ' ' || line[start-1] == ',') {
					start--
				}
			} else {
				for start > 0 && line[start-1] == ' ' {
					start--
				}
			}
			b.line(s.pos.File, s.pos.Line).spans = append(b.line(s.pos.File, s.pos.Line).spans, span{start, end, ""})
		default:
			return fmt.Sprintf("remove `%s` at %s", a.Text, a.Pos)
		}
	}
	return ""
}

// onlyItem reports whether a block sequence item is alone on its line.
func (b *editor) onlyItem(s styled) bool {
	line := b.text(s.pos.File, s.pos.Line)
	prefix := strings.TrimSpace(line[:min(s.pos.Column-1, len(line))])
	rest := strings.TrimSpace(line[min(s.pos.Column-1+s.raw, len(line)):])
	return prefix == "-" && (rest == "" || strings.HasPrefix(rest, "#"))
}

// remove makes a flag absent.
func (b *editor) remove(comp *Component, r reading) string {
	if len(r.effFlags) == 0 && r.kbArg >= 0 {
		return fmt.Sprintf("remove `%s` from `%s` at %s", r.t.Flag, comp.Args[r.kbArg].Text, comp.Args[r.kbArg].Pos)
	}
	for _, f := range r.effFlags {
		if msg := b.removeArg(comp, f); msg != "" {
			return msg
		}
	}
	if r.eff.From == "kubelet config" {
		return fmt.Sprintf("remove `%s` at %s", r.eff.Text, r.eff.Pos)
	}
	return ""
}

// insertFlag adds a flag where the component's command line takes new
// items.
func (b *editor) insertFlag(comp *Component, flag, want string) string {
	ins := comp.insert
	switch ins.kind {
	case editItem, editBare:
		text := flag + "=" + want
		if ins.kind == editBare {
			text = strings.TrimPrefix(flag, "--") + "=" + want
		}
		if ins.after.pos.Line == 0 {
			// an RKE2 key that is not there yet: open it at the end
			if ins.line == 0 {
				break
			}
			le := b.line(comp.File, ins.line)
			if len(le.after) == 0 {
				le.after = append(le.after, ins.open...)
			}
			le.after = append(le.after, ins.indent+"- "+strconvQuote(text))
			return ""
		}
		s := ins.afterFor(comp, flag)
		if s.raw == 0 {
			break
		}
		if s.flow {
			le := b.line(s.pos.File, s.pos.Line)
			end := s.pos.Column - 1 + s.raw
			le.spans = append(le.spans, span{end, end, ", " + quoteLike(text, s.style, true)})
			return ""
		}
		line := b.text(s.pos.File, s.pos.Line)
		prefix := line[:min(s.pos.Column-1, len(line))]
		b.line(s.pos.File, s.pos.Line).after = append(b.line(s.pos.File, s.pos.Line).after, prefix+quoteLike(text, s.style, false))
		return ""
	case editValue:
		if ins.line == 0 {
			break
		}
		le := b.line(comp.File, ins.line)
		if len(le.after) == 0 {
			le.after = append(le.after, ins.open...)
			if ins.strip[1] > 0 {
				le.spans = append(le.spans, span{ins.strip[0], ins.strip[1], ""})
			}
		}
		name := strings.TrimPrefix(flag, "--")
		if ins.list {
			le.after = append(le.after, ins.indent+"- name: "+name, ins.indent+"  value: "+plainOrQuoted(want))
		} else {
			le.after = append(le.after, ins.indent+name+": "+plainOrQuoted(want))
		}
		return ""
	case editWord:
		s := ins.after
		le := b.line(s.pos.File, s.pos.Line)
		at := s.pos.Column - 1
		le.spans = append(le.spans, span{at, at, ins.indent + flag + "=" + want})
		return ""
	}
	return fmt.Sprintf("add `%s=%s` to %s's command line in %s", flag, want, comp.Name, comp.File)
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

// configKey sets a kubelet config key: its value in place, or new lines
// under the deepest mapping of its path that exists.
func (b *editor) configKey(kc *KubeletConfig, dotted, want string) string {
	parts := strings.Split(dotted, ".")
	m := kc.doc.root
	var parentKey *yaml.Node
	for i, p := range parts {
		k, v := keyNode(m, p), get(m, p)
		if k == nil {
			// missing from here on
			indent := ""
			line := lastLine(m)
			if parentKey != nil {
				if m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 {
					return fmt.Sprintf("set `%s: %s` in %s", dotted, want, kc.File)
				}
				indent = strings.Repeat(" ", m.Content[0].Column-1)
				line = parentKey.Line
			} else if len(m.Content) > 0 {
				indent = strings.Repeat(" ", m.Content[0].Column-1)
			}
			le := b.line(kc.File, line)
			rest := parts[i:]
			for j, r := range rest {
				if j == len(rest)-1 {
					le.after = append(le.after, indent+r+": "+typedScalar(want))
				} else {
					le.after = append(le.after, indent+r+":")
				}
				indent += "  "
			}
			return ""
		}
		if i == len(parts)-1 {
			if v.Kind != yaml.ScalarNode {
				return fmt.Sprintf("set `%s: %s` in %s", dotted, want, kc.File)
			}
			s := (&loader{lines: b.cfg.lines}).styledOf(kc.File, v, false)
			if s.raw == 0 {
				return fmt.Sprintf("set `%s: %s` at %s", dotted, want, s.pos)
			}
			text := typedScalar(want)
			if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				text = quoteLike(want, v.Style, false)
			}
			le := b.line(kc.File, v.Line)
			le.spans = append(le.spans, span{s.pos.Column - 1, s.pos.Column - 1 + s.raw, text})
			return ""
		}
		if v.Kind != yaml.MappingNode {
			return fmt.Sprintf("set `%s: %s` in %s", dotted, want, kc.File)
		}
		parentKey, m = k, v
	}
	return ""
}

// edits turns the planned line changes into edits: runs of changed
// lines become one edit.
func (b *editor) edits() []Edit {
	var out []Edit
	for file, m := range b.lines {
		var ns []int
		for n := range m {
			ns = append(ns, n)
		}
		sort.Ints(ns)
		for i := 0; i < len(ns); {
			j := i
			for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
				j++
			}
			var olds, news []string
			for _, n := range ns[i : j+1] {
				old := b.text(file, n)
				olds = append(olds, old)
				le := m[n]
				if !le.deleted {
					news = append(news, applySpans(old, le.spans))
				}
				news = append(news, le.after...)
			}
			out = append(out, Edit{File: file, Line: ns[i], EndLine: ns[j], Old: strings.Join(olds, "\n"), New: strings.Join(news, "\n")})
			i = j + 1
		}
	}
	sortEdits(out)
	return out
}

// applySpans applies non-overlapping spans to a line, right to left.
func applySpans(line string, spans []span) string {
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start > spans[j].start })
	for _, s := range spans {
		if s.start < 0 || s.end > len(line) || s.start > s.end {
			continue
		}
		line = line[:s.start] + s.text + line[s.end:]
	}
	return line
}

// afterFor is the item a new flag goes after: in its sorted place, or
// after the last item.
func (ins insertion) afterFor(comp *Component, flag string) styled {
	if !ins.sorted || ins.head.raw == 0 {
		return ins.after
	}
	after := ins.head
	for _, a := range comp.Args {
		name, _, _ := strings.Cut(a.Text, "=")
		if name < flag && a.edit.kind == editItem {
			after = a.edit.scalar
		}
	}
	return after
}

// insertLine is the line a new flag would be written on, 0 when unknown.
func (comp *Component) insertLine(flag string) (string, int) {
	ins := comp.insert
	switch ins.kind {
	case editItem, editBare:
		if ins.after.pos.Line == 0 {
			if ins.line > 0 {
				return comp.File, ins.line + len(ins.open) + 1
			}
			return "", 0
		}
		s := ins.afterFor(comp, flag)
		if s.flow {
			return s.pos.File, s.pos.Line
		}
		return s.pos.File, s.pos.Line + 1
	case editValue:
		if ins.line > 0 {
			return comp.File, ins.line + len(ins.open) + 1
		}
	case editWord:
		return ins.after.pos.File, ins.after.pos.Line
	}
	return "", 0
}
