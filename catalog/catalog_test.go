package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/catalog"
	"github.com/google/go-cmp/cmp"
)

func mustLookup(t *testing.T, benchmark, target, id string) catalog.Control {
	t.Helper()
	c, ok := catalog.Lookup(benchmark, target, id)
	if !ok {
		t.Fatalf("Lookup(%s, %s, %s): not found", benchmark, target, id)
	}
	return c
}

// ids returns the ids of controls, for comparing Find's answers.
func ids(cs []catalog.Control) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// TestKnownCases pins the cases issue 13 names: what a control of one
// benchmark version is in the next one.
func TestKnownCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		from, to           string
		id                 string
		want               []string // ids of the control in "to"; nil: vanished
		sameText, reworded bool
	}{
		{name: "admin.conf permissions reworded", from: "cis-1.8", to: "cis-1.9", id: "1.1.13", want: []string{"1.1.13"}, reworded: true},
		{name: "admin.conf ownership reworded", from: "cis-1.8", to: "cis-1.9", id: "1.1.14", want: []string{"1.1.14"}, reworded: true},
		{name: "trailing dot dropped", from: "cis-1.8", to: "cis-1.9", id: "5.1.5", want: []string{"5.1.5"}, reworded: true},
		{name: "--profiling renumbered (1.2.16 reused)", from: "cis-1.8", to: "cis-1.9", id: "1.2.16", want: []string{"1.2.15"}},
		{name: "--profiling in cis-1.10", from: "cis-1.8", to: "cis-1.10", id: "1.2.16", want: []string{"1.2.15"}},
		{name: "--audit-log-path renumbered", from: "cis-1.8", to: "cis-1.10", id: "1.2.17", want: []string{"1.2.16"}},
		{name: "gke proxy kubeconfig permissions", from: "gke-1.6.0", to: "gke-1.8.0", id: "3.1.1", want: []string{"3.1.1"}, reworded: true},
		{name: "gke proxy kubeconfig ownership", from: "gke-1.6.0", to: "gke-1.8.0", id: "3.1.2", want: []string{"3.1.2"}, reworded: true},
		{name: "gke kubelet config: file and mode moved", from: "gke-1.6.0", to: "gke-1.8.0", id: "3.1.3", want: []string{"3.1.3"}, reworded: true},
		{name: "eks root containers vanished", from: "eks-1.2.0", to: "eks-1.5.0", id: "4.2.6"},
		{name: "cis-1.10 to 1.11: 1.1.20 reworded", from: "cis-1.10", to: "cis-1.11", id: "1.1.20", want: []string{"1.1.20"}, reworded: true},
		{name: "cis-1.10 to 1.11: 4.1.7 reworded", from: "cis-1.10", to: "cis-1.11", id: "4.1.7", want: []string{"4.1.7"}, reworded: true},
		{name: "cis-1.10 to 1.11: 4.2.4 reworded", from: "cis-1.10", to: "cis-1.11", id: "4.2.4", want: []string{"4.2.4"}, reworded: true},
		{name: "anonymous auth unchanged", from: "cis-1.9", to: "cis-1.10", id: "1.2.1", want: []string{"1.2.1"}, sameText: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			old := mustLookup(t, tt.from, "", tt.id)
			got := catalog.Find(tt.to, old.Identity)
			if diff := cmp.Diff(tt.want, ids(got)); diff != "" {
				t.Fatalf("Find(%s, %q) (-want +got):\n%s", tt.to, old.Identity, diff)
			}
			if len(got) == 0 {
				return
			}
			if same := got[0].Text == old.Text; same != tt.sameText && tt.sameText {
				t.Errorf("text changed: %q → %q", old.Text, got[0].Text)
			}
			if tt.reworded && got[0].Text == old.Text {
				t.Errorf("%s %s: text %q did not change; the case is about a rewording", tt.to, got[0].ID, old.Text)
			}
		})
	}
}

