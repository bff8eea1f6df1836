package trend

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	Runs      []Record   // by time
	Coverage  []coverage // of each run
	Latest    Record
	SincePrev *change
	SinceWeek *change
	Failing   []failingCheck
	Fixed     []fixedCheck
	// Lag is how far the latest run is behind the newest run of the
	// history; Stale says that makes the cluster stale (see staleness).
	Lag   time.Duration
	Stale bool
}

type change struct {
	From                   Record
	FromCoverage           coverage // a partial From explains a dip in the counts
	Pass, Fail, Warn, Info int      // latest minus From
	NewlyFailing, Fixed    []string
	Gone                   []string // failing in From, controls the latest run's benchmark no longer has
	NotReported            []string // failing in one run, on a node that did not report in the other: neither fixed nor new
}

type failingCheck struct {
	ID, Text string
	Nodes    []string
	Missing  []string // nodes it last failed on that did not report in the latest run
	All      bool     // Nodes are every node expected, more than two, and all reported in the latest run
	Was      []string // the control's earlier ids in other benchmarks: "cis-1.8 1.2.17"
	AddedIn  string   // the benchmark that added it, when it has failed since the upgrade to it
	Since    time.Time
	For      time.Duration
	AtLeast  bool // failing in every recorded run: since at least Since
}

type fixedCheck struct {
	ID, Text      string
	From, FixedAt time.Time
	TimeToFix     time.Duration
	FailsAgainNow bool
	// Gone says it was not fixed: "no longer in cis-1.10" (the benchmark
	// of the run that lacks it); NotReportedBy, that its nodes stopped
	// reporting.
	Gone          string
	NotReportedBy []string
}

// analyse groups a history by cluster and works out the changes.
func analyse(h History, opts ReportOptions) ([]clusterTrend, error) {
	clusters := h.Clusters()
	if opts.Cluster != "" {
		if err := h.CheckCluster(opts.Cluster); err != nil {
			return nil, err
		}
		clusters = []string{opts.Cluster}
	}
	var newest time.Time
	for i := range h.Records {
		if t := h.Records[i].Time; t.After(newest) {
			newest = t
		}
	}
	var out []clusterTrend
	for _, c := range clusters {
		ct := analyseCluster(c, h.Runs(c), opts)
		ct.Lag, ct.Stale = staleness(ct.Runs, newest)
		out = append(out, ct)
	}
	return out, nil
}

