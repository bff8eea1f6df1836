package sarif_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/render/sarif"
	"github.com/google/go-cmp/cmp"
	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/golden"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/verdict"
)

func writeSARIF(t *testing.T, v *verdict.Verdict, opts sarif.Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := sarif.Write(&b, v, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteSARIFGolden(t *testing.T) {
	t.Parallel()
	opts := sarif.Options{ToolVersion: "1.0.0"}
	first, second := writeSARIF(t, testfleet.FormatVerdict(t), opts), writeSARIF(t, testfleet.FormatVerdict(t), opts)
	if !bytes.Equal(first, second) {
		t.Errorf("two writes of the same verdict differ")
	}
	golden.Check(t, filepath.Join("testdata", "gate.sarif"), first)
}

// validateSARIF checks a SARIF document against the SARIF 2.1.0 JSON schema
// that go-sarif embeds (sarif-schema-2.1.0.json, errata01). go-sarif
// validates its Report struct, so the bytes are parsed into one first, and
// the parsed report is checked to marshal back to the same JSON: what was
// validated is what was written.
func validateSARIF(t *testing.T, data []byte) *gosarif.Report {
	t.Helper()
	rep, err := gosarif.FromBytes(data, gosarif.WithStrictValidation())
	if err != nil {
		t.Fatalf("parse sarif: %v", err)
	}
	back, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(back, &b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("parsing the SARIF into go-sarif's types lost data (-written +parsed):\n%s", diff)
	}
	if err := rep.Validate(); err != nil {
		t.Fatalf("SARIF 2.1.0 schema validation: %v", err)
	}
	return rep
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	v := testfleet.FormatVerdict(t)
	tests := []struct {
		name string
		v    *verdict.Verdict
		opts sarif.Options
	}{
		{"scenario", v, sarif.Options{ToolVersion: "1.0.0"}},
		{"accepted omitted", v, sarif.Options{OmitAccepted: true, LocationURI: `deploy\cluster.yaml`}},
		{"no exceptions, no baseline", verdict.Evaluate(v.Report, verdict.Config{}), sarif.Options{}},
		{"no findings", verdict.Evaluate(&benchresult.Report{}, verdict.Config{}), sarif.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := validateSARIF(t, writeSARIF(t, tt.v, tt.opts))
			if len(rep.Runs) != 1 {
				t.Errorf("%d runs, want 1", len(rep.Runs))
			}
			t.Logf("valid SARIF 2.1.0: %d results, %d rules", len(rep.Runs[0].Results), len(rep.Runs[0].Tool.Driver.Rules))
		})
	}
}

// TestSARIFValidatorRejects shows the validation above is not vacuous: a
// document that breaks the schema is refused.
func TestSARIFValidatorRejects(t *testing.T) {
	t.Parallel()
	data := writeSARIF(t, testfleet.FormatVerdict(t), sarif.Options{})
	for _, bad := range []struct{ from, to string }{
		{`"level": "error"`, `"level": "fatal"`},
		{`"startLine": 1`, `"startLine": 0`},
		{`"version": "2.1.0"`, `"version": "2.0.0"`},
	} {
		broken := bytes.Replace(data, []byte(bad.from), []byte(bad.to), 1)
		if bytes.Equal(broken, data) {
			t.Fatalf("%s not in the output", bad.from)
		}
		rep, err := gosarif.FromBytes(broken, gosarif.WithStrictValidation())
		if err != nil {
			continue
		}
		if err := rep.Validate(); err == nil {
			t.Errorf("with %s the schema validation passed; want an error", bad.to)
		}
	}
}

// TestSARIFForCodeScanning checks what GitHub code scanning needs beyond
// the schema, and the mapping of the verdict.
func TestSARIFForCodeScanning(t *testing.T) {
	t.Parallel()
	v := testfleet.FormatVerdict(t)
	rep := validateSARIF(t, writeSARIF(t, v, sarif.Options{ToolVersion: "1.0.0"}))
	run := rep.Runs[0]
	if got := *run.Tool.Driver.Name; got != "bench-action" {
		t.Errorf("driver %q", got)
	}
	if run.Tool.Driver.Version == nil || *run.Tool.Driver.Version != "1.0.0" {
		t.Errorf("driver version %v", run.Tool.Driver.Version)
	}
	if run.AutomationDetails == nil || *run.AutomationDetails.ID != "bench-action/prod/" {
		t.Errorf("automationDetails %+v", run.AutomationDetails)
	}
	rules := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		if _, dup := rules[*r.ID]; dup {
			t.Errorf("rule %s twice", *r.ID)
		}
		rules[*r.ID] = i
		if r.ShortDescription == nil || *r.ShortDescription.Text == "" || r.Help == nil || r.Help.Text == nil || r.Help.Markdown == nil {
			t.Errorf("rule %s lacks a description or help", *r.ID)
		}
	}
	type tally struct{ Open, Suppressed, Error, Warning, Note, New, Unchanged int }
	var got tally
	fingerprints := map[string]bool{}
	for _, res := range run.Results {
		if res.RuleID == nil || rules[*res.RuleID] != res.RuleIndex {
			t.Errorf("result %v: ruleIndex %d does not name its rule", res.RuleID, res.RuleIndex)
		}
		if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation == nil || res.Locations[0].PhysicalLocation.ArtifactLocation.URI == nil ||
			*res.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" || *res.Locations[0].PhysicalLocation.Region.StartLine < 1 {
			t.Errorf("result %s has no usable location", *res.RuleID)
		} else if len(res.Locations[0].LogicalLocations) != 1 || !strings.HasPrefix(*res.Locations[0].LogicalLocations[0].FullyQualifiedName, "prod/") {
			t.Errorf("result %s: logical location %+v", *res.RuleID, res.Locations[0].LogicalLocations)
		}
		fp := res.PartialFingerprints[sarif.FingerprintKey]
		if len(fp) != 64 || fingerprints[fp] {
			t.Errorf("result %s: fingerprint %q missing or repeated", *res.RuleID, fp)
		}
		fingerprints[fp] = true
		if len(res.Suppressions) > 0 {
			got.Suppressed++
			s := res.Suppressions[0]
			if *s.Kind != "external" || *s.Status != "accepted" || !strings.Contains(*s.Justification, "INFRA-101") {
				t.Errorf("suppression %+v", s)
			}
			if uri, line := *res.Locations[0].PhysicalLocation.ArtifactLocation.URI, *res.Locations[0].PhysicalLocation.Region.StartLine; uri != "kube-bench-exceptions.yaml" || line != 2 {
				t.Errorf("accepted result at %s:%d, want the exception's line kube-bench-exceptions.yaml:2", uri, line)
			}
		} else {
			got.Open++
		}
		switch res.Level {
		case gosarif.LevelError:
			got.Error++
		case gosarif.LevelWarning:
			got.Warning++
		case gosarif.LevelNote:
			got.Note++
		}
		if res.BaselineState != nil {
			switch *res.BaselineState {
			case "new":
				got.New++
			case "unchanged":
				got.Unchanged++
			}
		}
	}
	newScored := 0
	for _, f := range v.NewFindings() {
		if f.Check.Scored && f.Kind == verdict.KindFail {
			newScored++
		}
	}
	c := v.Counts
	want := tally{Open: c.Fail, Suppressed: c.Accepted, Error: newScored, Warning: c.Fail - newScored, Note: c.Accepted, New: c.New, Unchanged: c.Persisting}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want from the verdict +sarif):\n%s", diff)
	}
	t.Logf("sarif results: %+v, rules: %d", got, len(rules))

	// Default location: the exceptions file; line 1, or the exception's
	// line where an expired exception leaves the FAIL open.
	for _, res := range run.Results {
		uri := *res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		line := *res.Locations[0].PhysicalLocation.Region.StartLine
		if uri != "kube-bench-exceptions.yaml" {
			t.Errorf("%s at %s", *res.RuleID, uri)
		}
		if strings.HasSuffix(*res.RuleID, "/4.2.1") && line != 8 {
			t.Errorf("%s (expired exception) at line %d, want 8", *res.RuleID, line)
		}
	}
}

