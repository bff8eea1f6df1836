package exceptions

import (
	"path"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
)

// Exception is one accepted risk: a FAIL of a control that is known, owned,
// and reviewed by a date.
type Exception struct {
	// CheckID is a check id ("1.2.11") or a section pattern ending in ".*"
	// ("1.2.*" covers 1.2.1, 1.2.16, ...; "1.*" covers all of section 1).
	CheckID string
	// CheckDescription, optional, names the control the exception was
	// written for (for a section pattern: the section's title). Benchmark
	// versions renumber controls; when the id now names a different
	// control, the exception is retargeted and not applied (see
	// [Retargeted]).
	CheckDescription string
	// Benchmark, Nodes and Clusters scope the exception; empty means any.
	// Each is a glob in the syntax of [path.Match].
	Benchmark string
	Nodes     []string
	Clusters  []string
	// Target, optional, limits the exception to one kube-bench target
	// ("master", "node", ...): eks-stig repeats ids across targets.
	Target string

	Reason         string
	Owner          string
	ReviewDate     Date // the exception holds through this day, inclusive
	RiskAcceptedBy string

	Source string // the file it was read from
	Line   int    // the line of its entry in that file
}

// OwnerRule assigns an owner to the checks matching any of its patterns
// (exact ids or section patterns such as "4.*").
type OwnerRule struct {
	Checks []string
	Owner  string
	// Assignees are the GitHub logins the owner's tracking issue is
	// assigned to (optional; "@" and case as written are kept out).
	Assignees []string
	Line      int
}

// File is an exceptions file: accepted risks and who owns what.
type File struct {
	Source     string
	Exceptions []Exception
	Owners     []OwnerRule
}

// Unowned is the owner of a FAIL that no owner rule and no exception names.
const Unowned = "unowned"

// Wildcard reports whether the exception covers a section ("1.2.*")
// rather than one check.
func (e *Exception) Wildcard() bool { return strings.HasSuffix(e.CheckID, ".*") }

// Scoped reports whether the exception is limited to some benchmarks,
// nodes or clusters.
func (e *Exception) Scoped() bool {
	return e.Benchmark != "" || e.Target != "" || len(e.Nodes) > 0 || len(e.Clusters) > 0
}

// Holds reports whether the exception is still in force on day now: through
// its review date, inclusive.
func (e *Exception) Holds(now Date) bool { return !now.After(e.ReviewDate) }

func (e *Exception) inScope(c *benchresult.Check) bool {
	if e.Benchmark != "" && !globMatch(e.Benchmark, c.Benchmark) {
		return false
	}
	if e.Target != "" && e.Target != string(c.Target) {
		return false
	}
	return anyGlob(e.Nodes, c.Node) && anyGlob(e.Clusters, c.Cluster)
}

// specificity orders exceptions that cover the same check: an exact id
// beats a section pattern, a longer section pattern beats a shorter one,
// and then each scope dimension given (benchmark, target, nodes,
// clusters) counts.
func (e *Exception) specificity() int {
	s := 0
	if e.Wildcard() {
		s += 100 * strings.Count(e.CheckID, ".")
	} else {
		s += 100 * 1000
	}
	if e.Benchmark != "" {
		s++
	}
	if e.Target != "" {
		s++
	}
	if len(e.Nodes) > 0 {
		s++
	}
	if len(e.Clusters) > 0 {
		s++
	}
	return s
}

// MatchID reports whether a check id matches a pattern of an exception or
// an owner rule: the same id, or, for a pattern "P.*", any id that starts
// with "P.".
func MatchID(pattern, id string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasSuffix(prefix, ".") && strings.HasPrefix(id, prefix)
	}
	return pattern == id
}

func anyGlob(globs []string, s string) bool {
	if len(globs) == 0 {
		return true
	}
	for _, g := range globs {
		if globMatch(g, s) {
			return true
		}
	}
	return false
}

func globMatch(glob, s string) bool {
	ok, err := path.Match(glob, s)
	return err == nil && ok
}

// OwnerOf returns who owns check c: the last rule of the owners list that
// matches its id; else the owner of the exception that matched it in ev
// (accepted or expired); else [Unowned]. ev may be nil.
func (f *File) OwnerOf(c *benchresult.Check, ev *Evaluation) string {
	if f != nil {
		for i := len(f.Owners) - 1; i >= 0; i-- {
			for _, p := range f.Owners[i].Checks {
				if MatchID(p, c.ID) {
					return f.Owners[i].Owner
				}
			}
		}
	}
	if ev != nil {
		k := c.Key()
		if e := ev.Accepted[k]; e != nil {
			return e.Owner
		}
		if e := ev.Expired[k]; e != nil {
			return e.Owner
		}
	}
	return Unowned
}

// AssigneesOf returns the GitHub logins of owner: the assignees of every
// owner rule naming it, in file order, each once.
func (f *File) AssigneesOf(owner string) []string {
	if f == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range f.Owners {
		if r.Owner != owner {
			continue
		}
		for _, a := range r.Assignees {
			if k := strings.ToLower(a); !seen[k] {
				seen[k] = true
				out = append(out, a)
			}
		}
	}
	return out
}