func analyseCluster(cluster string, runs []Record, opts ReportOptions) clusterTrend {
	ct := clusterTrend{Cluster: cluster, Runs: runs, Latest: runs[len(runs)-1], Coverage: coverages(runs)}
	latest := &ct.Latest
	cov := ct.Coverage
	m := newControls()
	last := len(runs) - 1
	// What fails in each run, with the failures of nodes that did not
	// report carried from the run before (their last known state).
	fails := make([][]failure, len(runs))
	for i := range runs {
		fails[i] = failures(&runs[i])
		if i > 0 {
			fails[i] = carry(fails[i-1], fails[i], cov[i])
		}
	}
	if len(runs) > 1 {
		ct.SincePrev = diff(m, runs[last-1], *latest, fails[last-1], fails[last], cov[last-1], cov[last])
	}
	weekAgo := latest.Time.Add(-7 * 24 * time.Hour)
	for i := len(runs) - 2; i >= 0; i-- {
		if !runs[i].Time.After(weekAgo) {
			ct.SinceWeek = diff(m, runs[i], *latest, fails[i], fails[last], cov[i], cov[last])
			break
		}
	}
	// Follow each failing control from run to run: a failure continues the
	// streak of the same control in the run before (under its id there),
	// and a failure of the run before that nothing continues ended.
	streaks := make([][]streak, len(runs))
	for i := range runs {
		streaks[i] = make([]streak, len(fails[i]))
		if i == 0 {
			for j := range fails[0] {
				streaks[0][j] = streak{start: 0}
			}
			continue
		}
		prev := fails[i-1]
		continued := make([]bool, len(prev))
		for j, ks := range m.links(prev, fails[i]) {
			b := fails[i][j]
			s := streak{start: i}
			if len(ks) == 0 && m.absent(b, runs[i-1].Benchmarks) {
				s.added = b.Benchmark
			}
			for _, k := range ks {
				continued[k] = true
				if p := streaks[i-1][k]; p.start < s.start {
					s = p
					if a := prev[k]; a.ID != b.ID {
						s.was = appendNew(p.was, a.Benchmark+" "+a.ID)
					}
				}
			}
			streaks[i][j] = s
		}
		var again []bool // the failures of prev that fail in the latest run
		for k, a := range prev {
			if continued[k] {
				continue
			}
			if again == nil {
				again = m.linked(prev, fails[last])
			}
			s := streaks[i-1][k]
			f := fixedCheck{
				ID: a.ID, Text: textIn(runs[s.start:i], a.ID), From: runs[s.start].Time, FixedAt: runs[i].Time,
				TimeToFix: runs[i].Time.Sub(runs[s.start].Time), FailsAgainNow: again[k],
			}
			if u := unreported(a, cov[i]); len(u) > 0 {
				f.NotReportedBy = u
			} else if m.absent(a, runs[i].Benchmarks) {
				f.Gone = "no longer in " + strings.Join(runs[i].Benchmarks, ", ")
			}
			ct.Fixed = append(ct.Fixed, f)
		}
	}
	for j, b := range fails[last] {
		s := streaks[last][j]
		ct.Failing = append(ct.Failing, failingCheck{
			ID: b.ID, Text: textIn(runs[s.start:], b.ID), Nodes: b.Nodes, Missing: b.Missing, Was: s.was, AddedIn: s.added,
			Since: runs[s.start].Time, For: latest.Time.Sub(runs[s.start].Time), AtLeast: s.start == 0 && len(runs) > 1,
			All: len(b.Nodes) > 2 && slices.Equal(b.Nodes, latest.Nodes) && !cov[last].Partial(),
		})
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

// streak is where a failing control's streak began: the run, and the
// control's other ids on the way ("cis-1.8 1.2.17"), and whether it is new
// to the benchmark.
type streak struct {
	start int
	was   []string
	added string // the benchmark that added the control, when its streak began with the upgrade to it
}

// diff compares two runs: counts, and the controls failing in one only
// (was and now are their failures, carried). A control failing in one run
// on a node that did not report in the other is neither fixed nor newly
// failing but "not reported".
func diff(m *controls, from, to Record, was, now []failure, fromCov, toCov coverage) *change {
	c := &change{From: from, FromCoverage: fromCov,
		Pass: to.Totals.Pass - from.Totals.Pass, Fail: to.Totals.Fail - from.Totals.Fail,
		Warn: to.Totals.Warn - from.Totals.Warn, Info: to.Totals.Info - from.Totals.Info}
	for j, ks := range m.links(was, now) {
		if len(ks) > 0 {
			continue
		}
		if b := now[j]; len(b.Nodes) == 0 || len(unreported(failure{Nodes: b.Nodes}, fromCov)) == len(b.Nodes) {
			c.NotReported = append(c.NotReported, b.ID)
		} else {
			c.NewlyFailing = append(c.NewlyFailing, b.ID)
		}
	}
	for k, cont := range m.linked(was, now) {
		switch a := was[k]; {
		case cont:
		case len(unreported(a, toCov)) > 0:
			c.NotReported = append(c.NotReported, a.ID)
		case m.absent(a, to.Benchmarks):
			c.Gone = append(c.Gone, a.ID)
		default:
			c.Fixed = append(c.Fixed, a.ID)
		}
	}
	c.NewlyFailing, c.Fixed, c.Gone, c.NotReported = sortedUnique(c.NewlyFailing), sortedUnique(c.Fixed), sortedUnique(c.Gone), sortedUnique(c.NotReported)
	return c
}

// textIn finds the latest description recorded for an id in runs.
func textIn(runs []Record, id string) string {
	for i := len(runs) - 1; i >= 0; i-- {
		if t, ok := runs[i].Text[id]; ok && t != "" {
			return t
		}
	}
	return ""
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(slices.Clip(list), s)
}

func idLess(a, b string) bool { return benchresult.CompareIDs(a, b) < 0 }

func clusterName(c string) string {
	if c == "" {
		return "(unnamed cluster)"
	}
	return c
}

// checkLabel is a failing control's id, with the ids it had before a
// benchmark upgrade: "1.2.16 (was cis-1.8 1.2.17)".
func (f failingCheck) checkLabel() string {
	if len(f.Was) == 0 {
		return f.ID
	}
	return f.ID + " (was " + strings.Join(f.Was, ", ") + ")"
}

// nodes is the nodes cell of a failing control: where it fails, and where
// it last failed on a node that did not report in the latest run ("all 5
// nodes" when it fails on every node and all reported); list writes a list of
// nodes for the output format (mdNodes, htmlNodes), esc escapes text.
func (f failingCheck) nodes(list func([]string) string, esc func(string) string) string {
	s := ""
	switch {
	case f.All:
		s = esc(fmt.Sprintf("all\u00a0%d\u00a0nodes", len(f.Nodes)))
	case len(f.Nodes) > 0:
		s = list(f.Nodes)
	}
	if len(f.Missing) > 0 {
		if s != "" {
			s += esc("; ")
		}
		s += esc("not reported, last known failing: ") + list(f.Missing)
	}
	return s
}

// since is when a failing control began failing, for people; esc escapes
// the benchmark id for the output format.
func (f failingCheck) since(esc func(string) string) string {
	s := formatTime(f.Since)
	switch {
	case f.AtLeast:
		s = "≤\u00a0" + s
	case f.AddedIn != "":
		s += " (added by " + esc(f.AddedIn) + ")"
	}
	return s
}

// timeToFix is the fixed column of a control: how long it took, or that it
// was not fixed but left the benchmark or its nodes stopped reporting;
// list and esc as for [failingCheck.nodes].
func (f fixedCheck) timeToFix(list func([]string) string, esc func(string) string) string {
	switch {
	case len(f.NotReportedBy) > 0:
		return esc("not fixed: not reported by ") + list(f.NotReportedBy)
	case f.Gone != "":
		return esc("not fixed: " + f.Gone)
	}
	ttf := formatDuration(f.TimeToFix)
	if f.FailsAgainNow {
		ttf += " (fails again now)"
	}
	return esc(ttf)
}

// formatDuration renders a span for people: "3 days", "5 h", "40 min".
func formatDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d\u00a0days", int(d.Hours()/24))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d\u00a0h", int(d.Hours()))
	case d >= time.Minute:
		return fmt.Sprintf("%d\u00a0min", int(d.Minutes()))
	}
	return "0\u00a0min"
}

