package baseline_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
)

func TestParseLegacy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"bare", "12", 12},
		{"newline", "12\n", 12},
		{"crlf and spaces", "  \r\n 7 \r\n\n", 7},
		{"zero", "0\n", 0},
		{"tabs", "\t41\t", 41},
		{"bom", "\xef\xbb\xbf3\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := baseline.Parse([]byte(tt.in), "fail-count.txt", baseline.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := &baseline.Baseline{Legacy: true, FailCount: tt.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	t.Parallel()
	in := "\xef\xbb\xbf" + `{"checks":[
{"target":"node","id":"4.2.10","status":"PASS"},
{"cluster":"c","node":"n","benchmark":"cis-1.10","target":"node","id":"4.2.9","status":"NOT APPLICABLE","text":"t"}
],"version":1}`
	got, err := baseline.Parse([]byte(in), "b.json", baseline.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &baseline.Baseline{Entries: []baseline.Entry{
		{Key: benchresult.Key{Target: "node", ID: "4.2.10"}, Status: benchresult.Pass},
		{Key: benchresult.Key{Cluster: "c", Node: "n", Benchmark: "cis-1.10", Target: "node", ID: "4.2.9"}, Status: benchresult.NotApplicable, Text: "t"},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestParseMalformed: every malformed file is an error naming the file and
// the line of the problem; several problems are listed together.
func TestParseMalformed(t *testing.T) {
	t.Parallel()
	const good = `{"cluster":"c","node":"n","benchmark":"cis-1.10","target":"node","id":"4.1.1","status":"FAIL","text":"x"}`
	tests := []struct {
		name string
		in   string
		want []string // each a substring of one problem, in order
	}{
		{"empty", "", []string{"line 1: empty baseline"}},
		{"whitespace only", " \n\n ", []string{"line 3: empty baseline"}},
		{"negative count", "\n-3\n", []string{"line 2: legacy baseline: negative FAIL count -3"}},
		{"count too large", "99999999999999999999999", []string{"line 1: legacy baseline: FAIL count \"99999999999999999999999\" is out of range"}},
		{"two numbers", "3\n4\n", []string{"line 1: not a baseline: \"3\\n4\" is neither"}},
		{"float count", "3.5", []string{"line 1: not a baseline"}},
		{"html", "<html><body>502 Bad Gateway</body></html>", []string{"line 1: not a baseline: want a JSON object"}},
		{"array", `[{"id":"1"}]`, []string{"line 1: not a baseline: want a JSON object"}},
		{"truncated", "{\"version\":1,\"checks\":[\n" + good + ",\n" + `{"target":"node",`, []string{"line 3: truncated JSON"}},
		{"syntax error", "{\"version\":1,\"checks\":[\n" + good + "\n" + good + "\n]}", []string{"line 3: invalid JSON"}},
		{"missing version and checks", "{\n}", []string{"line 1: missing field \"version\"", "line 1: missing field \"checks\""}},
		{"unsupported version", "{\n\"version\":2,\"checks\":[]}", []string{"line 2: unsupported baseline version 2"}},
		{"version string", `{"version":"1","checks":[]}`, []string{"line 1: field \"version\": want a number, got string"}},
		{"unknown top-level field", "{\"version\":1,\n\"chekcs\":[],\"checks\":[]}", []string{"line 2: unknown field \"chekcs\""}},
		{"checks not array", "{\"version\":1,\n\"checks\":{}}", []string{"line 2: field \"checks\": want an array, got object"}},
		{"checks null", "{\"version\":1,\n\"checks\":null}", []string{"line 2: field \"checks\": want an array, got null"}},
		{"checks twice", "{\"version\":1,\"checks\":[],\n\"checks\":[]}", []string{"line 2: field \"checks\" appears twice"}},
		{"trailing data", "{\"version\":1,\"checks\":[]}\n{}", []string{"line 2: data after the end"}},
		{
			"many problems, one run",
			"{\"version\":1,\"checks\":[\n" +
				good + ",\n" +
				`{"cluster":"c","node":"n","benchmark":"cis-1.10","target":"node","id":"4.1.2","status":"FAILED","text":"x"},` + "\n" +
				`{"cluster":"c","node":"n","benchmark":"cis-1.10","target":"node","id":"4.1.3","status":"PASS","colour":"red"},` + "\n" +
				`{"cluster":"c","node":"n","benchmark":"cis-1.10","target":"node","id":4.1,"status":"PASS"},` + "\n" +
				good + ",\n" +
				`{"cluster":"c","node":"n","benchmark":"cis-1.10","target":"node","status":"PASS"},` + "\n" +
				`{"cluster":"c","node":"n","benchmark":"cis-1.10","target":"node","id":"4.1.5","id":"4.1.6","status":"PASS"},` + "\n" +
				`"4.1.7",` + "\n" +
				`{"cluster":"c","node":"n","benchmark":"cis-1.10","target":"","id":"4.1.8","status":"PASS"},` + "\n" +
				`{"cluster":"c","node":"n","benchmark":"cis-1.10","target":"node","id":"4.1.9","status":null}` + "\n" +
				"]}\n",
			[]string{
				`line 3: check 4.1.2: unknown status "FAILED"`,
				`line 4: check: unknown field "colour"`,
				`line 5: check: field "id": want a string, got number`,
				`line 6: check c/n/cis-1.10/node/4.1.1 appears twice (first at line 2)`,
				`line 7: check: missing field "id"`,
				`line 8: check: field "id" appears twice`,
				`line 9: check: want an object, got string`,
				`line 10: check: field "target" is empty`,
				`line 11: check: field "status": want a string, got null`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := baseline.Parse([]byte(tt.in), "ci/baseline.json", baseline.ParseOptions{})
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", b)
			}
			problems := strings.Split(err.Error(), "\n")
			var got []string
			for _, p := range problems {
				if !strings.HasPrefix(p, "read ci/baseline.json: ") {
					t.Errorf("problem %q does not name the file", p)
				}
				got = append(got, strings.TrimPrefix(p, "read ci/baseline.json: "))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), err)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got[i], tt.want[i])
				}
			}
			var ie *benchresult.InputError
			if !errors.As(err, &ie) || ie.Source != "ci/baseline.json" {
				t.Errorf("error is not an *benchresult.InputError for the file: %#v", err)
			}
		})
	}
}

