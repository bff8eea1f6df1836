package catalog

import (
	_ "embed"
	"fmt"
	"path"
	"strings"
	"sync"
)

// overridesFile is the reviewed table of what kube-bench's definitions
// cannot decide about identity; see overrides.md for its format.
//
//go:embed overrides.md
var overridesFile string

type overrides struct {
	// alias maps a term of an identity (a subject, a name) or a whole
	// identity to the one it is the same as.
	alias map[string]string
	// control sets the identity of one check of one benchmark.
	control map[overrideKey]Identity
	// patterns are the control rows whose benchmark is a pattern.
	patterns []overrideKey
	rows     []overrideRow
	// used records the rows that applied (by alias term, or by the
	// control key as written), so that a test finds the stale ones.
	used   map[string]bool
	usedMu *sync.Mutex
}

func (o overrides) markUsed(k string) {
	o.usedMu.Lock()
	o.used[k] = true
	o.usedMu.Unlock()
}

// wasUsed reports whether a row applied to a check derived so far.
func (o overrides) wasUsed(k string) bool {
	o.usedMu.Lock()
	defer o.usedMu.Unlock()
	return o.used[k]
}

// forControl returns the identity a control row sets for a check; the
// benchmark of a row may be a pattern ("k3s-cis-*").
func (o overrides) forControl(benchmark, target, id string) (Identity, bool) {
	if ident, ok := o.control[overrideKey{benchmark, target, id}]; ok {
		o.markUsed(benchmark + " " + target + " " + id)
		return ident, true
	}
	for _, k := range o.patterns { // in the file's order
		if k.target != target || k.id != id {
			continue
		}
		if ok, _ := path.Match(k.benchmark, benchmark); ok {
			o.markUsed(k.benchmark + " " + k.target + " " + k.id)
			return o.control[k], true
		}
	}
	return "", false
}

type overrideKey struct{ benchmark, target, id string }

// overrideRow is one row of overrides.md.
type overrideRow struct {
	line      int
	rule      string // "alias" or "control"
	appliesTo string // alias: the term; control: "BENCHMARK TARGET ID"
	identity  string // alias: the term it becomes; control: the identity
	reason    string
}

// parseOverrides reads the Markdown table of overrides.md: rows
// "| rule | applies to | identity | reason |" after the header.
func parseOverrides(text string) (overrides, []error) {
	o := overrides{alias: map[string]string{}, control: map[overrideKey]Identity{}, used: map[string]bool{}, usedMu: &sync.Mutex{}}
	var problems []error
	header := true
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			header = true // a new table starts with its header
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(strings.ReplaceAll(cells[i], "`", ""))
		}
		if header {
			if strings.Trim(strings.Join(cells, ""), "-: ") == "" {
				header = false // the separator row ends the header
			}
			continue
		}
		at := fmt.Sprintf("overrides.md:%d", n+1)
		if len(cells) != 4 {
			problems = append(problems, fmt.Errorf("%s: want 4 cells (rule, applies to, identity, reason), have %d", at, len(cells)))
			continue
		}
		r := overrideRow{line: n + 1, rule: cells[0], appliesTo: cells[1], identity: cells[2], reason: cells[3]}
		if r.reason == "" {
			problems = append(problems, fmt.Errorf("%s: no reason", at))
		}
		switch r.rule {
		case "alias":
			if _, dup := o.alias[r.appliesTo]; dup {
				problems = append(problems, fmt.Errorf("%s: %q is aliased twice", at, r.appliesTo))
			}
			o.alias[r.appliesTo] = r.identity
		case "control":
			f := strings.Fields(r.appliesTo)
			if len(f) != 3 {
				problems = append(problems, fmt.Errorf("%s: applies to %q: want BENCHMARK TARGET ID", at, r.appliesTo))
				continue
			}
			k := overrideKey{f[0], f[1], f[2]}
			if _, dup := o.control[k]; dup {
				problems = append(problems, fmt.Errorf("%s: %s is set twice", at, r.appliesTo))
			}
			o.control[k] = Identity(r.identity)
			if strings.ContainsAny(k.benchmark, "*?[") {
				if _, err := path.Match(k.benchmark, ""); err != nil {
					problems = append(problems, fmt.Errorf("%s: benchmark pattern %q: %w", at, k.benchmark, err))
				}
				o.patterns = append(o.patterns, k)
			}
		default:
			problems = append(problems, fmt.Errorf("%s: rule %q: want alias or control", at, r.rule))
		}
		o.rows = append(o.rows, r)
	}
	return o, problems
}
