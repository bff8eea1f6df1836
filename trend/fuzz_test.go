package trend_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/trend"
)

// FuzzReadHistory: no panic; every error is an InputError naming the
// source; what was read writes back as JSON Lines and reads the same.
func FuzzReadHistory(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("{\"v\":1,\"time\":\"2026-03-01T06:00:00Z\",\"cluster\":\"a\",\"totals\":{\"pass\":1,\"fail\":2,\"warn\":3,\"info\":0},\"failing\":{\"n\":[\"1.2.1\"]},\"text\":{\"1.2.1\":\"x\"}}\n{\"v\":1,\"ti"))
	f.Add([]byte("{\"v\":1,\"time\":\"2026-03-01T06:00:00Z\",\"cluster\":\"a\",\"totals\":{\"pass\":1,\"fail\":2,\"warn\":3,\"info\":0},\"gate\":{\"open\":1,\"new\":0,\"fixed\":0,\"accepted\":1},\"sections\":{\"1\":{\"pass\":1,\"fail\":2,\"warn\":3,\"info\":0}}}\r\n"))
	f.Add([]byte("[{\"totals\":{\"pass\":1},\"failures\":[{\"id\":\"1.1\"}],\"date\":\"2026-01-01T00:00:00.5\"}]"))
	seed, err := os.ReadFile("testdata/seed-history.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	var buf bytes.Buffer
	for _, r := range fleetHistory(f).Records[:3] {
		line, _ := trend.MarshalLine(r)
		buf.Write(line)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := trend.ReadHistory(bytes.NewReader(data), "fuzz.jsonl")
		if err != nil {
			var ie *benchresult.InputError
			if !errors.As(err, &ie) || ie.Source != "fuzz.jsonl" || !strings.Contains(err.Error(), "fuzz.jsonl") {
				t.Fatalf("error does not name the source: %v", err)
			}
			return
		}
		for _, r := range h.Records {
			if r.Totals.Fail < 0 || r.Totals.Pass < 0 || r.Totals.Warn < 0 || r.Totals.Info < 0 {
				t.Fatalf("negative totals: %+v", r.Totals)
			}
		}
		var out bytes.Buffer
		if err := trend.WriteJSONLines(&out, h.Records); err != nil {
			t.Fatalf("write back: %v", err)
		}
		back, err := trend.ReadHistory(&out, "back")
		if err != nil {
			t.Fatalf("read back: %v\n%s", err, out.Bytes())
		}
		if len(back.Warnings) != 0 {
			t.Fatalf("read back warns: %q", back.Warnings)
		}
		if diff := cmp.Diff(h.Records, back.Records); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