// TestReusedIDs: an id that names another control in the newer version
// has another identity.
func TestReusedIDs(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ from, to, id, oldFlag, newFlag string }{
		{"cis-1.8", "cis-1.9", "1.2.16", "--profiling", "--audit-log-path"},
		{"cis-1.8", "cis-1.10", "1.2.16", "--profiling", "--audit-log-path"},
	} {
		old, cur := mustLookup(t, tt.from, "master", tt.id), mustLookup(t, tt.to, "master", tt.id)
		if old.Identity == cur.Identity {
			t.Errorf("%s %s and %s %s share identity %q", tt.from, tt.id, tt.to, tt.id, old.Identity)
		}
		if !strings.Contains(old.Text, tt.oldFlag) || !strings.Contains(cur.Text, tt.newFlag) {
			t.Errorf("texts %q, %q: want %s and %s", old.Text, cur.Text, tt.oldFlag, tt.newFlag)
		}
	}
}

// TestDistinctValues: controls that test one flag for different values
// stay apart.
func TestDistinctValues(t *testing.T) {
	t.Parallel()
	for _, bench := range []string{"cis-1.6", "cis-1.8", "cis-1.10", "cis-1.12"} {
		node, rbac := mustLookup(t, bench, "master", "1.2.7"), mustLookup(t, bench, "master", "1.2.8")
		if bench == "cis-1.6" { // before cis-1.20 renumbered: 1.2.8 is Node, 1.2.9 RBAC
			node, rbac = mustLookup(t, bench, "master", "1.2.8"), mustLookup(t, bench, "master", "1.2.9")
		}
		if !strings.Contains(node.Text, "Node") || !strings.Contains(rbac.Text, "RBAC") {
			t.Fatalf("%s: texts %q, %q", bench, node.Text, rbac.Text)
		}
		if node.Identity == rbac.Identity {
			t.Errorf("%s: Node and RBAC share identity %q", bench, node.Identity)
		}
		if got := ids(catalog.Find("cis-1.10", rbac.Identity)); !slices.Equal(got, []string{"1.2.8"}) {
			t.Errorf("%s RBAC in cis-1.10: %v, want [1.2.8]", bench, got)
		}
	}
}

// TestLookup compares one check field for field with what
// cfg/cis-1.10/master.yaml of kube-bench v0.15.6 says.
func TestLookup(t *testing.T) {
	t.Parallel()
	got := mustLookup(t, "cis-1.10", "master", "1.2.1")
	want := catalog.Control{
		Benchmark:   "cis-1.10",
		Target:      "master",
		Section:     catalog.Section{ID: "1.2", Text: "API Server"},
		ID:          "1.2.1",
		Text:        "Ensure that the --anonymous-auth argument is set to false (Manual)",
		Scored:      false,
		Audit:       "/bin/ps -ef | grep $apiserverbin | grep -v grep",
		Tests:       catalog.Tests{Items: []catalog.TestItem{{Flag: "--anonymous-auth", Set: true, Op: "eq", Value: "false"}}},
		Remediation: "Edit the API server pod specification file $apiserverconf\non the control plane node and set the below parameter.\n--anonymous-auth=false\n",
		Identity:    "setting apiserver anonymousauth",
		KubeBench:   []string{"v0.10.4", "v0.10.7", "v0.11.1", "v0.11.2", "v0.12.0", "v0.13.0", "v0.14.0", "v0.14.1", "v0.15.1", "v0.15.5", "v0.15.6"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lookup(cis-1.10, master, 1.2.1) (-want +got):\n%s", diff)
	}
	if !got.CarriesTest() || got.Kind() != catalog.Automated || got.Assessment() != "Manual" {
		t.Errorf("CarriesTest %v, Kind %q, Assessment %q: want true, automated, Manual", got.CarriesTest(), got.Kind(), got.Assessment())
	}
}

func TestLookupTargets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                  string
		benchmark, target, id string
		ok                    bool
	}{
		{"empty target, unique id", "cis-1.10", "", "4.2.4", true},
		{"target given", "cis-1.10", "node", "4.2.4", true},
		{"wrong target", "cis-1.10", "master", "4.2.4", false},
		{"unknown id", "cis-1.10", "", "9.9.9", false},
		{"unknown benchmark", "cis-9.9", "", "1.1.1", false},
		{"id repeated across targets", "eks-stig-kubernetes-v1r6", "", "V-242381", false},
		{"repeated id, target given", "eks-stig-kubernetes-v1r6", "policies", "V-242381", true},
		{"repeated id, other target", "eks-stig-kubernetes-v1r6", "controlplane", "V-242381", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, ok := catalog.Lookup(tt.benchmark, tt.target, tt.id); ok != tt.ok {
				t.Errorf("Lookup(%q, %q, %q) ok = %v, want %v", tt.benchmark, tt.target, tt.id, ok, tt.ok)
			}
		})
	}
}

