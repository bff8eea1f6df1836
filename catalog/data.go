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

const magic = "kbcat3\n"

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

	// body holds the encoded checks, decoded on the benchmark's first
	// use (prepared): a gate that reads one benchmark decodes that one.
	body   []byte
	nDefs  int
	bodyOK bool  // decoded without error
	err    error // why body could not be decoded

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

	strs  []string // the strings section, which the bodies index
	mu    sync.Mutex
	lists map[string][]string // release lists by set (setKey), under mu
	// pairs are the (path, flag) of every test item of every benchmark
	// that names both.
	pairs [][2]string

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

	st := &store{byID: map[string]*benchmark{}, strs: strs, lists: map[string][]string{}}
	st.releases = make([]string, d.count())
	for i := range st.releases {
		st.releases[i] = str()
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
	st.pairs = make([][2]string, d.count())
	for i := range st.pairs {
		st.pairs[i] = [2]string{str(), str()}
	}
	st.benches = make([]*benchmark, d.count())
	for bi := range st.benches {
		b := &benchmark{id: str(), byKey: map[key][]int{}}
		b.shipped = st.releasesOf(d.set(len(st.releases)))
		b.known = st.releasesOf(d.set(len(st.releases)))
		b.vars = readVars()
		for range d.count() { // control files: only their targets are kept
			target := str()
			_, _, _ = str(), str(), str()
			d.set(len(st.releases))
			if len(b.targets) == 0 || b.targets[len(b.targets)-1] != target {
				b.targets = append(b.targets, target)
			}
		}
		b.nDefs = d.count()
		n := d.count()
		if d.err != nil {
			break
		}
		b.body = raw[d.off : d.off+n]
		d.off += n
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

// releasesOf returns the release list of a set. Lists are shared between
// the definitions that have the same set, so that a few hundred slices
// serve thousands of controls.
func (st *store) releasesOf(set []bool) []string {
	k := setKey(set)
	if l, ok := st.lists[k]; ok {
		return l
	}
	var l []string
	for i, ok := range set {
		if ok && i < len(st.releases) {
			l = append(l, st.releases[i])
		}
	}
	st.lists[k] = l
	return l
}

// decodeChecks decodes a benchmark's checks (its body); run once per
// benchmark, before its identities are derived.
func (st *store) decodeChecks(b *benchmark) {
	st.mu.Lock() // st.lists is shared between the benchmarks
	defer st.mu.Unlock()
	d := decoder{b: b.body, bound: len(st.strs)}
	str := func() string {
		i := d.uvarint()
		if i >= len(st.strs) {
			d.err = errors.New("string index out of range")
			return ""
		}
		return st.strs[i]
	}
	if b.nDefs > len(b.body) { // each check takes a byte at least
		d.err = errors.New("bad count of checks")
	}
	defs := make([]def, 0, min(b.nDefs, len(b.body)))
	for i := 0; i < b.nDefs && d.err == nil; i++ {
		defs = append(defs, def{})
		c := &defs[i].Control
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
		defs[i].shipped = d.set(len(st.releases))
		c.KubeBench = st.releasesOf(defs[i].shipped)
	}
	if d.err == nil && d.off != len(d.b) {
		d.err = fmt.Errorf("%d bytes after the checks", len(d.b)-d.off)
	}
	if d.err != nil {
		b.err = fmt.Errorf("read catalog: benchmark %s: %w", b.id, d.err)
		return
	}
	b.defs = defs
	for i := range b.defs {
		k := key{b.defs[i].Target, b.defs[i].ID}
		b.byKey[k] = append(b.byKey[k], i)
	}
	for i := range b.defs {
		if j, _ := b.latest(b.defs[i].Target, b.defs[i].ID); j == i {
			b.current = append(b.current, i)
		}
	}
	b.bodyOK = true
	b.body = nil
}

type decoder struct {
	b   []byte
	off int
	err error
	// bound, when set, is the largest number the data may hold (a
	// benchmark's checks index the strings section, which can be longer
	// than they are); else the data's length.
	bound int
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
	if n <= 0 || v > uint64(max(len(d.b), d.bound)) {
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
