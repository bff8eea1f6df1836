package catalog

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// collision is a pair of different checks of one benchmark that share an
// identity in at least one release's definitions.
type collision struct {
	benchmark string
	identity  Identity
	a, b      key
}

func (c collision) String() string {
	return fmt.Sprintf("%s: %s %s ~ %s %s: %s", c.benchmark, c.a.target, c.a.id, c.b.target, c.b.id, c.identity)
}

// census walks every benchmark as every release ships it and returns the
// pairs of different check ids that share an identity.
func census(st *store) []collision {
	seen := map[collision]bool{}
	var out []collision
	for _, b := range st.benches {
		b, _ := st.prepared(b.id)
		for r := range st.releases {
			byIdent := map[Identity][]key{}
			for _, i := range b.snapshot(r) {
				id := b.idents[i]
				byIdent[id] = append(byIdent[id], key{b.defs[i].Target, b.defs[i].ID})
			}
			for id, keys := range byIdent {
				for x := 0; x < len(keys); x++ {
					for y := x + 1; y < len(keys); y++ {
						if keys[x].id == keys[y].id {
							continue // one check in two targets (eks-stig)
						}
						c := collision{b.id, id, keys[x], keys[y]}
						if !seen[c] {
							seen[c] = true
							out = append(out, c)
						}
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// TestCensus: within one benchmark, no two different checks share an
// identity, in any release's definitions of it.
func TestCensus(t *testing.T) {
	st := load()
	if st.err != nil {
		t.Fatal(st.err)
	}
	got := census(st)
	per := map[string]int{}
	for _, c := range got {
		per[c.benchmark]++
	}
	var lines []string
	for _, c := range got {
		lines = append(lines, c.String())
	}
	if len(got) > 0 {
		t.Errorf("%d pairs of different controls share an identity (%v):\n%s", len(got), per, strings.Join(lines, "\n"))
	}
}