func TestCarriesTest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		benchmark, id string
		kind          string
		carries       bool
	}{
		{"cis-1.10", "1.2.1", catalog.Automated, true},  // (Manual), not scored: WARN is a failed test
		{"cis-1.10", "4.2.4", catalog.Automated, true},  // the kubelet's read-only port
		{"cis-1.10", "1.2.16", catalog.Automated, true}, // scored: FAIL
		{"cis-1.10", "1.2.20", catalog.Manual, false},   // type: manual, always WARN
		{"cis-1.10", "5.1.1", catalog.Automated, true},  // a kubectl audit with a test
	}
	for _, tt := range tests {
		c := mustLookup(t, tt.benchmark, "", tt.id)
		if c.Kind() != tt.kind || c.CarriesTest() != tt.carries {
			t.Errorf("%s %s: Kind %q CarriesTest %v, want %q %v", tt.benchmark, tt.id, c.Kind(), c.CarriesTest(), tt.kind, tt.carries)
		}
	}
}

func TestBenchmarks(t *testing.T) {
	t.Parallel()
	if err := catalog.LoadError(); err != nil {
		t.Fatal(err)
	}
	rel := catalog.KubeBenchReleases()
	if len(rel) < 30 || rel[0] != "v0.4.0" || rel[len(rel)-1] != "v0.15.6" {
		t.Errorf("KubeBenchReleases() = %v, want v0.4.0 … v0.15.6", rel)
	}
	bs := catalog.Benchmarks()
	if len(bs) < 47 {
		t.Errorf("%d benchmarks, want 47 or more", len(bs))
	}
	for _, b := range bs {
		if !catalog.Known(b.ID) || len(b.KubeBench) == 0 || len(b.Targets) == 0 {
			t.Errorf("benchmark %+v: not known, or no release or target", b)
		}
		// Every definition of every check is shipped by some release of
		// the benchmark, and no two definitions share a release.
		for _, c := range catalog.Controls(b.ID) {
			seen := map[string]bool{}
			for _, d := range catalog.Definitions(b.ID, c.Target, c.ID) {
				for _, r := range d.KubeBench {
					if seen[r] || !slices.Contains(b.KubeBench, r) {
						t.Errorf("%s %s %s: release %s twice or not the benchmark's", b.ID, c.Target, c.ID, r)
					}
					seen[r] = true
				}
			}
		}
	}
	if catalog.Known("cis-9.9") {
		t.Error("Known(cis-9.9) = true")
	}
	if i := slices.IndexFunc(bs, func(b catalog.Benchmark) bool { return b.ID == "cis-1.10" }); i < 0 ||
		!slices.Equal(bs[i].Targets, []string{"master", "etcd", "controlplane", "node", "policies"}) {
		t.Errorf("cis-1.10 targets: %+v", bs)
	}
}

