package main

import (
	"sort"
	"strings"
)

// catalog is the generator's model of the embedded data; encode writes it
// in the format catalog/data.go reads.
type catalog struct {
	Releases   []string     `json:"releases"`
	Variables  []variable   `json:"variables"`
	Benchmarks []*benchmark `json:"benchmarks"`
}

type benchmark struct {
	ID      string     `json:"id"`
	Shipped releaseSet `json:"shipped"` // releases whose cfg/ has the folder
	Known   releaseSet `json:"known"`   // releases whose config.yaml maps to it
	Files   []*fileDef `json:"files"`
	// Variables are what the benchmark's own config.yaml says, merged
	// over its releases (paths of every release, the latest default).
	Variables []variable `json:"variables,omitempty"`
	vars      map[string]variable
	Checks    []*checkDef `json:"checks"`
	byKey     map[string]*checkDef
	files     map[string]*fileDef
	order     map[string]int // check key -> first seen position, for a stable order
}

// fileDef is one control file (target) as some releases ship it.
type fileDef struct {
	Target  string     `json:"target"`
	ID      string     `json:"id"`
	Text    string     `json:"text"`
	Version string     `json:"version"`
	Shipped releaseSet `json:"shipped"`
}

// checkDef is one distinct definition of a check, with the releases that
// ship it.
type checkDef struct {
	Target            string     `json:"target"`
	SectionID         string     `json:"section"`
	SectionText       string     `json:"section_text"`
	SectionType       string     `json:"section_type,omitempty"`
	ID                string     `json:"id"`
	Text              string     `json:"text"`
	Type              string     `json:"type,omitempty"`
	Scored            bool       `json:"scored"`
	UseMultipleValues bool       `json:"use_multiple_values,omitempty"`
	Audit             string     `json:"audit,omitempty"`
	AuditConfig       string     `json:"audit_config,omitempty"`
	AuditEnv          string     `json:"audit_env,omitempty"`
	HasTests          bool       `json:"has_tests,omitempty"` // a tests: block, even with no items
	BinOp             string     `json:"bin_op,omitempty"`
	Items             []item     `json:"items,omitempty"`
	Remediation       string     `json:"remediation,omitempty"`
	Shipped           releaseSet `json:"shipped"`
}

type item struct {
	Flag  string `json:"flag,omitempty"`
	Path  string `json:"path,omitempty"`
	Env   string `json:"env,omitempty"`
	Set   bool   `json:"set"`
	Op    string `json:"op,omitempty"`
	Value string `json:"value,omitempty"`
}

// releaseSet is a set of indexes into catalog.Releases.
type releaseSet []bool

func (s *releaseSet) add(i, n int) {
	if len(*s) < n {
		*s = append(*s, make([]bool, n-len(*s))...)
	}
	(*s)[i] = true
}

func (c *catalog) definitions() int {
	n := 0
	for _, b := range c.Benchmarks {
		n += len(b.Checks)
	}
	return n
}

