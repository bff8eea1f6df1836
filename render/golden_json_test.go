package render_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/google/go-cmp/cmp"
)

// The JSON goldens show what each document adds, not 273 checks twice:
// report.json keeps one check of each target, status and shape, gate.json
// only the checks the gate marks (FAILs, with state, owner, exception, new).
// What they leave out is asserted here in code instead.

// gateOnlyKeys are the keys gate --format json adds to a check of
// report --format json.
var gateOnlyKeys = []string{"state", "owner", "exception", "new", "kind", "risk"}

// jsonDoc is a JSON object's members in the order the writer wrote them.
type jsonDoc struct {
	keys []string
	vals map[string]json.RawMessage
}

func parseDoc(t *testing.T, data []byte) jsonDoc {
	t.Helper()
	d := jsonDoc{vals: map[string]json.RawMessage{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %v %v", tok, err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		k := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		d.keys = append(d.keys, k)
		d.vals[k] = raw
	}
	return d
}

// bytes writes the document as the writer does (two-space indent, final
// newline).
func (d jsonDoc) bytes(t *testing.T) []byte {
	t.Helper()
	var compact bytes.Buffer
	compact.WriteByte('{')
	for i, k := range d.keys {
		if i > 0 {
			compact.WriteByte(',')
		}
		name, _ := json.Marshal(k)
		compact.Write(name)
		compact.WriteByte(':')
		compact.Write(d.vals[k])
	}
	compact.WriteByte('}')
	var out bytes.Buffer
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// withChecks is d with its "checks" array replaced by the ones keep keeps.
func (d jsonDoc) withChecks(t *testing.T, keep func(i int, c map[string]any) bool) []byte {
	t.Helper()
	var raws []json.RawMessage
	if err := json.Unmarshal(d.vals["checks"], &raws); err != nil {
		t.Fatal(err)
	}
	kept := []json.RawMessage{}
	for i, raw := range raws {
		var c map[string]any
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		if keep(i, c) {
			kept = append(kept, raw)
		}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		t.Fatal(err)
	}
	out := jsonDoc{keys: d.keys, vals: map[string]json.RawMessage{}}
	for k, v := range d.vals {
		out.vals[k] = v
	}
	out.vals["checks"] = b
	return out.bytes(t)
}

func decodeChecks(t *testing.T, d jsonDoc) []map[string]any {
	t.Helper()
	var cs []map[string]any
	if err := json.Unmarshal(d.vals["checks"], &cs); err != nil {
		t.Fatal(err)
	}
	return cs
}

// reportJSONGolden is report.json with one check of each target, status
// and set of keys; it asserts that the checks left out are the report's
// checks, in its order.
func reportJSONGolden(t *testing.T, full []byte, r *benchresult.Report) []byte {
	t.Helper()
	d := parseDoc(t, full)
	if got := d.bytes(t); !bytes.Equal(got, full) {
		t.Fatalf("report.json: rebuilding the document does not give the writer's bytes:\n%s", cmp.Diff(string(full), string(got)))
	}
	cs := decodeChecks(t, d)
	if len(cs) != len(r.Checks) {
		t.Fatalf("report.json has %d checks, the report %d", len(cs), len(r.Checks))
	}
	for i, c := range cs {
		m := &r.Checks[i]
		want := map[string]any{"id": m.ID, "node": m.Node, "target": fmt.Sprint(m.Target), "status": fmt.Sprint(m.Status), "benchmark": m.Benchmark}
		got := map[string]any{"id": c["id"], "node": c["node"], "target": c["target"], "status": c["status"], "benchmark": c["benchmark"]}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("report.json check %d (-report +json):\n%s", i, diff)
		}
	}
	seen := map[string]bool{}
	return d.withChecks(t, func(_ int, c map[string]any) bool {
		shape := fmt.Sprint(c["target"], c["status"], len(c))
		if seen[shape] {
			return false
		}
		seen[shape] = true
		return true
	})
}

// gateJSONGolden is gate.json with only the checks the gate marks; it
// asserts that every check is report.json's check plus the gate's keys.
func gateJSONGolden(t *testing.T, full, report []byte) []byte {
	t.Helper()
	d := parseDoc(t, full)
	if got := d.bytes(t); !bytes.Equal(got, full) {
		t.Fatalf("gate.json: rebuilding the document does not give the writer's bytes:\n%s", cmp.Diff(string(full), string(got)))
	}
	gate, rep := decodeChecks(t, d), decodeChecks(t, parseDoc(t, report))
	marked := 0
	stripped := make([]map[string]any, len(gate))
	for i, c := range gate {
		stripped[i] = map[string]any{}
		for k, v := range c {
			stripped[i][k] = v
		}
		if _, ok := c["state"]; ok {
			marked++
		}
		for _, k := range gateOnlyKeys {
			delete(stripped[i], k)
		}
	}
	if diff := cmp.Diff(rep, stripped); diff != "" {
		t.Errorf("gate.json checks without %v differ from report.json's (-report +gate):\n%s", gateOnlyKeys, diff)
	}
	if marked == 0 {
		t.Fatal("gate.json marks no check")
	}
	return d.withChecks(t, func(_ int, c map[string]any) bool { _, ok := c["state"]; return ok })
}