// formatTime renders a run's time for people: "2026-11-14 06:00", kept
// on one line in any table (see unbroken).
func formatTime(t time.Time) string { return unbroken(t.UTC().Format("2006-01-02 15:04")) }

// unbroken keeps a short token (a time, a node name, a flag) on one line
// where the output has no style to say so (Markdown on GitHub): spaces
// become no-break spaces and hyphens non-breaking hyphens (U+2011, which
// look the same). Invisible joiners would not do: the Markdown renderers
// drop invisible characters (render.LogText). HTML keeps ASCII hyphens
// (RenderHTML) and says nowrap in its style.
func unbroken(s string) string {
	return strings.NewReplacer(" ", "\u00a0", "-", nbHyphen).Replace(s)
}

// nbHyphen is U+2011 NON-BREAKING HYPHEN.
const nbHyphen = "\u2011"

// flagPattern finds command-line flags in kube-bench's descriptions
// ("--peer-client-cert-auth").
var flagPattern = regexp.MustCompile(`--[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*`)

// unbrokenFlags keeps each flag of s on one line (see unbroken).
func unbrokenFlags(s string) string {
	return flagPattern.ReplaceAllStringFunc(s, func(f string) string {
		return unbroken(f)
	})
}

func signed(n int) string {
	if n > 0 {
		return fmt.Sprintf("+%d", n)
	}
	return fmt.Sprint(n)
}