func build(snaps []snapshot) *catalog {
	c := &catalog{}
	n := len(snaps)
	benches := map[string]*benchmark{}
	get := func(id string) *benchmark {
		b := benches[id]
		if b == nil {
			b = &benchmark{ID: id, byKey: map[string]*checkDef{}, files: map[string]*fileDef{}, order: map[string]int{}}
			benches[id] = b
		}
		return b
	}
	vars := map[string]variable{}
	for ri, s := range snaps {
		c.Releases = append(c.Releases, s.Release)
		mergeVars(vars, s.Variables)
		for id := range s.Known {
			get(id).Known.add(ri, n)
		}
		for id, vs := range s.BenchVariables {
			b := get(id)
			if b.vars == nil {
				b.vars = map[string]variable{}
			}
			mergeVars(b.vars, vs)
		}
		for id, files := range s.Files {
			b := get(id)
			b.Shipped.add(ri, n)
			for _, f := range files {
				fd := &fileDef{Target: f.Target, ID: f.ID, Text: f.Text, Version: f.Version}
				fk := fd.key()
				if have := b.files[fk]; have != nil {
					fd = have
				} else {
					b.files[fk] = fd
					b.Files = append(b.Files, fd)
				}
				fd.Shipped.add(ri, n)
				for _, g := range f.Groups {
					for _, ch := range g.Checks {
						d := newCheckDef(f.Target, g, ch)
						k := d.key()
						if have := b.byKey[k]; have != nil {
							d = have
						} else {
							b.byKey[k] = d
							b.order[k] = len(b.order)
							b.Checks = append(b.Checks, d)
						}
						d.Shipped.add(ri, n)
					}
				}
			}
		}
	}
	for _, b := range benches {
		for _, s := range []*releaseSet{&b.Shipped, &b.Known} {
			if len(*s) < n {
				*s = append(*s, make([]bool, n-len(*s))...)
			}
		}
		for _, d := range b.Checks {
			if len(d.Shipped) < n {
				d.Shipped = append(d.Shipped, make([]bool, n-len(d.Shipped))...)
			}
		}
		for _, f := range b.Files {
			if len(f.Shipped) < n {
				f.Shipped = append(f.Shipped, make([]bool, n-len(f.Shipped))...)
			}
		}
		// Files by target, then first release; checks by target, id,
		// occurrence, then first release that ships the definition.
		sort.SliceStable(b.Files, func(i, j int) bool {
			fi, fj := b.Files[i], b.Files[j]
			if fi.Target != fj.Target {
				return targetRank(fi.Target) < targetRank(fj.Target)
			}
			return first(fi.Shipped) < first(fj.Shipped)
		})
		sort.SliceStable(b.Checks, func(i, j int) bool {
			ci, cj := b.Checks[i], b.Checks[j]
			if ci.Target != cj.Target {
				return targetRank(ci.Target) < targetRank(cj.Target)
			}
			if ci.ID != cj.ID {
				return lessID(ci.ID, cj.ID)
			}
			if fi, fj := first(ci.Shipped), first(cj.Shipped); fi != fj {
				return fi < fj
			}
			return ci.key() < cj.key()
		})
		c.Benchmarks = append(c.Benchmarks, b)
	}
	sort.Slice(c.Benchmarks, func(i, j int) bool { return c.Benchmarks[i].ID < c.Benchmarks[j].ID })
	c.Variables = sortedVars(vars)
	for _, b := range c.Benchmarks {
		b.Variables = sortedVars(b.vars)
	}
	return c
}

// mergeVars merges a later release's variables into have: the later
// default wins, paths accumulate.
func mergeVars(have, later map[string]variable) {
	for name, v := range later {
		if old, ok := have[name]; ok {
			v.Paths = addPaths(v.Paths, old.Paths...)
		}
		have[name] = v
	}
}

func sortedVars(m map[string]variable) []variable {
	out := make([]variable, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func newCheckDef(target string, g group, ch check) *checkDef {
	d := &checkDef{
		Target:            target,
		SectionID:         g.ID,
		SectionText:       g.Text,
		SectionType:       g.Type,
		ID:                ch.ID,
		Text:              ch.Text,
		Type:              ch.Type,
		Scored:            ch.Scored,
		UseMultipleValues: ch.UseMultipleValues,
		Audit:             ch.Audit,
		AuditConfig:       ch.AuditConfig,
		AuditEnv:          ch.AuditEnv,
		Remediation:       ch.Remediation,
	}
	if ch.Tests != nil {
		d.HasTests = true
		d.BinOp = ch.Tests.BinOp
		for _, ti := range ch.Tests.TestItems {
			set := true
			if ti.Set != nil {
				set = *ti.Set
			}
			d.Items = append(d.Items, item{Flag: ti.Flag, Path: ti.Path, Env: ti.Env, Set: set, Op: ti.Compare.Op, Value: ti.Compare.Value})
		}
	}
	return d
}

// key is every field of the definition but the releases that ship it.
func (d *checkDef) key() string {
	var b strings.Builder
	w := func(ss ...string) {
		for _, s := range ss {
			b.WriteString(s)
			b.WriteByte(0)
		}
	}
	w(d.Target, d.SectionID, d.SectionText, d.SectionType, d.ID, d.Text, d.Type, bstr(d.Scored), bstr(d.UseMultipleValues),
		d.Audit, d.AuditConfig, d.AuditEnv, bstr(d.HasTests), d.BinOp, d.Remediation)
	for _, it := range d.Items {
		w(it.Flag, it.Path, it.Env, bstr(it.Set), it.Op, it.Value)
	}
	return b.String()
}

func (f *fileDef) key() string {
	return f.Target + "\x00" + f.ID + "\x00" + f.Text + "\x00" + f.Version
}

func bstr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func first(s releaseSet) int {
	for i, ok := range s {
		if ok {
			return i
		}
	}
	return len(s)
}

// lessID orders check ids numerically by dot-separated parts: 1.2.9 < 1.2.10.
func lessID(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, oka := num(pa[i])
		nb, okb := num(pb[i])
		if oka && okb && na != nb {
			return na < nb
		}
		return pa[i] < pb[i]
	}
	if len(pa) != len(pb) {
		return len(pa) < len(pb)
	}
	return a < b
}

func num(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}