// TestDefinitions: one benchmark id, different kube-bench releases,
// different definitions, each kept.
func TestDefinitions(t *testing.T) {
	t.Parallel()
	defs := catalog.Definitions("cis-1.9", "master", "1.1.13")
	if len(defs) < 2 {
		t.Fatalf("cis-1.9 1.1.13: %d definitions, want the brace and the loop audit", len(defs))
	}
	if !strings.Contains(defs[0].Audit, "{admin.conf,super-admin.conf}") || defs[0].KubeBench[0] != "v0.8.0" {
		t.Errorf("first definition: audit %q, releases %v", defs[0].Audit, defs[0].KubeBench)
	}
	for _, d := range defs {
		if d.Identity != defs[0].Identity {
			t.Errorf("definitions of one check disagree: %q, %q", d.Identity, defs[0].Identity)
		}
	}
	latest := mustLookup(t, "cis-1.9", "master", "1.1.13")
	if diff := cmp.Diff(defs[len(defs)-1], latest); diff != "" {
		t.Errorf("Lookup is not the latest definition (-latest +Lookup):\n%s", diff)
	}
}

// TestResolve: a description finds the control it means, tolerant of
// typos and rewording; flags and files weigh most.
func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, benchmark, description string
		want                         []string // ids of the best matches (all those with the top score)
	}{
		{"typo in the flag", "cis-1.10", "Ensure that the --profilling argument is set to false for the API server", []string{"1.2.15"}},
		{"typo alone: three components tie", "cis-1.10", "--profilling", []string{"1.2.15", "1.3.2", "1.4.1"}},
		{"RBAC, not Node", "cis-1.10", "--authorization-mode includes RBAC", []string{"1.2.8"}},
		{"Node, not RBAC", "cis-1.10", "--authorization-mode includes Node", []string{"1.2.7"}},
		{"old wording of a reworded control", "cis-1.9", "Ensure that the admin.conf file permissions are set to 600 or more restrictive", []string{"1.1.13"}},
		{"ownership, not permissions", "cis-1.9", "admin.conf ownership", []string{"1.1.14"}},
		{"admission plugin by name", "cis-1.10", "AlwaysPullImages admission plugin", []string{"1.2.11"}},
		{"config path", "cis-1.10", "{.readOnlyPort}", []string{"4.2.4"}},
		{"camel-case config name", "cis-1.10", "readOnlyPort set to 0", []string{"4.2.4"}},
		{"words only", "cis-1.10", "kubelet read only port", []string{"4.2.4"}},
		{"kube-bench variable", "cis-1.10", "$kubeletconf ownership", []string{"4.1.10"}},
		{"nothing fits", "cis-1.10", "zzz qqq", nil},
		{"unknown benchmark", "cis-9.9", "--profiling", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ms := catalog.Resolve(tt.benchmark, tt.description)
			var got []string
			for _, m := range ms {
				if m.Score == ms[0].Score {
					got = append(got, m.ID)
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve(%s, %q) best (-want +got):\n%s\nall: %+v", tt.benchmark, tt.description, diff, ms)
			}
		})
	}
}

// TestResolveCarriesAcrossVersions: the text of a control in one version
// resolves, in the next, to the control Find says it became.
func TestResolveCarriesAcrossVersions(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{{"cis-1.8", "cis-1.9"}, {"cis-1.9", "cis-1.10"}, {"cis-1.10", "cis-1.11"}, {"gke-1.6.0", "gke-1.8.0"}}
	for _, p := range pairs {
		wrong := 0
		total := 0
		for _, old := range catalog.Controls(p[0]) {
			found := catalog.Find(p[1], old.Identity)
			if len(found) != 1 {
				continue
			}
			total++
			ms := catalog.Resolve(p[1], old.Text)
			if len(ms) == 0 || !slices.ContainsFunc(ms, func(m catalog.Match) bool { return m.Score == ms[0].Score && m.ID == found[0].ID }) {
				wrong++
				t.Logf("%s %s %q: Resolve in %s gives %v, Find %s", p[0], old.ID, old.Text, p[1], ms, found[0].ID)
			}
		}
		// Identical texts of different controls (the --profiling of three
		// components) tie; a handful may resolve to a sibling.
		if wrong*20 > total {
			t.Errorf("%s → %s: %d of %d texts resolve elsewhere than Find", p[0], p[1], wrong, total)
		}
	}
}
