package baseline_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/baseline"
)

// FuzzParse: Parse never panics, its errors name the source, and what it
// accepts survives WriteTo and Parse unchanged (and WriteTo is then stable).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "0", "12\n", "-1", "+3", " 7 \r\n", "99999999999999999999", "1e3",
		`{"version":1,"checks":[]}`,
		"{\"version\":1,\"checks\":[\n{\"target\":\"node\",\"id\":\"4.1.1\",\"status\":\"FAIL\",\"text\":\"a \\u003c b\"}\n]}",
		`{"version":1,"checks":[{"target":"node","id":"4.1.1","status":"FAIL"},{"target":"node","id":"4.1.1","status":"PASS"}]}`,
		`{"version":1,"checks":[{"target":"node","id":"4.1.1","status":"FAIL","x":1}]}`,
		`{"version":1,"checks":[{"target":"node","id":"\ud800","status":"WARN","text":"\u2028"}]}`,
		`{"version":2,"checks":[]}`, `{"checks":{}}`, `{"version":1,"checks":[` + "\xff" + `]}`,
	} {
		f.Add([]byte(s))
	}
	for _, name := range []string{"v0.14.1-cis-1.10-mixed-node.json", "v0.14.1-eks-1.7.0-mixed.json"} {
		f.Add(write(f, baseline.FromChecks(load(f, name))))
	}
	const source = "fuzz/baseline.json"
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := baseline.Parse(data, source, baseline.ParseOptions{})
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "read "+source+": ") {
					t.Fatalf("problem does not name the source: %q", line)
				}
			}
			return
		}
		var out bytes.Buffer
		if _, err := b.WriteTo(&out); err != nil {
			t.Fatalf("WriteTo of a parsed baseline: %v", err)
		}
		back, err := baseline.Parse(out.Bytes(), source, baseline.ParseOptions{})
		if err != nil {
			t.Fatalf("Parse(WriteTo(b)): %v\n%s", err, out.Bytes())
		}
		if diff := cmp.Diff(b, back, cmp.Comparer(entriesEqual)); diff != "" {
			t.Fatalf("round trip changed the baseline (-first +second):\n%s", diff)
		}
		var again bytes.Buffer
		if _, err := back.WriteTo(&again); err != nil || !bytes.Equal(out.Bytes(), again.Bytes()) {
			t.Fatalf("WriteTo not stable: %v\n%s\n%s", err, out.Bytes(), again.Bytes())
		}
	})
}
