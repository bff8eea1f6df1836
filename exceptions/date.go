package exceptions

import (
	"fmt"
	"time"
)

// Date is a civil date (no time of day, no zone): the unit of review dates.
// The zero value is "no date" (see [Date.IsZero]).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads a date written exactly as YYYY-MM-DD. It is strict: no
// time of day, no other separators, and the day must exist ("2026-02-30"
// and "2026-13-01" are refused, "2028-02-29" is accepted).
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	if y < 1 {
		return Date{}, fmt.Errorf("%q: year 0000 does not exist", s)
	}
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("%q: there is no month %d", s, m)
	}
	if d < 1 || d > daysIn(time.Month(m), y) {
		return Date{}, fmt.Errorf("%q: %s %d has no day %d", s, time.Month(m), y, d)
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

// DateOf returns the civil date of t in t's location. The command uses it
// on its clock; the library never reads the clock.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String returns the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Compare returns -1 if d is before e, 0 if they are the same day, +1 if d
// is after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	}
	return sign(d.Day - e.Day)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(d.time().AddDate(0, 0, n))
}

// AddYears returns the same day n years later; Feb 29 becomes Mar 1 in a
// year that has no Feb 29.
func (d Date) AddYears(n int) Date {
	return DateOf(d.time().AddDate(n, 0, 0))
}

// DaysUntil returns the number of days from d to e: 0 on the same day,
// negative when e is before d.
func (d Date) DaysUntil(e Date) int {
	return int(e.time().Sub(d.time()).Hours() / 24)
}

// MarshalText implements [encoding.TextMarshaler] (YYYY-MM-DD).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseDate].
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
