package baseline_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/baseline"
)

// rawCheck is what the scenario tests read from a kube-bench JSON file
// themselves, without benchresult.
type rawCheck struct {
	bench, target, id, status, text string
}

// rawChecks decodes a kube-bench --json output into map[string]any and
// returns its checks keyed by "target/id". It is the independent reading
// the scenario tests compare Diff with.
func rawChecks(t *testing.T, name string) map[string]rawCheck {
	t.Helper()
	data, err := os.ReadFile(fixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]rawCheck{}
	for _, c := range doc["Controls"].([]any) {
		ctl := c.(map[string]any)
		tests, _ := ctl["tests"].([]any) // null for a target without checks (gke-1.8.0's master)
		for _, g := range tests {
			for _, r := range g.(map[string]any)["results"].([]any) {
				res := r.(map[string]any)
				rc := rawCheck{
					bench:  ctl["version"].(string),
					target: ctl["node_type"].(string),
					id:     res["test_number"].(string),
					status: res["status"].(string),
					text:   res["test_desc"].(string),
				}
				k := rc.target + "/" + rc.id
				if _, dup := out[k]; dup {
					t.Fatalf("%s: %s twice", name, k)
				}
				out[k] = rc
			}
		}
	}
	return out
}

// counts is the size of each Delta list.
type counts struct {
	New, Persisting, Fixed, Gone, Changed, Carried, Uncarried int
}

func countsOf(d *baseline.Delta) counts {
	return counts{len(d.New), len(d.Persisting), len(d.Fixed), len(d.Gone), len(d.Changed), len(d.Carried), len(d.Uncarried)}
}

// independentCounts classifies with plain maps: match maps a baseline key
// to the results key it is compared with.
func independentCounts(base, cur map[string]rawCheck, match map[string]string) counts {
	var n counts
	seen := map[string]bool{}
	for bk, ck := range match {
		seen[ck] = true
		b, c := base[bk], cur[ck]
		switch {
		case b.status == "FAIL" && c.status == "FAIL":
			n.Persisting++
		case c.status == "FAIL":
			n.New++
		case b.status == "FAIL":
			n.Fixed++
		case b.status != c.status:
			n.Changed++
		}
	}
	for k, c := range cur {
		if !seen[k] && c.status == "FAIL" {
			n.New++
		}
	}
	for k, b := range base {
		if _, ok := match[k]; !ok && b.status == "FAIL" {
			n.Gone++
		}
	}
	return n
}

// sameKeys matches keys present in both.
func sameKeys(base, cur map[string]rawCheck) map[string]string {
	m := map[string]string{}
	for k := range base {
		if _, ok := cur[k]; ok {
			m[k] = k
		}
	}
	return m
}

// TestScenarioSameBenchmark: real kube-bench outputs of one node, one as
// the baseline, one as the results; the Delta's counts must equal those
// counted directly from the two files.
func TestScenarioSameBenchmark(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, results string
		want                counts // the figures measured, recorded and checked
	}{
		{"mixed node → insecure node", "v0.14.1-cis-1.10-mixed-node.json", "v0.14.1-cis-1.10-insecure-node.json", counts{New: 1, Persisting: 4, Fixed: 0}},
		{"insecure node → mixed node", "v0.14.1-cis-1.10-insecure-node.json", "v0.14.1-cis-1.10-mixed-node.json", counts{New: 0, Persisting: 4, Fixed: 1}},
		{"mixed → insecure", "v0.14.1-cis-1.10-mixed.json", "v0.14.1-cis-1.10-insecure.json", counts{New: 32, Persisting: 9, Fixed: 0, Changed: 7}},
		{"insecure → mixed", "v0.14.1-cis-1.10-insecure.json", "v0.14.1-cis-1.10-mixed.json", counts{New: 0, Persisting: 9, Fixed: 32, Changed: 7}},
		{"hardened → insecure", "v0.14.1-cis-1.10-hardened.json", "v0.14.1-cis-1.10-insecure.json", counts{New: 38, Persisting: 3, Changed: 8}},
		{"insecure → insecure", "v0.14.1-cis-1.10-insecure.json", "v0.14.1-cis-1.10-insecure.json", counts{Persisting: 41}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rb, rc := rawChecks(t, tt.base), rawChecks(t, tt.results)
			want := independentCounts(rb, rc, sameKeys(rb, rc))

			d := baseline.Diff(baseline.FromChecks(load(t, tt.base)), load(t, tt.results))
			got := countsOf(d)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Delta counts differ from the independent count (-want +got):\n%s", diff)
			}
			if tt.want != got {
				t.Errorf("measured %+v, recorded %+v: update the record if the fixtures changed", got, tt.want)
			}
			t.Logf("%s: new %d, persisting %d, fixed %d, gone %d, changed %d", tt.name, got.New, got.Persisting, got.Fixed, got.Gone, got.Changed)
		})
	}
}

