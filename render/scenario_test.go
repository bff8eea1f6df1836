package render_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/catalog"
	"github.com/bench-action/bench-action/internal/golden"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
	"github.com/google/go-cmp/cmp"
)

// rawFails reads kube-bench JSON without bench-action's parser and returns
// the failing check ids, keyed "node/target/id" (cluster-wide targets: node
// ""): "FAIL", or "MANUAL" for a WARN of a check not scored whose test ran
// (the catalog says it carries one, and its identity is not a cluster
// query): kube-bench's WARN of a failed Manual check.
func rawFails(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	out := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Controls []struct {
				Version  string `json:"version"`
				NodeType string `json:"node_type"`
				Tests    []struct {
					Results []struct {
						ID     string `json:"test_number"`
						Status string `json:"status"`
						Type   string `json:"type"`
						Scored bool   `json:"scored"`
					} `json:"results"`
				} `json:"tests"`
			}
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		node := strings.TrimSuffix(filepath.Base(f), ".json")
		for _, c := range doc.Controls {
			n := node
			if c.NodeType == "policies" || c.NodeType == "managedservices" {
				n = ""
			}
			for _, g := range c.Tests {
				for _, res := range g.Results {
					switch {
					case res.Status == "FAIL":
						out[n+"/"+c.NodeType+"/"+res.ID] = "FAIL"
					case res.Status == "WARN" && !res.Scored && res.Type == "":
						cc, ok := catalog.Lookup(c.Version, c.NodeType, res.ID)
						if ok && len(cc.Tests.Items) > 0 && !strings.HasPrefix(string(cc.Identity), "text ") {
							out[n+"/"+c.NodeType+"/"+res.ID] = "MANUAL"
						}
					}
				}
			}
		}
	}
	return out
}

func TestScenarioCountsMatchIndependentCount(t *testing.T) {
	t.Parallel()
	v := testfleet.Scenario(t)
	now, before := rawFails(t, testfleet.Path("scenario")), rawFails(t, testfleet.Path("scenario-base"))
	accepted := func(key string) bool { // the valid exceptions: 1.1.12 and 4.1.1
		id := key[strings.LastIndex(key, "/")+1:]
		return id == "1.1.12" || id == "4.1.1"
	}
	var want verdict.Counts
	for k := range now {
		switch {
		case accepted(k):
			want.Accepted++
		case before[k] != "":
			want.Fail++
			want.Persisting++
		default:
			want.Fail++
			want.New++
		}
		if now[k] == "MANUAL" && !accepted(k) {
			want.FailedManual++
		}
	}
	for k := range before {
		if before[k] == "FAIL" && now[k] == "" {
			want.Fixed++
		}
	}
	want.Expired, want.Expiring, want.Unused, want.Retargeted = 1, 1, 1, 1
	if diff := cmp.Diff(want, v.Counts); diff != "" {
		t.Errorf("counts (-independent +verdict):\n%s", diff)
	}
	if v.Pass {
		t.Errorf("verdict passed; want fail (new FAILs and an expired exception)")
	}
	t.Logf("counts: %+v", v.Counts)
}

func TestScenarioGolden(t *testing.T) {
	t.Parallel()
	v := testfleet.Scenario(t)
	issues, err := render.TrackingIssues(v, []string{"kube-bench"}, "https://github.com/acme/infra/actions/runs/42")
	if err != nil {
		t.Fatal(err)
	}
	comment, _, err := render.MarkdownWithin(v, render.MarkdownOptions{RunURL: "https://github.com/acme/infra/actions/runs/42", Comment: true}, render.CommentMarker("prod")+"\n", "", render.MaxBodyRunes)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]func(*bytes.Buffer) error{
		"gate.txt":     func(b *bytes.Buffer) error { return render.WriteText(b, v) },
		"gate.md":      func(b *bytes.Buffer) error { return render.WriteMarkdown(b, v, render.MarkdownOptions{}) },
		"comment.md":   func(b *bytes.Buffer) error { b.WriteString(comment); return nil },
		"report.txt":   func(b *bytes.Buffer) error { return render.WriteReportText(b, v.Report) },
		"report.md":    func(b *bytes.Buffer) error { return render.WriteReportMarkdown(b, v.Report) },
		"issue-titles": func(b *bytes.Buffer) error { return writeTitles(b, issues) },
	}
	for _, is := range issues {
		body := is.Body
		outputs["issue-"+is.Owner+".md"] = func(b *bytes.Buffer) error { b.WriteString(body); return nil }
	}
	var gateJSON, reportJSON bytes.Buffer
	if err := render.WriteJSON(&gateJSON, v); err != nil {
		t.Fatal(err)
	}
	if err := render.WriteReportJSON(&reportJSON, v.Report); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "gate.json"), gateJSONGolden(t, gateJSON.Bytes(), reportJSON.Bytes()))
	golden.Check(t, filepath.Join("testdata", "golden", "report.json"), reportJSONGolden(t, reportJSON.Bytes(), v.Report))
	for name, render := range outputs {
		var b bytes.Buffer
		if err := render(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		golden.Check(t, filepath.Join("testdata", "golden", name), b.Bytes())
	}
}

func writeTitles(b *bytes.Buffer, issues []render.TrackingIssue) error {
	lines := make([]string, 0, len(issues))
	for _, is := range issues {
		lines = append(lines, is.Owner+"\t"+is.Title+"\t"+is.Marker)
	}
	sort.Strings(lines)
	b.WriteString(strings.Join(lines, "\n") + "\n")
	return nil
}
