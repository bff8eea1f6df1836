package verdict_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/verdict"
)

type byID map[string]verdict.Location

func (l byID) Locate(c *benchresult.Check) (verdict.Location, bool) {
	loc, ok := l[c.ID]
	return loc, ok
}

func TestLocate(t *testing.T) {
	t.Parallel()
	v := testfleet.FormatVerdict(t)
	id := v.Findings[0].Check.ID
	fix := &verdict.LineFix{Line: 3, EndLine: 4, Old: "a\nc", New: "b"}
	want := 0
	for _, f := range v.Findings {
		if f.Check.ID == id {
			want++
		}
	}
	if got := v.Locate(byID{id: {File: "m.yaml", Line: 3, Fix: fix}}); got != want {
		t.Fatalf("Locate located %d findings, want the %d of %s", got, want, id)
	}
	fix.New = "changed after Locate"
	for _, f := range v.Findings {
		switch {
		case f.Check.ID != id && f.Where != nil:
			t.Errorf("%s located: %+v", f.Check.ID, f.Where)
		case f.Check.ID == id:
			if d := cmp.Diff(&verdict.Location{File: "m.yaml", Line: 3, Fix: &verdict.LineFix{Line: 3, EndLine: 4, Old: "a\nc", New: "b"}}, f.Where); d != "" {
				t.Errorf("%s on %s (-want +got):\n%s", id, f.Check.Node, d)
			}
		}
	}
	for _, g := range v.NewGroups() {
		if w := g.Where(); (g.Control.ID == id) != (w != nil) {
			t.Errorf("group %s: Where %+v", g.Control.ID, w)
		}
	}
	// Locating again with nothing clears them.
	if got := v.Locate(byID{}); got != 0 {
		t.Fatalf("an empty locator located %d", got)
	}
	for _, f := range v.Findings {
		if f.Where != nil {
			t.Fatalf("%s still located", f.Check.ID)
		}
	}
}

func TestLineFixLast(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fix  verdict.LineFix
		want int
	}{
		{verdict.LineFix{Line: 4}, 4},
		{verdict.LineFix{Line: 4, EndLine: 4}, 4},
		{verdict.LineFix{Line: 4, EndLine: 5}, 5},
		{verdict.LineFix{Line: 4, EndLine: 2}, 4}, // a range cannot end before it starts
	} {
		if got := tc.fix.Last(); got != tc.want {
			t.Errorf("%+v: Last %d, want %d", tc.fix, got, tc.want)
		}
	}
}
