package main

import (
	"encoding/binary"
	"sort"
)

// The format (catalog/data.go reads it; bump the magic on any change):
//
//	magic    "kbcat3\n"
//	strings  uvarint n, then n × (uvarint len, bytes); sorted, strings[0] = ""
//	releases uvarint n, then n × str
//	vars     uvarint n, then n × var
//	var      str name, str component, str kind, str default, uvarint n, n × str path
//	pairs    uvarint n, then n × (str path, str flag): every distinct pair of a
//	         test item that names both, sorted (what identities need of every
//	         benchmark, so that a look-up decodes the checks of one benchmark only)
//	benches  uvarint n, then n × bench
//	bench    str id, set shipped, set known, uvarint n, n × var,
//	         uvarint n, n × (str target, str id, str text, str version, set shipped),
//	         uvarint n, uvarint len, then len bytes holding n × check
//	check    str target, str section, str section text, str section type,
//	         str id, str text, str type, byte flags (1 scored, 2 use_multiple_values, 4 has tests),
//	         str audit, str audit_config, str audit_env, str bin_op,
//	         uvarint n, n × (str flag, str path, str env, byte set, str op, str value),
//	         str remediation, set shipped
//	str      uvarint index into strings
//	set      uvarint n bytes, then the bytes: bit i (byte i/8, bit i%8) is release i
const magic = "kbcat3\n"

func encode(c *catalog) []byte {
	strs := map[string]int{"": 0}
	c.walkStrings(func(s string) { strs[s] = 0 })
	sorted := make([]string, 0, len(strs))
	for s := range strs {
		sorted = append(sorted, s)
	}
	sort.Strings(sorted)
	for i, s := range sorted {
		strs[s] = i
	}

	var e encoder
	e.b = append(e.b, magic...)
	e.uvarint(len(sorted))
	for _, s := range sorted {
		e.uvarint(len(s))
		e.b = append(e.b, s...)
	}
	str := func(s string) { e.uvarint(strs[s]) }
	e.uvarint(len(c.Releases))
	for _, r := range c.Releases {
		str(r)
	}
	vars := func(vs []variable) {
		e.uvarint(len(vs))
		for _, v := range vs {
			str(v.Name)
			str(v.Component)
			str(v.Kind)
			str(v.Default)
			e.uvarint(len(v.Paths))
			for _, p := range v.Paths {
				str(p)
			}
		}
	}
	vars(c.Variables)
	pairs := c.pathFlagPairs()
	e.uvarint(len(pairs))
	for _, p := range pairs {
		str(p[0])
		str(p[1])
	}
	e.uvarint(len(c.Benchmarks))
	for _, b := range c.Benchmarks {
		str(b.ID)
		e.set(b.Shipped)
		e.set(b.Known)
		vars(b.Variables)
		e.uvarint(len(b.Files))
		for _, f := range b.Files {
			str(f.Target)
			str(f.ID)
			str(f.Text)
			str(f.Version)
			e.set(f.Shipped)
		}
		e.uvarint(len(b.Checks))
		body := e.b // the checks go into their own buffer, prefixed by its length
		e.b = nil
		for _, d := range b.Checks {
			str(d.Target)
			str(d.SectionID)
			str(d.SectionText)
			str(d.SectionType)
			str(d.ID)
			str(d.Text)
			str(d.Type)
			var flags byte
			if d.Scored {
				flags |= 1
			}
			if d.UseMultipleValues {
				flags |= 2
			}
			if d.HasTests {
				flags |= 4
			}
			e.b = append(e.b, flags)
			str(d.Audit)
			str(d.AuditConfig)
			str(d.AuditEnv)
			str(d.BinOp)
			e.uvarint(len(d.Items))
			for _, it := range d.Items {
				str(it.Flag)
				str(it.Path)
				str(it.Env)
				if it.Set {
					e.b = append(e.b, 1)
				} else {
					e.b = append(e.b, 0)
				}
				str(it.Op)
				str(it.Value)
			}
			str(d.Remediation)
			e.set(d.Shipped)
		}
		checks := e.b
		e.b = binary.AppendUvarint(body, uint64(len(checks)))
		e.b = append(e.b, checks...)
	}
	return e.b
}

// pathFlagPairs returns every distinct (path, flag) of a test item that
// names both, sorted.
func (c *catalog) pathFlagPairs() [][2]string {
	seen := map[[2]string]bool{}
	var out [][2]string
	for _, b := range c.Benchmarks {
		for _, d := range b.Checks {
			for _, it := range d.Items {
				p := [2]string{it.Path, it.Flag}
				if it.Path == "" || it.Flag == "" || seen[p] {
					continue
				}
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}

func (c *catalog) walkStrings(f func(string)) {
	for _, r := range c.Releases {
		f(r)
	}
	vars := func(vs []variable) {
		for _, v := range vs {
			f(v.Name)
			f(v.Component)
			f(v.Kind)
			f(v.Default)
			for _, p := range v.Paths {
				f(p)
			}
		}
	}
	vars(c.Variables)
	for _, b := range c.Benchmarks {
		f(b.ID)
		vars(b.Variables)
		for _, fd := range b.Files {
			f(fd.Target)
			f(fd.ID)
			f(fd.Text)
			f(fd.Version)
		}
		for _, d := range b.Checks {
			for _, s := range []string{d.Target, d.SectionID, d.SectionText, d.SectionType, d.ID, d.Text, d.Type, d.Audit, d.AuditConfig, d.AuditEnv, d.BinOp, d.Remediation} {
				f(s)
			}
			for _, it := range d.Items {
				f(it.Flag)
				f(it.Path)
				f(it.Env)
				f(it.Op)
				f(it.Value)
			}
		}
	}
}

type encoder struct{ b []byte }

func (e *encoder) uvarint(n int) { e.b = binary.AppendUvarint(e.b, uint64(n)) }

func (e *encoder) set(s releaseSet) {
	bytes := make([]byte, (len(s)+7)/8)
	for i, ok := range s {
		if ok {
			bytes[i/8] |= 1 << (i % 8)
		}
	}
	e.uvarint(len(bytes))
	e.b = append(e.b, bytes...)
}
