package baseline_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
)

const (
	pass = benchresult.Pass
	fail = benchresult.Fail
	warn = benchresult.Warn
	info = benchresult.Info
	na   = benchresult.NotApplicable
)

// summary is a Delta reduced to "id before→after" strings per list, for
// table tests.
type summary struct {
	Legacy                                       bool
	LegacyFailCount                              int
	New, Added, Persisting, Fixed, Gone, Changed []string
	Carried, Uncarried                           []string
}

func summarize(d *baseline.Delta) summary {
	s := summary{Legacy: d.Legacy, LegacyFailCount: d.LegacyFailCount}
	line := func(c baseline.Change) string {
		id := c.Key.Node + ":" + c.Key.ID
		if c.Carried() {
			id = c.Key.Node + ":" + c.BaselineKey.Benchmark + "/" + c.BaselineKey.ID + "=>" + c.Key.Benchmark + "/" + c.Key.ID
		}
		return id + " " + st(c.Before) + ">" + st(c.After)
	}
	for _, l := range []struct {
		in  []baseline.Change
		out *[]string
	}{{d.New, &s.New}, {d.Added, &s.Added}, {d.Persisting, &s.Persisting}, {d.Fixed, &s.Fixed}, {d.Gone, &s.Gone}, {d.Changed, &s.Changed}} {
		for _, c := range l.in {
			*l.out = append(*l.out, line(c))
		}
	}
	for _, c := range d.Carried {
		line := c.From.Node + ":" + c.From.Benchmark + "/" + c.From.ID + "=>" + c.To.Benchmark + "/" + c.To.ID
		if c.By != baseline.CarryByIdentity {
			line += " by " + c.By + " (" + c.Why + ")"
		}
		s.Carried = append(s.Carried, line)
	}
	for _, u := range d.Uncarried {
		line := u.Key.Node + ":" + u.Key.Benchmark + "/" + u.Key.ID + " " + u.Status.String() + " " + u.Reason
		if u.Vanished {
			line += " [vanished]"
		}
		s.Uncarried = append(s.Uncarried, line)
	}
	return s
}

func st(s benchresult.Status) string {
	if s == 0 {
		return "-"
	}
	return s.String()
}

