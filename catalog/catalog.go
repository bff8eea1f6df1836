package catalog

import (
	"strings"
	"sync"
)

// Control is one check of a benchmark as one or more kube-bench releases
// define it: what cfg/<benchmark>/<target>.yaml says, field for field, and
// the [Identity] of what it audits and tests.
//
// A Control's slices are shared with the catalog: read them, don't modify
// them.
type Control struct {
	Benchmark string  // "cis-1.10"
	Target    string  // the control file: master, etcd, controlplane, node, policies, managedservices
	Section   Section // the group the check is in
	ID        string  // "1.2.1"
	Text      string  // as written, with kube-bench's "(Manual)" / "(Automated)"
	// Type is the check's type as written: "manual" (kube-bench reports
	// WARN without running anything), "skip" (INFO) or "" (automated: the
	// audit runs and its tests decide). See [Control.Kind].
	Type   string
	Scored bool // a failed test is FAIL when scored, WARN when not
	// Audit, AuditConfig and AuditEnv are the commands kube-bench runs,
	// with its variables ($apiserverbin, $kubeletconf, ...) as written.
	Audit             string
	AuditConfig       string
	AuditEnv          string
	UseMultipleValues bool
	Tests             Tests
	Remediation       string
	// Identity is what the check audits and tests; see [Identity].
	Identity Identity
	// KubeBench lists the kube-bench releases that ship this definition,
	// oldest first.
	KubeBench []string
}

// Section is the group of checks a control belongs to.
type Section struct {
	ID   string // "1.2"
	Text string // "API Server"
	Type string // "skip" when kube-bench skips the whole group
}

// Tests are what decides a check's result: its items combined with BinOp
// ("and", "or"; kube-bench's default when empty is "and").
type Tests struct {
	BinOp string
	Items []TestItem
}

// TestItem is one test of a check's audit output: a command-line flag
// (Flag), a path in a config file (Path, e.g. "{.readOnlyPort}") or an
// environment variable (Env), which must be present (Set) and compare to
// Value by Op (eq, noteq, gt, gte, lt, lte, has, nothave, regex, bitmask,
// valid_elements), or must be absent (!Set).
type TestItem struct {
	Flag  string
	Path  string
	Env   string
	Set   bool
	Op    string
	Value string
}

// Kinds of check, as kube-bench runs them.
const (
	Automated = "automated" // the audit runs; PASS, or FAIL (scored) / WARN (not scored)
	Manual    = "manual"    // WARN without running the audit
	Skip      = "skip"      // INFO without running the audit
)

// Kind reports how kube-bench runs the check: [Skip] when the check or its
// section is marked skip, [Manual] when the check is, else [Automated].
func (c Control) Kind() string {
	switch {
	case c.Type == "skip" || c.Section.Type == "skip":
		return Skip
	case strings.TrimSpace(c.Type) == "manual":
		return Manual
	}
	return Automated
}

// CarriesTest reports whether kube-bench runs a test for the check: it is
// [Automated] and has test items. A WARN of such a check that is not scored
// (the CIS "Manual" assessment, e.g. cis-1.10's 1.2.1) means its test
// failed, not that someone must look.
func (c Control) CarriesTest() bool {
	return c.Kind() == Automated && len(c.Tests.Items) > 0
}

// Assessment is the assessment status the text ends with: "Manual",
// "Automated", "Scored" or "Not Scored"; "" when the text names none.
func (c Control) Assessment() string {
	t := strings.TrimSpace(c.Text)
	t = strings.TrimRight(t, ". ")
	if !strings.HasSuffix(t, ")") {
		return ""
	}
	open := strings.LastIndexByte(t, '(')
	if open < 0 {
		return ""
	}
	switch a := strings.ToLower(strings.Trim(t[open:], "() ")); a {
	case "manual":
		return "Manual"
	case "automated":
		return "Automated"
	case "scored":
		return "Scored"
	case "not scored":
		return "Not Scored"
	}
	return ""
}

// Benchmark is a benchmark the catalog knows.
type Benchmark struct {
	ID string // "cis-1.10"
	// KubeBench lists the kube-bench releases whose cfg/ ships it.
	KubeBench []string
	// Targets are its control files, in kube-bench's order.
	Targets []string
}

// Benchmarks lists the benchmarks the catalog knows, sorted by id.
func Benchmarks() []Benchmark {
	st := load()
	out := make([]Benchmark, 0, len(st.benches))
	for _, b := range st.benches {
		out = append(out, Benchmark{ID: b.id, KubeBench: b.shipped, Targets: b.targets})
	}
	return out
}

// Known reports whether the catalog knows the benchmark. Callers that get
// false fall back to the description (and say so).
func Known(benchmark string) bool {
	_, ok := load().prepared(benchmark)
	return ok
}

// KubeBenchReleases lists the kube-bench releases the catalog was built
// from, oldest first.
func KubeBenchReleases() []string { return load().releases }

