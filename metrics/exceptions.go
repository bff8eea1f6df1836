package metrics

import (
	"path"
	"time"

	"github.com/bench-action/bench-action/exceptions"
)

// ExceptionDates lists the review dates of the exceptions in f that apply
// to cluster: those with no clusters, or with a cluster glob that matches
// it. An exception whose review date has passed is listed too, so that an
// alert can say so. f may be nil.
func ExceptionDates(f *exceptions.File, cluster string) []ExceptionDate {
	if f == nil {
		return nil
	}
	var out []ExceptionDate
	for _, x := range f.Exceptions {
		if !matchesAny(x.Clusters, cluster) || x.ReviewDate.IsZero() {
			continue
		}
		d := x.ReviewDate
		out = append(out, ExceptionDate{CheckID: x.CheckID, Owner: x.Owner,
			ReviewDate: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)})
	}
	return out
}

func matchesAny(globs []string, s string) bool {
	if len(globs) == 0 {
		return true
	}
	for _, g := range globs {
		if ok, _ := path.Match(g, s); ok {
			return true
		}
	}
	return false
}
