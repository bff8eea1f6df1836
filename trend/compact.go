package trend

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// KeepPolicy says which runs Compact keeps, per cluster. A zero field does
// not limit; with both set a run must pass both.
type KeepPolicy struct {
	MaxAge  time.Duration // keep runs newer than now - MaxAge (--keep 400d)
	MaxRuns int           // keep the last MaxRuns runs of each cluster (--keep-runs N)
}

// CompactResult says what Compact did.
type CompactResult struct {
	Kept, Dropped int
	Warnings      []string // from reading the history (a torn last line is dropped)
}

// ParseAge reads a retention age: a number of days ("400d"), weeks ("8w"),
// or a Go duration ("36h").
func ParseAge(s string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("age %q: want a positive whole number of days (400d), weeks (8w) or a duration (36h)", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("age %q: want a positive whole number of days (400d), weeks (8w) or a duration (36h)", s)
	}
	return d, nil
}

// Compact applies a retention policy to the history at path: it writes the
// runs it keeps, as JSON Lines, to a new file in the same directory and
// renames that over the old one, so a reader sees the old history or the
// new one, never a mix. A seed history is converted on the way. Run it as a
// step of its own, not while another process appends.
func Compact(path string, keep KeepPolicy, now time.Time) (CompactResult, error) {
	var res CompactResult
	if keep.MaxAge < 0 || keep.MaxRuns < 0 {
		return res, errors.New("compact history: negative retention")
	}
	f, err := os.Open(path)
	if err != nil {
		return res, fmt.Errorf("compact history: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return res, fmt.Errorf("compact history: %w", err)
	}
	h, err := ReadHistory(f, path)
	f.Close()
	if err != nil {
		return res, fmt.Errorf("compact history: %w", err)
	}
	res.Warnings = h.Warnings
	kept := Retain(h.Records, keep, now)
	res.Kept, res.Dropped = len(kept), len(h.Records)-len(kept)

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".compact-*")
	if err != nil {
		return res, fmt.Errorf("compact history: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := WriteJSONLines(tmp, kept); err != nil {
		tmp.Close()
		return res, fmt.Errorf("compact history %s: %w", path, err)
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return res, fmt.Errorf("compact history: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return res, fmt.Errorf("compact history: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return res, fmt.Errorf("compact history: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return res, fmt.Errorf("compact history: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // make the rename durable where the file system allows it
		d.Close()
	}
	return res, nil
}

// Retain returns the records a policy keeps, in their original order.
func Retain(recs []Record, keep KeepPolicy, now time.Time) []Record {
	drop := make([]bool, len(recs))
	if keep.MaxAge > 0 {
		cutoff := now.Add(-keep.MaxAge)
		for i := range recs {
			if recs[i].Time.Before(cutoff) {
				drop[i] = true
			}
		}
	}
	if keep.MaxRuns > 0 {
		byCluster := map[string][]int{}
		for i := range recs {
			byCluster[recs[i].Cluster] = append(byCluster[recs[i].Cluster], i)
		}
		for _, idx := range byCluster {
			sortIdxByTime(recs, idx)
			for k := 0; k < len(idx)-keep.MaxRuns; k++ {
				drop[idx[k]] = true
			}
		}
	}
	var out []Record
	for i := range recs {
		if !drop[i] {
			out = append(out, recs[i])
		}
	}
	return out
}

func sortIdxByTime(recs []Record, idx []int) {
	sort.SliceStable(idx, func(a, b int) bool { return recs[idx[a]].Time.Before(recs[idx[b]].Time) })
}