// Lookup returns the control a benchmark defines under an id, as the latest
// kube-bench release that ships it defines it. Target may be empty when the
// id is unique in the benchmark; when it is not (eks-stig repeats ids
// across targets) Lookup reports false.
func Lookup(benchmark, target, id string) (Control, bool) {
	b, ok := load().prepared(benchmark)
	if !ok {
		return Control{}, false
	}
	i, ok := b.latest(target, id)
	if !ok {
		return Control{}, false
	}
	return b.control(i), true
}

// Definitions returns every distinct definition of a check, oldest first:
// kube-bench releases that changed its text, audit, tests or remediation
// each add one. Target may be empty as for [Lookup].
func Definitions(benchmark, target, id string) []Control {
	b, ok := load().prepared(benchmark)
	if !ok {
		return nil
	}
	target, ok = b.resolveTarget(target, id)
	if !ok {
		return nil
	}
	var out []Control
	for _, i := range b.byKey[key{target, id}] {
		out = append(out, b.control(i))
	}
	return out
}

// Controls returns every check of a benchmark, each as the latest release
// that ships it defines it, by target and id.
func Controls(benchmark string) []Control {
	b, ok := load().prepared(benchmark)
	if !ok {
		return nil
	}
	var out []Control
	for _, i := range b.latestAll() {
		out = append(out, b.control(i))
	}
	return out
}

// Find returns the controls of a benchmark that have an identity: where a
// control of another benchmark (version) lives in this one. It is empty
// when the control does not exist in the benchmark, and holds one control
// otherwise (more only for a check that a benchmark repeats in two
// targets). A "text" identity (a check whose definition audits nothing
// kube-bench reads on a node) also finds the check that a later
// definition audits, by its words.
func Find(benchmark string, identity Identity) []Control {
	b, ok := load().prepared(benchmark)
	if !ok || identity == "" {
		return nil
	}
	var out []Control
	for _, i := range b.current {
		if b.idents[i] == identity {
			out = append(out, b.control(i))
		}
	}
	if len(out) == 0 && strings.HasPrefix(string(identity), "text ") {
		for _, i := range b.current {
			if b.textKeys[i] == identity {
				out = append(out, b.control(i))
			}
		}
	}
	return out
}

var (
	once   sync.Once
	loaded *store
)

// load decodes the embedded catalog once. The data is generated and
// checked in CI; if it were damaged, the catalog would know no benchmark,
// every caller would fall back as for an unknown one, and [LoadError]
// says why.
func load() *store {
	once.Do(func() { loaded = newStore(data) })
	return loaded
}

// newStore decodes a catalog's strings, releases, variables and benchmark
// headers: the work of the first call into the package. A benchmark's
// checks and identities follow on its first use ([store.prepared]).
func newStore(gz []byte) *store {
	st, err := decode(gz)
	if err != nil {
		st = &store{byID: map[string]*benchmark{}, err: err}
	}
	st.prepare()
	return st
}

// LoadError reports why the embedded catalog could not be read, or nil.
// It decodes every benchmark (the others decode on first use).
func LoadError() error { return load().loadError() }

func (st *store) loadError() error {
	if st.err != nil {
		return st.err
	}
	for _, b := range st.benches {
		if _, ok := st.prepared(b.id); !ok {
			return b.err
		}
	}
	return nil
}

// control returns definition i with its identity.
func (b *benchmark) control(i int) Control {
	c := b.defs[i].Control
	c.Identity = b.identity(i)
	return c
}

func (b *benchmark) resolveTarget(target, id string) (string, bool) {
	if target != "" {
		_, ok := b.byKey[key{target, id}]
		return target, ok
	}
	found := ""
	for _, t := range b.targets {
		if _, ok := b.byKey[key{t, id}]; ok {
			if found != "" {
				return "", false
			}
			found = t
		}
	}
	return found, found != ""
}

// latest returns the definition of (target, id) that the latest release
// shipping any of its definitions ships.
func (b *benchmark) latest(target, id string) (int, bool) {
	target, ok := b.resolveTarget(target, id)
	if !ok {
		return 0, false
	}
	best, bestLast := -1, -1
	for _, i := range b.byKey[key{target, id}] {
		if l := lastTrue(b.defs[i].shipped); l > bestLast {
			best, bestLast = i, l
		}
	}
	return best, best >= 0
}

// latestAll returns the latest definition of every check, in order.
func (b *benchmark) latestAll() []int { return b.current }

func lastTrue(set []bool) int {
	for i := len(set) - 1; i >= 0; i-- {
		if set[i] {
			return i
		}
	}
	return -1
}

// snapshot returns the definitions one release ships (release is an index
// into the store's releases), in order.
func (b *benchmark) snapshot(release int) []int {
	var out []int
	for i := range b.defs {
		if release < len(b.defs[i].shipped) && b.defs[i].shipped[release] {
			out = append(out, i)
		}
	}
	return out
}
