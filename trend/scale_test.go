package trend

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Chart axes read in round steps (1, 2 or 5 times a power of ten), four
// to six ticks, never "62, 125, 187".
func TestNiceScale(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		max  int
		want scale
	}{
		{"empty chart", 0, scale{Top: 4, Step: 1}},
		{"a few FAILs", 7, scale{Top: 8, Step: 2}},
		{"room above a round maximum", 4, scale{Top: 5, Step: 1}},
		{"five nodes", 5, scale{Top: 5, Step: 1}},
		{"the seed's 250", 250, scale{Top: 250, Step: 50}},
		{"187 is not a tick", 187, scale{Top: 200, Step: 50}},
		{"62 nodes", 62, scale{Top: 80, Step: 20}},
		{"a fleet's PASS", 1083, scale{Top: 1500, Step: 500}},
		{"a big fleet", 123456, scale{Top: 150000, Step: 50000}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := niceScale(tt.max)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(scale{})); diff != "" {
				t.Errorf("niceScale(%d) (-want +got):\n%s", tt.max, diff)
			}
			if got.Top < tt.max || got.Top%got.Step != 0 || got.Top/got.Step > 5 {
				t.Errorf("niceScale(%d) = %+v: want a top ≥ the maximum, a whole number of at most 5 steps", tt.max, got)
			}
		})
	}
}