// TestScenarioNodeRemoved: baseline of the full node, results of a run
// limited to the node target: the control-plane FAILs are gone, not fixed.
func TestScenarioNodeRemoved(t *testing.T) {
	t.Parallel()
	rb, rc := rawChecks(t, "v0.14.1-cis-1.10-insecure.json"), rawChecks(t, "v0.14.1-cis-1.10-insecure-node.json")
	want := independentCounts(rb, rc, sameKeys(rb, rc))
	d := baseline.Diff(baseline.FromChecks(load(t, "v0.14.1-cis-1.10-insecure.json")), load(t, "v0.14.1-cis-1.10-insecure-node.json"))
	if diff := cmp.Diff(want, countsOf(d)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(d.Gone) != 36 || len(d.Fixed) != 0 {
		t.Errorf("gone %d, fixed %d; want 36 gone (30 master + 6 etcd FAILs), none fixed", len(d.Gone), len(d.Fixed))
	}
}

var markers = regexp.MustCompile(`\((automated|manual|scored|not scored)\)`)

func norm(s string) string {
	return strings.Join(strings.Fields(markers.ReplaceAllString(strings.ToLower(s), " ")), " ")
}

// descriptionMatch is the seed's way of carrying, read independently of
// Diff: same target and normalised text; among several, the one with the
// same id, else the same section.
func descriptionMatch(rb, rc map[string]rawCheck) map[string]string {
	byText := map[string][]string{}
	for k, c := range rc {
		byText[c.target+"|"+norm(c.text)] = append(byText[c.target+"|"+norm(c.text)], k)
	}
	match := map[string]string{}
	for k, b := range rb {
		cands := byText[b.target+"|"+norm(b.text)]
		pick := ""
		switch {
		case len(cands) == 1:
			pick = cands[0]
		case len(cands) > 1:
			for _, ck := range cands {
				if rc[ck].id == b.id {
					pick = ck
				}
			}
			if pick == "" {
				for _, ck := range cands {
					if rc[ck].id[:strings.LastIndex(rc[ck].id, ".")] == b.id[:strings.LastIndex(b.id, ".")] {
						pick = ck
					}
				}
			}
		}
		if pick != "" {
			match[k] = pick
		}
	}
	return match
}

// TestScenarioCarryOver: a baseline of one benchmark version, results of
// the same unchanged fake node in a later version (real kube-bench
// outputs). Carried by identity, no FAIL is new (the acceptance);
// every current FAIL persists or is of a control the older version did not
// have; every carry the descriptions agree on is also made by identity; and
// what vanished is listed with its reason.
func TestScenarioCarryOver(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		old, cur string
		// the record: counts and controls that moved (target/old id → new id)
		want  counts
		added int
		moves map[string]string
	}{
		{
			old: "v0.14.1-cis-1.8-insecure.json", cur: "v0.14.1-cis-1.10-insecure.json",
			want: counts{Persisting: 40, Carried: 129, Uncarried: 1}, added: 1,
			moves: map[string]string{ // KUBE-BENCH-FORMATS.md section 5
				"master/1.2.17":  "1.2.16", // --audit-log-path
				"master/1.2.16":  "1.2.15", // apiserver --profiling; not cis-1.10's 1.2.16
				"master/1.2.13":  "1.2.12", // ServiceAccount admission plugin
				"master/1.2.15":  "1.2.14", // NodeRestriction
				"master/1.2.28":  "1.2.27", // --encryption-provider-config
				"node/4.2.6":     "4.2.6",  // make-iptables-util-chains
				"master/1.3.2":   "1.3.2",  // controller manager --profiling (same text as the apiserver's)
				"master/1.1.13":  "1.1.13", // reworded: admin.conf → default administrative credential file
				"master/1.1.14":  "1.1.14",
				"policies/5.1.5": "5.1.5", // reworded: a trailing "." dropped
			},
		},
		{
			old: "v0.14.1-cis-1.8-mixed.json", cur: "v0.14.1-cis-1.10-mixed.json",
			want: counts{Persisting: 8, Carried: 129, Uncarried: 1}, added: 1,
			moves: map[string]string{"master/1.2.17": "1.2.16", "master/1.1.13": "1.1.13"},
		},
		{
			old: "v0.14.1-cis-1.8-insecure.json", cur: "v0.14.1-cis-1.9-insecure.json",
			want: counts{Persisting: 40, Carried: 129, Uncarried: 1}, added: 1,
			moves: map[string]string{"master/1.1.13": "1.1.13", "master/1.1.14": "1.1.14", "policies/5.1.5": "5.1.5", "master/1.2.17": "1.2.16"},
		},
		{
			old: "v0.14.1-cis-1.9-insecure.json", cur: "v0.14.1-cis-1.10-insecure.json",
			want: counts{Persisting: 41, Carried: 130},
		},
		{
			old: "v0.14.1-cis-1.10-insecure.json", cur: "v0.14.1-cis-1.11-insecure.json",
			want: counts{Persisting: 41, Carried: 130}, added: 1, // 1.2.30 --service-account-extend-token-expiration
		},
		{
			old: "v0.14.1-cis-1.8-insecure.json", cur: "v0.14.1-cis-1.11-insecure.json",
			want: counts{Persisting: 40, Carried: 129, Uncarried: 1}, added: 2,
		},
		{
			// gke-1.8.0 drops the kubelet's 3.2.x (listed as vanished) and
			// makes 4.1.1, 4.1.5, 4.3.2, 5.6.7 Automated (Manual, WARN in
			// gke-1.6.0): their FAILs are Added; 3.1.1 and 3.1.2 persist.
			old: "v0.14.1-gke-1.6.0-mixed.json", cur: "v0.14.1-gke-1.8.0-mixed.json",
			want: counts{Persisting: 2, Fixed: 2, Changed: 9, Carried: 57, Uncarried: 11}, added: 4,
			moves: map[string]string{"node/3.1.1": "3.1.1", "node/3.1.2": "3.1.2"},
		},
	} {
		t.Run(tt.old+"→"+tt.cur, func(t *testing.T) {
			t.Parallel()
			rb, rc := rawChecks(t, tt.old), rawChecks(t, tt.cur)
			d := baseline.Diff(baseline.FromChecks(load(t, tt.old)), load(t, tt.cur))
			got := countsOf(d)
			if got.New != 0 {
				for _, ch := range d.New {
					t.Errorf("new FAIL on an unchanged node: %s (baseline %s) %q", ch.Key, ch.BaselineKey, ch.Text)
				}
			}
			curFails := 0
			for _, c := range rc {
				if c.status == "FAIL" {
					curFails++
				}
			}
			if n := len(d.Persisting) + len(d.Added) + len(d.New); n != curFails {
				t.Errorf("new + added + persisting = %d, the results hold %d FAILs", n, curFails)
			}
			moves := map[string]string{}
			by := map[string]int{}
			for _, c := range d.Carried {
				by[c.By]++
				moves[string(c.From.Target)+"/"+c.From.ID] = c.To.ID
			}
			if by[baseline.CarryByIdentity] != len(d.Carried) {
				t.Errorf("carried %v: want every carry by identity (both benchmarks are in the catalog)", by)
			}
			// Where the descriptions agree, identity must agree too.
			for from, to := range descriptionMatch(rb, rc) {
				if moves[from] != rc[to].id {
					t.Errorf("%s: the description says %s, identity carried to %q", from, rc[to].id, moves[from])
				}
			}
			for from, to := range tt.moves {
				if moves[from] != to {
					t.Errorf("%s carried to %q, want %s", from, moves[from], to)
				}
			}
			if n := len(d.Carried) + len(d.Uncarried); n != len(rb) {
				t.Errorf("carried %d + uncarried %d = %d, the baseline holds %d", len(d.Carried), len(d.Uncarried), n, len(rb))
			}
			for _, u := range d.Uncarried {
				if u.Reason == "" {
					t.Errorf("uncarried %s without a reason", u.Key)
				}
				t.Logf("uncarried: %s %s %q: %s (vanished %v)", u.Key.ID, u.Status, u.Text, u.Reason, u.Vanished)
			}
			for _, ch := range d.Added {
				t.Logf("added: %s %q", ch.Key.ID, ch.Text)
			}
			t.Logf("carried %v, uncarried %d; new %d, added %d, persisting %d, fixed %d, changed %d",
				by, got.Uncarried, got.New, len(d.Added), got.Persisting, got.Fixed, got.Changed)
			if got != tt.want || len(d.Added) != tt.added {
				t.Errorf("measured %+v, %d added; recorded %+v, %d added: update the record if the fixtures changed", got, len(d.Added), tt.want, tt.added)
			}
		})
	}
}