func TestSARIFOptions(t *testing.T) {
	t.Parallel()
	v := testfleet.FormatVerdict(t)
	bare := verdict.Evaluate(v.Report, verdict.Config{})
	uris := func(rep *gosarif.Report) map[string]int {
		out := map[string]int{}
		for _, res := range rep.Runs[0].Results {
			out[*res.Locations[0].PhysicalLocation.ArtifactLocation.URI]++
		}
		return out
	}
	tests := []struct {
		name     string
		v        *verdict.Verdict
		opts     sarif.Options
		uris     map[string]int
		category string
	}{
		{"exceptions file by default", v, sarif.Options{}, map[string]int{"kube-bench-exceptions.yaml": 28}, "bench-action/prod/"},
		{"given location; exceptions keep theirs", v, sarif.Options{LocationURI: `clusters\prod\kube-bench.yaml`, Category: "cis/prod"},
			map[string]int{"clusters/prod/kube-bench.yaml": 25, "kube-bench-exceptions.yaml": 3}, "cis/prod"},
		{"accepted omitted", v, sarif.Options{OmitAccepted: true}, map[string]int{"kube-bench-exceptions.yaml": 27}, "bench-action/prod/"},
		{"no exceptions file", bare, sarif.Options{}, map[string]int{sarif.DefaultLocation: 28}, "bench-action/prod/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := validateSARIF(t, writeSARIF(t, tt.v, tt.opts))
			if diff := cmp.Diff(tt.uris, uris(rep)); diff != "" {
				t.Errorf("locations (-want +got):\n%s", diff)
			}
			if got := *rep.Runs[0].AutomationDetails.ID; got != tt.category {
				t.Errorf("category %q, want %q", got, tt.category)
			}
			if rep.Runs[0].Tool.Driver.Version != nil {
				t.Errorf("version %q without ToolVersion", *rep.Runs[0].Tool.Driver.Version)
			}
		})
	}
}