func TestDiff(t *testing.T) {
	t.Parallel()
	const b10, b8 = "cis-1.10", "cis-1.8"
	const u1, u2 = "acme-1", "acme-2" // benchmarks the catalog does not know
	c := func(node, bench, id string, s benchresult.Status, text string) benchresult.Check {
		target := benchresult.TargetMaster
		if id[0] == '4' {
			target = benchresult.TargetNode
		}
		if id[0] == '5' {
			target = benchresult.TargetPolicies
		}
		return check("prod", node, bench, target, id, s, text)
	}
	naCheck := func(ch benchresult.Check) benchresult.Check { ch.NotApplicable = "provider"; return ch }
	tests := []struct {
		name     string
		base     *baseline.Baseline // nil: from baseChecks
		baseline []benchresult.Check
		current  []benchresult.Check
		want     summary
	}{
		{
			name:    "nil baseline: every FAIL is new",
			current: []benchresult.Check{c("a", b10, "1.1.1", fail, "x"), c("a", b10, "1.1.2", pass, "y")},
			want:    summary{New: []string{"a:1.1.1 ->FAIL"}},
		},
		{
			name:     "each classification",
			baseline: []benchresult.Check{c("a", b10, "1.1.1", fail, "p"), c("a", b10, "1.1.2", fail, "f"), c("a", b10, "1.1.3", pass, "n"), c("a", b10, "1.1.4", pass, "ch"), c("a", b10, "1.1.5", fail, "gone"), c("a", b10, "1.1.6", warn, "same"), c("a", b10, "1.1.7", info, "fi")},
			current:  []benchresult.Check{c("a", b10, "1.1.1", fail, "p"), c("a", b10, "1.1.2", warn, "f"), c("a", b10, "1.1.3", fail, "n"), c("a", b10, "1.1.4", warn, "ch"), c("a", b10, "1.1.6", warn, "same"), c("a", b10, "1.1.7", fail, "fi"), c("a", b10, "1.1.8", fail, "unseen")},
			want: summary{
				New:        []string{"a:1.1.3 PASS>FAIL", "a:1.1.7 INFO>FAIL", "a:1.1.8 ->FAIL"},
				Persisting: []string{"a:1.1.1 FAIL>FAIL"},
				Fixed:      []string{"a:1.1.2 FAIL>WARN"},
				Gone:       []string{"a:1.1.5 FAIL>-"},
				Changed:    []string{"a:1.1.4 PASS>WARN"},
			},
		},
		{
			name:     "new node: its FAILs are new; removed node: its FAILs are gone, not fixed",
			baseline: []benchresult.Check{c("a", b10, "4.1.1", fail, "x"), c("b", b10, "4.1.1", fail, "x"), c("b", b10, "4.1.2", pass, "y")},
			current:  []benchresult.Check{c("a", b10, "4.1.1", fail, "x"), c("z", b10, "4.1.1", fail, "x"), c("z", b10, "4.1.2", pass, "y")},
			want: summary{
				New:        []string{"z:4.1.1 ->FAIL"},
				Persisting: []string{"a:4.1.1 FAIL>FAIL"},
				Gone:       []string{"b:4.1.1 FAIL>-"},
			},
		},
		{
			name:     "not applicable is never new; FAIL then not applicable is a change, not a fix",
			baseline: []benchresult.Check{c("a", b10, "1.2.1", pass, "x"), c("a", b10, "1.2.2", fail, "y")},
			current:  []benchresult.Check{naCheck(c("a", b10, "1.2.1", fail, "x")), naCheck(c("a", b10, "1.2.2", fail, "y")), naCheck(c("a", b10, "1.2.3", fail, "z"))},
			want:     summary{Changed: []string{"a:1.2.1 PASS>NOT APPLICABLE", "a:1.2.2 FAIL>NOT APPLICABLE"}},
		},
		{
			name:     "not applicable in the baseline, FAIL without the profile: new",
			baseline: []benchresult.Check{naCheck(c("a", b10, "1.2.1", fail, "x"))},
			current:  []benchresult.Check{c("a", b10, "1.2.1", fail, "x")},
			want:     summary{New: []string{"a:1.2.1 NOT APPLICABLE>FAIL"}},
		},
		{
			name:     "cluster is part of the identity",
			baseline: []benchresult.Check{check("staging", "a", b10, "node", "4.1.1", fail, "x")},
			current:  []benchresult.Check{check("prod", "a", b10, "node", "4.1.1", fail, "x")},
			want:     summary{New: []string{"a:4.1.1 ->FAIL"}, Gone: []string{"a:4.1.1 FAIL>-"}},
		},
		{
			name:    "legacy baseline",
			base:    &baseline.Baseline{Legacy: true, FailCount: 3},
			current: []benchresult.Check{c("a", b10, "1.1.1", fail, "x")},
			want:    summary{Legacy: true, LegacyFailCount: 3},
		},
		{
			name: "carried across versions by identity, not id nor words",
			baseline: []benchresult.Check{
				c("a", b8, "1.2.16", fail, "Ensure that the --profiling argument is set to false (Automated)"),
				c("a", b8, "1.2.17", fail, "Ensure that the --audit-log-path argument is set (Automated)"),
				c("a", b8, "1.2.12", pass, "Ensure that the admission control plugin SecurityContextDeny is set if PodSecurityPolicy is not used (Manual)"),
				c("a", b8, "1.1.13", fail, "Ensure that the admin.conf file permissions are set to 600 or more restrictive (Automated)"),
				c("a", b8, "4.2.1", pass, "Ensure that the --anonymous-auth argument is set to false (Automated)"),
			},
			current: []benchresult.Check{
				c("a", b10, "1.2.15", pass, "reworded"),
				c("a", b10, "1.2.16", fail, "ENSURE that the --audit-log-path argument is set"),
				c("a", b10, "1.2.12", fail, "Ensure that the admission control plugin ServiceAccount is set (Automated)"),
				c("a", b10, "1.1.13", fail, "Ensure that the default administrative credential file permissions are set to 600 (Automated)"),
				c("a", b10, "4.2.1", fail, "Ensure that the --anonymous-auth argument is set to false (Automated)"),
				c("a", b10, "4.3.1", fail, "Ensure that the kube-proxy metrics service is bound to localhost (Automated)"),
			},
			want: summary{
				New:        []string{"a:1.2.12 ->FAIL", "a:cis-1.8/4.2.1=>cis-1.10/4.2.1 PASS>FAIL"},
				Added:      []string{"a:4.3.1 ->FAIL"},
				Persisting: []string{"a:cis-1.8/1.1.13=>cis-1.10/1.1.13 FAIL>FAIL", "a:cis-1.8/1.2.17=>cis-1.10/1.2.16 FAIL>FAIL"},
				Fixed:      []string{"a:cis-1.8/1.2.16=>cis-1.10/1.2.15 FAIL>PASS"},
				Carried:    []string{"a:cis-1.8/1.1.13=>cis-1.10/1.1.13", "a:cis-1.8/1.2.16=>cis-1.10/1.2.15", "a:cis-1.8/1.2.17=>cis-1.10/1.2.16", "a:cis-1.8/4.2.1=>cis-1.10/4.2.1"},
				Uncarried:  []string{"a:cis-1.8/1.2.12 PASS no longer in cis-1.10 [vanished]"},
			},
		},
		{
			name: "benchmarks unknown to the catalog: carried by description, and said so",
			baseline: []benchresult.Check{
				c("a", u1, "1.2.16", fail, "Ensure that the --profiling argument is set to false (Automated)"),
				c("a", u1, "1.2.17", fail, "Ensure that the --audit-log-path argument is set (Automated)"),
				c("a", u1, "1.2.12", pass, "Ensure that the admission control plugin SecurityContextDeny is set if PodSecurityPolicy is not used (Manual)"),
				c("a", u1, "4.2.1", pass, "Ensure that the --anonymous-auth argument is set to false (Automated)"),
			},
			current: []benchresult.Check{
				c("a", u2, "1.2.15", pass, "Ensure that the  --profiling argument is set to false (Automated)"),
				c("a", u2, "1.2.16", fail, "ENSURE that the --audit-log-path argument is set"),
				c("a", u2, "1.2.12", fail, "Ensure that the admission control plugin ServiceAccount is set (Automated)"),
				c("a", u2, "4.2.1", fail, "Ensure that the --anonymous-auth argument is set to false (Automated)"),
			},
			want: summary{
				New:        []string{"a:1.2.12 ->FAIL", "a:acme-1/4.2.1=>acme-2/4.2.1 PASS>FAIL"},
				Persisting: []string{"a:acme-1/1.2.17=>acme-2/1.2.16 FAIL>FAIL"},
				Fixed:      []string{"a:acme-1/1.2.16=>acme-2/1.2.15 FAIL>PASS"},
				Carried: []string{
					"a:acme-1/1.2.16=>acme-2/1.2.15 by description (benchmark acme-2 unknown to the catalog)",
					"a:acme-1/1.2.17=>acme-2/1.2.16 by description (benchmark acme-2 unknown to the catalog)",
					"a:acme-1/4.2.1=>acme-2/4.2.1 by description (benchmark acme-2 unknown to the catalog)",
				},
				Uncarried: []string{"a:acme-1/1.2.12 PASS no control of acme-2 has this description (benchmark acme-2 unknown to the catalog)"},
			},
		},
		{
			name:     "only the old benchmark is unknown: by description too",
			baseline: []benchresult.Check{c("a", u1, "4.2.1", fail, "Ensure that the --anonymous-auth argument is set to false")},
			current:  []benchresult.Check{c("a", b10, "4.2.1", fail, "Ensure that the --anonymous-auth argument is set to false (Automated)")},
			want: summary{
				Persisting: []string{"a:acme-1/4.2.1=>cis-1.10/4.2.1 FAIL>FAIL"},
				Carried:    []string{"a:acme-1/4.2.1=>cis-1.10/4.2.1 by description (benchmark acme-1 unknown to the catalog)"},
			},
		},
		{
			name:     "an id the catalog does not know in a known benchmark: by description",
			baseline: []benchresult.Check{c("a", b8, "4.9.9", fail, "Ensure that the --anonymous-auth argument is set to false")},
			current:  []benchresult.Check{c("a", b10, "4.2.1", fail, "Ensure that the --anonymous-auth argument is set to false (Automated)")},
			want: summary{
				Persisting: []string{"a:cis-1.8/4.9.9=>cis-1.10/4.2.1 FAIL>FAIL"},
				Carried:    []string{"a:cis-1.8/4.9.9=>cis-1.10/4.2.1 by description (cis-1.8 node 4.9.9 unknown to the catalog)"},
			},
		},
		{
			name: "a whole target that vanished is listed, whatever its statuses",
			baseline: []benchresult.Check{
				check("prod", "a", "gke-1.0", benchresult.TargetEtcd, "2.1", pass, "etcd cert-file"),
				check("prod", "a", "gke-1.0", benchresult.TargetEtcd, "2.2", fail, "etcd client-cert-auth"),
				check("prod", "b", "gke-1.0", benchresult.TargetEtcd, "2.2", fail, "etcd client-cert-auth"),
				c("a", "gke-1.0", "4.2.1", fail, "Ensure that the --anonymous-auth argument is set to false"),
			},
			current: []benchresult.Check{check("prod", "a", "gke-1.2.0", benchresult.TargetNode, "3.2.1", fail, "Ensure that the Anonymous Auth is Not Enabled (Automated)")},
			want: summary{
				Persisting: []string{"a:gke-1.0/4.2.1=>gke-1.2.0/3.2.1 FAIL>FAIL"},
				Gone:       []string{"b:2.2 FAIL>-"}, // node b was not scanned
				Carried:    []string{"a:gke-1.0/4.2.1=>gke-1.2.0/3.2.1"},
				Uncarried: []string{
					"a:gke-1.0/2.1 PASS no longer in gke-1.2.0: it has no etcd target [vanished]",
					"a:gke-1.0/2.2 FAIL no longer in gke-1.2.0: it has no etcd target [vanished]",
				},
			},
		},
		{
			name: "a description shared by several controls: equal ids, then sections, then elimination",
			baseline: []benchresult.Check{
				c("a", u1, "1.2.16", fail, "profiling"), c("a", u1, "1.3.2", pass, "profiling"), c("a", u1, "1.4.1", pass, "profiling"),
				c("a", u1, "1.5.1", fail, "dup"), c("a", u1, "1.6.1", pass, "dup"),
			},
			current: []benchresult.Check{
				c("a", u2, "1.2.15", fail, "profiling"), c("a", u2, "1.3.2", fail, "profiling"), c("a", u2, "1.4.1", pass, "profiling"),
				c("a", u2, "1.7.1", fail, "dup"), c("a", u2, "1.7.2", fail, "dup"),
			},
			want: summary{
				New: []string{
					"a:acme-1/1.3.2=>acme-2/1.3.2 PASS>FAIL",
					"a:1.7.1 ->FAIL",
					"a:1.7.2 ->FAIL",
				},
				Persisting: []string{"a:acme-1/1.2.16=>acme-2/1.2.15 FAIL>FAIL"},
				Carried:    []string{"a:acme-1/1.2.16=>acme-2/1.2.15 by description (benchmark acme-2 unknown to the catalog)", "a:acme-1/1.3.2=>acme-2/1.3.2 by description (benchmark acme-2 unknown to the catalog)", "a:acme-1/1.4.1=>acme-2/1.4.1 by description (benchmark acme-2 unknown to the catalog)"},
				Uncarried: []string{
					"a:acme-1/1.5.1 FAIL 2 controls of acme-2 have this description; none matches id 1.5.1 or its section (benchmark acme-2 unknown to the catalog)",
					"a:acme-1/1.6.1 PASS 2 controls of acme-2 have this description; none matches id 1.6.1 or its section (benchmark acme-2 unknown to the catalog)",
				},
			},
		},
		{
			name:     "a baseline entry without a description is not carried",
			baseline: []benchresult.Check{c("a", u1, "1.1.3", fail, " (Manual) ")},
			current:  []benchresult.Check{c("a", u2, "1.1.3", fail, "")},
			want: summary{
				New:       []string{"a:1.1.3 ->FAIL"},
				Uncarried: []string{"a:acme-1/1.1.3 FAIL the baseline entry has no description to match on (benchmark acme-2 unknown to the catalog)"},
			},
		},
		{
			name:     "an old benchmark next to the current one in the baseline is not carried",
			baseline: []benchresult.Check{c("a", b8, "1.1.1", fail, "x"), c("a", b10, "1.1.1", fail, "x")},
			current:  []benchresult.Check{c("a", b10, "1.1.1", fail, "x")},
			want: summary{
				Persisting: []string{"a:1.1.1 FAIL>FAIL"},
				Uncarried:  []string{"a:cis-1.8/1.1.1 FAIL the results hold no benchmark for this node and target that the baseline lacks (cis-1.10)"},
			},
		},
		{
			name:     "two new benchmarks: cannot tell which",
			baseline: []benchresult.Check{c("a", b8, "1.1.1", fail, "x")},
			current:  []benchresult.Check{c("a", b10, "1.1.1", fail, "x"), c("a", "cis-1.11", "1.1.1", fail, "x")},
			want: summary{
				New:       []string{"a:1.1.1 ->FAIL", "a:1.1.1 ->FAIL"},
				Uncarried: []string{"a:cis-1.8/1.1.1 FAIL the results hold several new benchmarks for this node and target (cis-1.10, cis-1.11); cannot tell which one replaces it"},
			},
		},
		{
			name:     "a benchmark change on one node only",
			baseline: []benchresult.Check{c("a", b8, "4.2.6", fail, "Ensure that the --make-iptables-util-chains argument is set to true"), c("b", b8, "4.2.6", fail, "Ensure that the --make-iptables-util-chains argument is set to true")},
			current:  []benchresult.Check{c("a", b10, "4.2.6", pass, "Ensure that the --make-iptables-util-chains argument is set to true (Automated)"), c("b", b8, "4.2.6", fail, "Ensure that the --make-iptables-util-chains argument is set to true")},
			want: summary{
				Persisting: []string{"b:4.2.6 FAIL>FAIL"},
				Fixed:      []string{"a:cis-1.8/4.2.6=>cis-1.10/4.2.6 FAIL>PASS"},
				Carried:    []string{"a:cis-1.8/4.2.6=>cis-1.10/4.2.6"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := tt.base
			if base == nil && tt.baseline != nil {
				base = baseline.FromChecks(tt.baseline)
			}
			d := baseline.Diff(base, tt.current)
			if diff := cmp.Diff(tt.want, summarize(d)); diff != "" {
				t.Errorf("Diff mismatch (-want +got):\n%s", diff)
			}
			// Every change of a present check points at it.
			for _, l := range [][]baseline.Change{d.New, d.Persisting, d.Fixed, d.Changed} {
				for _, ch := range l {
					if ch.Check == nil || ch.Check.Key() != ch.Key {
						t.Errorf("change %s: Check does not point at the current check", ch.Key)
					}
				}
			}
		})
	}
}

func TestDeltaExceedsLegacy(t *testing.T) {
	t.Parallel()
	d := baseline.Diff(&baseline.Baseline{Legacy: true, FailCount: 5}, nil)
	for open, want := range map[int]bool{0: false, 5: false, 6: true} {
		if got := d.ExceedsLegacy(open); got != want {
			t.Errorf("ExceedsLegacy(%d) = %v, want %v", open, got, want)
		}
	}
	if baseline.Diff(baseline.FromChecks(nil), nil).ExceedsLegacy(100) {
		t.Error("an ID-level delta exceeds a legacy count")
	}
}