func TestParseTooManyProblems(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	sb.WriteString("{\"version\":1,\"checks\":[\n")
	for i := range 100 {
		if i > 0 {
			sb.WriteString(",\n")
		}
		sb.WriteString(`{"target":"node","id":"1","status":"BAD"}`)
	}
	sb.WriteString("\n]}")
	_, err := baseline.Parse([]byte(sb.String()), "b.json", baseline.ParseOptions{})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 21 || !strings.HasSuffix(lines[20], "more problems not shown") {
		t.Errorf("got %d problems, want 20 and a notice; last: %q", len(lines), lines[len(lines)-1])
	}
}

func TestParseSizeLimit(t *testing.T) {
	t.Parallel()
	data := []byte("{\"version\":1,\"checks\":[]}   ")
	if _, err := baseline.Parse(data, "b.json", baseline.ParseOptions{MaxBytes: 10}); !errors.Is(err, benchresult.ErrTooLarge) || !strings.Contains(err.Error(), "b.json") {
		t.Errorf("Parse over the limit: %v, want ErrTooLarge naming the file", err)
	}
	if _, err := baseline.Read(strings.NewReader(string(data)), "b.json", baseline.ParseOptions{MaxBytes: 10}); !errors.Is(err, benchresult.ErrTooLarge) {
		t.Errorf("Read over the limit: %v, want ErrTooLarge", err)
	}
	if _, err := baseline.Read(strings.NewReader(string(data)), "b.json", baseline.ParseOptions{}); err != nil {
		t.Errorf("Read under the default limit: %v", err)
	}
}
