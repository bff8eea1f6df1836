package predict

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/google/go-cmp/cmp"
)

// A kube-bench JSON document of cis-1.10 as v0.14.1 prints it, cut down to
// one check of each kind predict tells apart.
const sandboxJSON = `{"Controls":[` +
	`{"id":"1","version":"cis-1.10","detected_version":"","text":"Control Plane","node_type":"master","tests":[` +
	`{"section":"1.1","type":"","pass":1,"fail":0,"warn":0,"info":0,"desc":"files","results":[` +
	`{"test_number":"1.1.1","test_desc":"mode","status":"PASS","actual_value":"permissions=600","scored":true}]},` +
	`{"section":"1.2","type":"","pass":0,"fail":1,"warn":0,"info":0,"desc":"API Server","results":[` +
	`{"test_number":"1.2.15","test_desc":"profiling","status":"FAIL","actual_value":"--profiling=true & more","scored":true}]},` +
	`{"section":"1.3","type":"","pass":1,"fail":0,"warn":1,"info":0,"desc":"Controller Manager","results":[` +
	`{"test_number":"1.3.2","test_desc":"profiling","status":"PASS","scored":true},` +
	`{"test_number":"1.2.20","test_desc":"manual","status":"WARN","scored":false}]}],` +
	`"total_pass":2,"total_fail":1,"total_warn":1,"total_info":0},` +
	`{"id":"5","version":"cis-1.10","detected_version":"","text":"Policies","node_type":"policies","tests":[` +
	`{"section":"5.1","type":"","pass":0,"fail":0,"warn":1,"info":0,"desc":"RBAC","results":[` +
	`{"test_number":"5.1.1","test_desc":"cluster-admin","status":"WARN","scored":false}]}],` +
	`"total_pass":0,"total_fail":0,"total_warn":1,"total_info":0}],` +
	`"Totals":{"total_pass":2,"total_fail":1,"total_warn":2,"total_info":0}}`

func TestMark(t *testing.T) {
	t.Parallel()
	node := Node{Name: "control-plane", Targets: []string{"master", "policies"}, Described: []string{"apiserver"}}
	live, err := baseline.Parse([]byte(`{"version":1,"checks":[
{"node":"cp-1","benchmark":"cis-1.10","target":"master","id":"1.1.1","status":"FAIL","text":"mode"},
{"node":"cp-2","benchmark":"cis-1.10","target":"master","id":"1.1.1","status":"PASS","text":"mode"},
{"node":"cp-2","benchmark":"cis-1.10","target":"master","id":"1.3.2","status":"PASS","text":"profiling"},
{"node":"w-1","benchmark":"cis-1.10","target":"node","id":"4.1.1","status":"FAIL","text":"mode"},
{"node":"w-1","benchmark":"cis-1.10","target":"master","id":"9.9","status":"FAIL","text":"a worker that ran master once"}
]}`), "live.json", baseline.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		base       *baseline.Baseline
		want       []Unpredictable
		statuses   map[string]string
		totals     benchresult.Totals
		fromFields map[string]string
	}{
		{
			name: "no baseline",
			want: []Unpredictable{
				{Target: "master", ID: "1.1.1", Why: "the permissions of a file on the node", Sandbox: "PASS", Status: "INFO"},
				{Target: "master", ID: "1.3.2", Why: "the files do not describe kube-controller-manager", Sandbox: "PASS", Status: "INFO"},
				{Target: "policies", ID: "5.1.1", Why: "a cluster-wide query", Sandbox: "WARN", Status: "INFO"},
			},
			statuses: map[string]string{"1.1.1": "INFO", "1.2.15": "FAIL", "1.3.2": "INFO", "1.2.20": "WARN", "5.1.1": "INFO"},
			totals:   benchresult.Totals{Pass: 0, Fail: 1, Warn: 1, Info: 3},
		},
		{
			name: "baseline",
			base: live,
			want: []Unpredictable{
				{Target: "master", ID: "1.1.1", Why: "the permissions of a file on the node", Sandbox: "PASS", Status: "FAIL", From: "baseline (node cp-1)"},
				{Target: "master", ID: "1.3.2", Why: "the files do not describe kube-controller-manager", Sandbox: "PASS", Status: "PASS", From: "baseline (node cp-2)"},
				{Target: "policies", ID: "5.1.1", Why: "a cluster-wide query", Sandbox: "WARN", Status: "INFO"},
			},
			statuses: map[string]string{"1.1.1": "FAIL", "1.2.15": "FAIL", "1.3.2": "PASS", "1.2.20": "WARN", "5.1.1": "INFO"},
			totals:   benchresult.Totals{Pass: 1, Fail: 2, Warn: 1, Info: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := Mark([]byte(sandboxJSON), node, tt.base)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, m.Unpredictable); d != "" {
				t.Errorf("unpredictable (-want +got):\n%s", d)
			}
			if m.Totals != tt.totals {
				t.Errorf("totals %+v, want %+v", m.Totals, tt.totals)
			}
			// what benchresult reads of it
			nr, err := benchresult.ParseBytes(m.JSON, "control-plane.json", benchresult.Options{})
			if err != nil {
				t.Fatalf("benchresult cannot read the marked JSON: %v", err)
			}
			got := map[string]string{}
			for _, c := range nr.Checks {
				got[c.ID] = c.Status.String()
			}
			if d := cmp.Diff(tt.statuses, got); d != "" {
				t.Errorf("statuses benchresult reads (-want +got):\n%s", d)
			}
			if nr.Totals.Info != tt.totals.Info || nr.Totals.Pass != tt.totals.Pass || nr.Totals.Fail != tt.totals.Fail {
				t.Errorf("kube-bench's totals as benchresult reads them: %+v, want %+v", nr.Totals, tt.totals)
			}
			// the fields say why, and keep the sandbox's status
			var doc struct {
				Controls []struct {
					Tests []struct {
						Pass, Fail, Warn, Info int
						Results                []map[string]any
					}
				}
			}
			if err := json.Unmarshal(m.JSON, &doc); err != nil {
				t.Fatal(err)
			}
			for _, c := range doc.Controls {
				for _, g := range c.Tests {
					n := map[string]int{}
					for _, r := range g.Results {
						n[r["status"].(string)]++
						if why, ok := r["predict"].(string); ok != (r["predict_sandbox_status"] != nil) || ok && !strings.HasPrefix(why, "not predictable from the repository: ") {
							t.Errorf("%v: predict fields %q, %v", r["test_number"], why, r["predict_sandbox_status"])
						}
					}
					if g.Pass != n["PASS"] || g.Fail != n["FAIL"] || g.Warn != n["WARN"] || g.Info != n["INFO"] {
						t.Errorf("group counts %d/%d/%d/%d, want %v", g.Pass, g.Fail, g.Warn, g.Info, n)
					}
				}
			}
			if !strings.Contains(string(m.JSON), `"--profiling=true & more"`) {
				t.Errorf("kube-bench's text was re-escaped: %s", m.JSON)
			}
		})
	}
}

func TestMarkRefusesWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	if _, err := Mark([]byte("[FAIL] 1.2.1"), Node{Name: "worker"}, nil); err == nil || !strings.Contains(err.Error(), "node worker") {
		t.Errorf("error %v, want one naming the node", err)
	}
}

// TestMarkFileNamedByAFlag: cis-1.10's 1.2.28 reads the file that
// --encryption-provider-config names; it is decided by the files only when
// they hold that file.
func TestMarkFileNamedByAFlag(t *testing.T) {
	t.Parallel()
	doc := `{"Controls":[{"id":"1","version":"cis-1.10","node_type":"master","tests":[{"section":"1.2","results":[` +
		`{"test_number":"1.2.28","status":"WARN","scored":false}]}]}]}`
	api := Process{Component: "apiserver", Argv: []string{"kube-apiserver", "--encryption-provider-config=/etc/kubernetes/enc.yaml"}}
	tests := []struct {
		name  string
		node  Node
		wantN int
	}{
		{"file not in the files", Node{Name: "cp", Described: []string{"apiserver"}, Processes: []Process{api}}, 1},
		{"file in the files", Node{Name: "cp", Described: []string{"apiserver"}, Processes: []Process{api}, Files: []File{{Path: "/etc/kubernetes/enc.yaml"}}}, 0},
		{"no such flag", Node{Name: "cp", Described: []string{"apiserver"}, Processes: []Process{{Component: "apiserver", Argv: []string{"kube-apiserver"}}}}, 0},
	}
	for _, tt := range tests {
		m, err := Mark([]byte(doc), tt.node, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Unpredictable) != tt.wantN {
			t.Errorf("%s: %d not predictable (%+v), want %d", tt.name, len(m.Unpredictable), m.Unpredictable, tt.wantN)
		}
		if tt.wantN == 1 && m.Unpredictable[0].Why != "the file --encryption-provider-config names (/etc/kubernetes/enc.yaml) is not in the files" {
			t.Errorf("%s: why %q", tt.name, m.Unpredictable[0].Why)
		}
	}
}
