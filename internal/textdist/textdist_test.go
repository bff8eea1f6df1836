package textdist

import "testing"

func TestDistance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"gate", "gate", 0},
		{"gat", "gate", 1},
		{"reveiw_date", "review_date", 1}, // a swap is one edit
		{"exception", "exceptions", 1},
		{"profilling", "profiling", 1},
		{"abc", "xyz", 3},
		{"", "abc", 3},
		{string(make([]byte, 65)), "a", 99},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}