func TestSARIFFingerprint(t *testing.T) {
	t.Parallel()
	k := benchresult.Key{Cluster: "prod", Node: "cp-1", Benchmark: "cis-1.10", Target: benchresult.TargetMaster, ID: "1.2.11"}
	sum := sha256.Sum256([]byte("prod\x00cp-1\x00cis-1.10\x00master\x001.2.11\x00"))
	if got, want := sarif.Fingerprint(k), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("SARIFFingerprint = %s, want %s", got, want)
	}
	// Parts that concatenate alike are different identities.
	a := benchresult.Key{Cluster: "a", Node: "bc", Benchmark: "cis-1.10", Target: "node", ID: "4.1.1"}
	b := benchresult.Key{Cluster: "ab", Node: "c", Benchmark: "cis-1.10", Target: "node", ID: "4.1.1"}
	if sarif.Fingerprint(a) == sarif.Fingerprint(b) {
		t.Errorf("%v and %v share a fingerprint", a, b)
	}

	// The same check in two runs has the same rule id and fingerprint, even
	// when other checks come and go.
	byKey := func(v *verdict.Verdict) map[string]string {
		out := map[string]string{}
		rep := sarif.New(v, sarif.Options{})
		for _, res := range rep.Runs[0].Results {
			var p map[string]any = res.Properties.Properties
			out[p["node"].(string)+" "+*res.RuleID] = res.PartialFingerprints[sarif.FingerprintKey]
		}
		return out
	}
	now := byKey(testfleet.FormatVerdict(t))
	before := byKey(verdict.Evaluate(testfleet.FormatReport(t, testfleet.FormatBaseline), verdict.Config{}))
	common := 0
	for k, fp := range before {
		if now[k] != "" {
			common++
			if now[k] != fp {
				t.Errorf("%s: fingerprint %s, was %s", k, now[k], fp)
			}
		}
	}
	if common != 27 {
		t.Errorf("%d findings in both runs, want 27 (12 FAILs, 15 failed Manual checks)", common)
	}
	if got := sarif.RuleID(&benchresult.Control{Benchmark: "cis-1.10", Target: "master", ID: "1.2.16"}); got != "cis-1.10/master/1.2.16" {
		t.Errorf("SARIFRuleID = %q", got)
	}
}

// TestSARIFEscaping: rule help in Markdown is escaped (no raw HTML, links or
// mentions from result text), plain text fields keep the text as it is.
func TestSARIFEscaping(t *testing.T) {
	t.Parallel()
	ctl := &benchresult.Control{Benchmark: "cis-1.10", Target: benchresult.TargetMaster, Section: "1.2", SectionText: "API <b>Server</b>", ID: "1.2.1",
		Text: "Ensure <img src=x> [link](https://evil) @team #12", Remediation: "Run:\n```\nrm -rf /\n```\n<script>", Scored: true}
	r := &benchresult.Report{Cluster: "c", Checks: []benchresult.Check{{Control: ctl, Cluster: "c", Node: "n\x00", Status: benchresult.Fail}}}
	data := writeSARIF(t, verdict.Evaluate(r, verdict.Config{}), sarif.Options{})
	rep := validateSARIF(t, data)
	rule := rep.Runs[0].Tool.Driver.Rules[0]
	if *rule.ShortDescription.Text != ctl.Text {
		t.Errorf("short description %q, want the text as it is", *rule.ShortDescription.Text)
	}
	md := *rule.Help.Markdown
	prose, _, _ := strings.Cut(md, "````")
	for _, bad := range []string{"<img", "<b>", "[link]", "@team", "#12"} {
		if strings.Contains(prose, bad) {
			t.Errorf("help markdown holds %q outside the code block:\n%s", bad, md)
		}
	}
	if !strings.Contains(md, "````text\nRun:\n```\nrm -rf /\n```\n<script>\n````") {
		t.Errorf("remediation is not one literal code block:\n%s", md)
	}
}

func TestSARIFPathURI(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"relative", "kube-bench-exceptions.yaml", "kube-bench-exceptions.yaml"},
		{"nested", "clusters/prod/exceptions.yaml", "clusters/prod/exceptions.yaml"},
		{"backslashes", `clusters\prod\exceptions.yaml`, "clusters/prod/exceptions.yaml"},
		{"space and percent", "my dir/100%.yaml", "my%20dir/100%25.yaml"},
		{"absolute", "/home/runner/work/repo/exceptions.yaml", "/home/runner/work/repo/exceptions.yaml"},
		{"windows drive", `C:\repo\exceptions.yaml`, "file:///C:/repo/exceptions.yaml"},
		{"file uri kept", "file:///repo/exceptions.yaml", "file:///repo/exceptions.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := sarif.PathURIForTest(tt.in); got != tt.want {
				t.Errorf("SARIFPathURI(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
