package trend

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bench-action/bench-action/benchresult"
)

// ErrUnknownCluster is wrapped when a report asks for a cluster the
// history has no run of.
var ErrUnknownCluster = errors.New("no runs of that cluster in the history")

// ReportOptions tune RenderMarkdown and RenderHTML. The zero value reports
// every cluster.
type ReportOptions struct {
	Cluster   string // report only this cluster; "" for every cluster
	Title     string // "" for "Compliance trend"
	Rows      int    // runs in the table of last runs (0: 10)
	ChartRuns int    // runs in each chart (0: 30)
	MaxFixed  int    // fixed checks listed (0: 20)
}

func (o ReportOptions) rows() int      { return orDefault(o.Rows, 10) }
func (o ReportOptions) chartRuns() int { return orDefault(o.ChartRuns, 30) }
func (o ReportOptions) maxFixed() int  { return orDefault(o.MaxFixed, 20) }
func (o ReportOptions) title() string {
	if o.Title == "" {
		return "Compliance trend"
	}
	return o.Title
}

func orDefault(n, d int) int {
	if n <= 0 {
		return d
	}
	return n
}

// clusterTrend is what a report shows of one cluster.
type clusterTrend struct {
	Cluster   string
	Runs      []Record // by time
	Latest    Record
	SincePrev *change
	SinceWeek *change
	Failing   []failingCheck
	Fixed     []fixedCheck
}

type change struct {
	From                   Record
	Pass, Fail, Warn, Info int // latest minus From
	NewlyFailing, Fixed    []string
}

type failingCheck struct {
	ID, Text string
	Nodes    []string
	Since    time.Time
	For      time.Duration
	AtLeast  bool // failing in every recorded run: since at least Since
}

type fixedCheck struct {
	ID, Text      string
	From, FixedAt time.Time
	TimeToFix     time.Duration
	FailsAgainNow bool
}

// analyse groups a history by cluster and works out the changes.
func analyse(h History, opts ReportOptions) ([]clusterTrend, error) {
	clusters := h.Clusters()
	if opts.Cluster != "" {
		found := false
		for _, c := range clusters {
			found = found || c == opts.Cluster
		}
		if !found {
			names := make([]string, len(clusters))
			for i, c := range clusters {
				names[i] = clusterName(c)
			}
			have := "none"
			if len(names) > 0 {
				have = strings.Join(names, ", ")
			}
			return nil, fmt.Errorf("cluster %q: %w (clusters in it: %s)", opts.Cluster, ErrUnknownCluster, have)
		}
		clusters = []string{opts.Cluster}
	}
	var out []clusterTrend
	for _, c := range clusters {
		out = append(out, analyseCluster(c, h.Runs(c), opts))
	}
	return out, nil
}

func analyseCluster(cluster string, runs []Record, opts ReportOptions) clusterTrend {
	ct := clusterTrend{Cluster: cluster, Runs: runs, Latest: runs[len(runs)-1]}
	latest := &ct.Latest
	if len(runs) > 1 {
		ct.SincePrev = diff(runs[len(runs)-2], *latest)
	}
	weekAgo := latest.Time.Add(-7 * 24 * time.Hour)
	for i := len(runs) - 2; i >= 0; i-- {
		if !runs[i].Time.After(weekAgo) {
			ct.SinceWeek = diff(runs[i], *latest)
			break
		}
	}
	// Failing since: walk back while the id keeps failing.
	sets := make([]map[string]bool, len(runs))
	for i := range runs {
		sets[i] = map[string]bool{}
		for _, id := range runs[i].FailingIDs() {
			sets[i][id] = true
		}
	}
	last := len(runs) - 1
	for _, id := range latest.FailingIDs() {
		start := last
		for start > 0 && sets[start-1][id] {
			start--
		}
		ct.Failing = append(ct.Failing, failingCheck{
			ID: id, Text: textOf(runs, id), Nodes: latest.FailingNodes(id),
			Since: runs[start].Time, For: latest.Time.Sub(runs[start].Time), AtLeast: start == 0 && len(runs) > 1,
		})
	}
	// Fixed: every end of a failing streak, most recent first.
	streak := map[string]int{}
	for i := range runs {
		for id := range sets[i] {
			if i == 0 || !sets[i-1][id] {
				streak[id] = i
			}
		}
		if i == 0 {
			continue
		}
		for id := range sets[i-1] {
			if !sets[i][id] {
				s := streak[id]
				ct.Fixed = append(ct.Fixed, fixedCheck{
					ID: id, Text: textOf(runs, id), From: runs[s].Time, FixedAt: runs[i].Time,
					TimeToFix: runs[i].Time.Sub(runs[s].Time), FailsAgainNow: sets[last][id],
				})
			}
		}
	}
	sort.SliceStable(ct.Fixed, func(i, j int) bool {
		a, b := ct.Fixed[i], ct.Fixed[j]
		if !a.FixedAt.Equal(b.FixedAt) {
			return a.FixedAt.After(b.FixedAt)
		}
		return idLess(a.ID, b.ID)
	})
	if len(ct.Fixed) > opts.maxFixed() {
		ct.Fixed = ct.Fixed[:opts.maxFixed()]
	}
	return ct
}

func diff(from, to Record) *change {
	c := &change{From: from,
		Pass: to.Totals.Pass - from.Totals.Pass, Fail: to.Totals.Fail - from.Totals.Fail,
		Warn: to.Totals.Warn - from.Totals.Warn, Info: to.Totals.Info - from.Totals.Info}
	was := map[string]bool{}
	for _, id := range from.FailingIDs() {
		was[id] = true
	}
	now := map[string]bool{}
	for _, id := range to.FailingIDs() {
		now[id] = true
		if !was[id] {
			c.NewlyFailing = append(c.NewlyFailing, id)
		}
	}
	for _, id := range from.FailingIDs() {
		if !now[id] {
			c.Fixed = append(c.Fixed, id)
		}
	}
	return c
}

// textOf finds the latest description recorded for an id.
func textOf(runs []Record, id string) string {
	for i := len(runs) - 1; i >= 0; i-- {
		if t, ok := runs[i].Text[id]; ok && t != "" {
			return t
		}
	}
	return ""
}

func idLess(a, b string) bool { return benchresult.CompareIDs(a, b) < 0 }

func clusterName(c string) string {
	if c == "" {
		return "(unnamed cluster)"
	}
	return c
}

// formatDuration renders a span for people: "3 days", "5 h", "40 min".
func formatDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	case d >= time.Minute:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	return "0 min"
}

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

func signed(n int) string {
	if n > 0 {
		return fmt.Sprintf("+%d", n)
	}
	return fmt.Sprint(n)
}
