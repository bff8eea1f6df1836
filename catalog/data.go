package catalog

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
)

//go:generate go run ./internal/gen -out catalog.bin.gz

// data is the catalog as internal/gen writes it (the format is described
// there, in encode.go).
//
//go:embed catalog.bin.gz
var data []byte

const magic = "kbcat2\n"

// variable is a $<component><kind> name of kube-bench's config.yaml.
type variable struct {
	name, component, kind, def string
	paths                      []string
}

// benchmark is one benchmark id with every definition of its checks.
type benchmark struct {
	id       string
	shipped  []string // releases whose cfg/ has the folder
	known    []string // releases whose config.yaml maps to it
	vars     []variable
	targets  []string
	defs     []def // by target, id, then oldest definition first
	byKey    map[key][]int
	idents   []Identity // parallel to defs
	textKeys []Identity // the text identity of each definition, parallel to defs
	current  []int      // the latest definition of each check, in order

	identOnce   sync.Once
	resolveOnce sync.Once
	resolve     *resolveIndex
}

type key struct{ target, id string }

// def is one distinct definition with the releases that ship it.
type def struct {
	Control
	shipped []bool
}

// store is the decoded catalog.
type store struct {
	releases []string
	vars     []variable
	benches  []*benchmark
	byID     map[string]*benchmark
	err      error

	overrides overrides
	// pathFlags maps a config path to the flag that the test items which
	// name both always pair it with ({.authentication.anonymous.enabled}
	// is --anonymous-auth).
	pathFlags map[string]string
	// benchVars are the variables of every benchmark's own config.yaml.
	benchVars []variable
}

func decode(gz []byte) (*store, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	// gzip's trailer holds the payload's size: read it in one piece.
	var size int
	if len(gz) >= 4 {
		size = int(binary.LittleEndian.Uint32(gz[len(gz)-4:]))
	}
	buf := bytes.NewBuffer(make([]byte, 0, min(size, 64<<20)+bytes.MinRead))
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	raw := buf.Bytes()
	d := decoder{b: raw}
	if !bytes.HasPrefix(raw, []byte(magic)) {
		return nil, errors.New("read catalog: not a catalog (bad magic)")
	}
	d.off = len(magic)

	// The strings section is turned into one string so that every field
	// is a substring of it: one allocation for all the text.
	n := d.count()
	type span struct{ off, n int }
	spans := make([]span, n)
	start := d.off
	for i := range spans {
		l := d.uvarint()
		if d.err != nil || l > len(raw)-d.off {
			return nil, errors.New("read catalog: truncated strings")
		}
		spans[i] = span{d.off - start, l}
		d.off += l
	}
	text := string(raw[start:d.off])
	strs := make([]string, n)
	for i, s := range spans {
		strs[i] = text[s.off : s.off+s.n]
	}
	str := func() string {
		i := d.uvarint()
		if i >= len(strs) {
			d.err = errors.New("string index out of range")
			return ""
		}
		return strs[i]
	}

	st := &store{byID: map[string]*benchmark{}}
	st.releases = make([]string, d.count())
	for i := range st.releases {
		st.releases[i] = str()
	}
	// Release lists are shared between the definitions that have the same
	// set, so that a few hundred slices serve thousands of controls.
	lists := map[string][]string{}
	releasesOf := func(set []bool) []string {
		k := setKey(set)
		if l, ok := lists[k]; ok {
			return l
		}
		var l []string
		for i, ok := range set {
			if ok && i < len(st.releases) {
				l = append(l, st.releases[i])
			}
		}
		lists[k] = l
		return l
	}
	readVars := func() []variable {
		vs := make([]variable, d.count())
		for i := range vs {
			vs[i] = variable{name: str(), component: str(), kind: str(), def: str()}
			vs[i].paths = make([]string, d.count())
			for j := range vs[i].paths {
				vs[i].paths[j] = str()
			}
		}
		return vs
	}
	st.vars = readVars()
	st.benches = make([]*benchmark, d.count())
	for bi := range st.benches {
		b := &benchmark{id: str(), byKey: map[key][]int{}}
		b.shipped = releasesOf(d.set(len(st.releases)))
		b.known = releasesOf(d.set(len(st.releases)))
		b.vars = readVars()
		for range d.count() { // control files: only their targets are kept
			target := str()
			_, _, _ = str(), str(), str()
			d.set(len(st.releases))
			if len(b.targets) == 0 || b.targets[len(b.targets)-1] != target {
				b.targets = append(b.targets, target)
			}
		}
		b.defs = make([]def, d.count())
		for i := range b.defs {
			c := &b.defs[i].Control
			c.Benchmark = b.id
			c.Target = str()
			c.Section = Section{ID: str(), Text: str(), Type: str()}
			c.ID = str()
			c.Text = str()
			c.Type = str()
			flags := d.byte()
			c.Scored = flags&1 != 0
			c.UseMultipleValues = flags&2 != 0
			c.Audit = str()
			c.AuditConfig = str()
			c.AuditEnv = str()
			c.Tests.BinOp = str()
			if n := d.count(); n > 0 {
				c.Tests.Items = make([]TestItem, n)
				for j := range c.Tests.Items {
					it := &c.Tests.Items[j]
					it.Flag, it.Path, it.Env = str(), str(), str()
					it.Set = d.byte() != 0
					it.Op, it.Value = str(), str()
				}
			}
			c.Remediation = str()
			b.defs[i].shipped = d.set(len(st.releases))
			c.KubeBench = releasesOf(b.defs[i].shipped)
			k := key{c.Target, c.ID}
			b.byKey[k] = append(b.byKey[k], i)
		}
		st.benches[bi] = b
		st.byID[b.id] = b
	}
	if d.err != nil {
		return nil, fmt.Errorf("read catalog: %w", d.err)
	}
	if d.off != len(raw) {
		return nil, fmt.Errorf("read catalog: %d bytes after the end", len(raw)-d.off)
	}
	return st, nil
}

type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) uvarint() int {
	if d.err != nil {
		return 0
	}
	if d.off >= len(d.b) {
		d.err = errors.New("truncated")
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 || v > uint64(len(d.b)) {
		d.err = fmt.Errorf("bad number at byte %d", d.off)
		return 0
	}
	d.off += n
	return int(v)
}

// count reads a number of elements that follow; each takes a byte at
// least, so a damaged count cannot ask for more memory than the data has.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > len(d.b)-d.off {
		d.err = fmt.Errorf("bad count at byte %d", d.off)
		return 0
	}
	return n
}

func (d *decoder) byte() byte {
	if d.err != nil || d.off >= len(d.b) {
		d.err = errors.New("truncated")
		return 0
	}
	d.off++
	return d.b[d.off-1]
}

func (d *decoder) set(n int) []bool {
	l := d.uvarint()
	if d.err != nil || l > len(d.b)-d.off {
		d.err = errors.New("truncated release set")
		return nil
	}
	set := make([]bool, n)
	for i := range set {
		if i/8 < l && d.b[d.off+i/8]&(1<<(i%8)) != 0 {
			set[i] = true
		}
	}
	d.off += l
	return set
}

// setKey names a release set for sharing its list.
func setKey(set []bool) string {
	var b strings.Builder
	var word uint64
	for i, ok := range set {
		if ok {
			word |= 1 << (i % 64)
		}
		if i%64 == 63 || i == len(set)-1 {
			for range 8 {
				b.WriteByte(byte(word))
				word >>= 8
			}
		}
	}
	return b.String()
}
