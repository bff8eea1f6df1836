package sarif_test

import (
	"testing"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/render/sarif"
	"github.com/bench-action/bench-action/verdict"
)

type idLocator map[string]verdict.Location

func (l idLocator) Locate(c *benchresult.Check) (verdict.Location, bool) {
	loc, ok := l[c.ID]
	return loc, ok
}

// TestSARIFAtTheTracedLine: an open FAIL traced by `gate --configs` is a
// result at the configuration file (relative to the repository root) and
// line that sets it; an accepted one stays at its exception's line.
func TestSARIFAtTheTracedLine(t *testing.T) {
	t.Parallel()
	v := testfleet.FormatVerdict(t)
	var open, accepted string
	for _, f := range v.Findings {
		switch {
		case open == "" && f.State == verdict.StateOpen && f.Exception == nil:
			open = f.Check.ID
		case accepted == "" && f.State == verdict.StateAccepted:
			accepted = f.Check.ID
		}
	}
	if open == "" || accepted == "" || open == accepted {
		t.Fatalf("the fleet has no open (%q) and accepted (%q) FAIL of different controls", open, accepted)
	}
	where := verdict.Location{File: "clusters/prod/manifests/kube apiserver.yaml", Line: 17}
	v.Locate(idLocator{open: where, accepted: where})
	rep := validateSARIF(t, writeSARIF(t, v, sarif.Options{}))
	seen := map[string]int{}
	for _, res := range rep.Runs[0].Results {
		id := res.Properties.Properties["checkId"].(string)
		uri := *res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		line := *res.Locations[0].PhysicalLocation.Region.StartLine
		switch id {
		case open:
			seen[id]++
			if uri != "clusters/prod/manifests/kube%20apiserver.yaml" || line != 17 {
				t.Errorf("open FAIL %s at %s:%d, want the traced file and line 17", id, uri, line)
			}
		case accepted:
			seen[id]++
			if uri != "kube-bench-exceptions.yaml" || line < 2 {
				t.Errorf("accepted FAIL %s at %s:%d, want its exception's line", id, uri, line)
			}
		}
	}
	if seen[open] == 0 || seen[accepted] == 0 {
		t.Fatalf("results of %s: %d, of %s: %d", open, seen[open], accepted, seen[accepted])
	}
}
