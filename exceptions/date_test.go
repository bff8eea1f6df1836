package exceptions

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2026-11-01", want: Date{2026, time.November, 1}},
		{in: "2028-02-29", want: Date{2028, time.February, 29}},
		{in: "2026-02-29", wantErr: true},
		{in: "2026-02-30", wantErr: true},
		{in: "2026-04-31", wantErr: true},
		{in: "2026-00-10", wantErr: true},
		{in: "2026-13-01", wantErr: true},
		{in: "2026-01-00", wantErr: true},
		{in: "0000-01-01", wantErr: true},
		{in: "2026-1-01", wantErr: true},
		{in: "2026/01/01", wantErr: true},
		{in: "2026-01-01 ", wantErr: true},
		{in: "+026-01-01", wantErr: true},
		{in: "2026-11-01T00:00:00Z", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDate(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseDate(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if err == nil && got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	t.Parallel()
	d := Date{2026, time.November, 26}
	got := []string{
		d.AddDays(5).String(), d.AddDays(-26).String(), d.AddDays(36).String(),
		Date{2028, 2, 29}.AddYears(1).String(), d.AddYears(3).String(),
	}
	want := []string{"2026-12-01", "2026-10-31", "2027-01-01", "2029-03-01", "2029-11-26"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("arithmetic mismatch (-want +got):\n%s", diff)
	}
	if n := d.DaysUntil(Date{2027, 1, 1}); n != 36 {
		t.Errorf("DaysUntil = %d, want 36", n)
	}
	if n := d.DaysUntil(Date{2026, 11, 1}); n != -25 {
		t.Errorf("DaysUntil = %d, want -25", n)
	}
	if !d.Before(d.AddDays(1)) || !d.After(d.AddDays(-1)) || d.Compare(d) != 0 || d.Before(d) {
		t.Error("comparisons are wrong")
	}
	if (Date{}).String() != "" || !(Date{}).IsZero() {
		t.Error("the zero Date is not empty")
	}
	if DateOf(time.Date(2026, 3, 4, 23, 59, 0, 0, time.UTC)) != (Date{2026, 3, 4}) {
		t.Error("DateOf is wrong")
	}
	b, _ := d.MarshalText()
	var back Date
	if err := back.UnmarshalText(b); err != nil || back != d {
		t.Errorf("text round trip = %v, %v", back, err)
	}
}
