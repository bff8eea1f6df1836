package benchresult

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The JSON fast path (scanJSON) must never change a result: where it takes
// an input, encoding/json (decodeJSON) must give the same NodeResult; where
// encoding/json fails, the scanner must give up. Every real kube-bench JSON
// output must take the fast path, or the benchmarks measure the slow one.

func TestScanJSONFixtures(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/kube-bench/*.json")
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata/kube-bench")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		start, format, err := detect(data, DefaultMaxLineBytes)
		if err != nil || format != FormatJSON {
			continue
		}
		body := data[start.offset:]
		if start.prefixed {
			body = stripPrefixes(body)
		}
		var fastSt, slowSt statements
		fast, ok := scanJSON(body, nil, &fastSt)
		if !ok {
			t.Errorf("%s: the fast path gave up on real kube-bench output", name)
			continue
		}
		slow, err := decodeJSON(body, start.line, name, &slowSt)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d := cmp.Diff(slow, fast); d != "" {
			t.Errorf("%s: fast path differs (-encoding/json +scanner):\n%s", name, d)
		}
		if d := cmp.Diff(slowSt.all(), fastSt.all(), cmpStatements); d != "" {
			t.Errorf("%s: fast path's statements of the totals differ (-encoding/json +scanner):\n%s", name, d)
		}
		if len(slowSt.targets) == 0 {
			t.Errorf("%s: no statement of its totals read", name)
		}
		interned, _ := scanJSON(body, newInterner(), nil)
		if d := cmp.Diff(slow, interned); d != "" {
			t.Errorf("%s: interned fast path differs (-encoding/json +scanner):\n%s", name, d)
		}
	}
}

var cmpStatements = cmp.Options{cmp.AllowUnexported(statement{}), cmpopts.EquateEmpty()}

// all is what st holds, for comparing.
func (st *statements) all() [2][]statement { return [2][]statement{st.targets, st.totals} }

// FuzzScanJSON compares the scanner with encoding/json on mutated inputs.
func FuzzScanJSON(f *testing.F) {
	for _, pattern := range []string{"testdata/kube-bench/*.json", "testdata/bad/*"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil && len(b) < 1<<20 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"Controls":[{"version":"cis-1.10","node_type":"node","tests":[{"section":"4.1","desc":"d","results":[{"test_number":"4.1.1","test_desc":"a\u003cb\n","status":"PASS","scored":true,"actual_value":null}]}]}],"Totals":{"total_pass":1}}`))
	f.Add([]byte(`[{"node_type":"node","tests":[null,{"results":[null,{"test_number":"1","status":"FAIL","reason":"x"}]}]}]`))
	f.Add([]byte(`{"node_type":"master","tests":[{"section":"1","results":[{"test_number":"1.1","status":"WARN"}]}]}{"node_type":"etcd","tests":[]}`))
	// Totals that disagree with the results, stated per target and overall.
	f.Add([]byte(`{"Controls":[{"node_type":"node","tests":[{"section":"4.1","results":[{"test_number":"4.1.1","status":"PASS"}]}],"total_pass":49,"total_fail":12,"total_warn":14,"total_info":0}],"Totals":{"total_pass":49,"total_fail":12,"total_warn":14,"total_info":0}}`))
	f.Add([]byte(`{"Totals":{"total_pass":1,"total_fail":null},"Controls":[{"node_type":"node","total_pass":1,"tests":[{"results":[{"test_number":"4.1.1","status":"PASS"}]}]}]}`))
	f.Add([]byte(`[{"node_type":"node","total_pass":-1,"total_info":1.5,"tests":null}]`))
	// A worker's interner has seen real nodes before: its memo of their
	// bytes meets the mutations of those bytes.
	var warm [][]byte
	for _, name := range []string{fixtureWorker, fixtureControlPlane} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		warm = append(warm, b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in := newInterner()
		for _, b := range warm {
			if _, ok := scanJSON(b, in, nil); !ok {
				t.Fatal("the fast path gave up on a fixture")
			}
		}
		var fastSt, slowSt statements
		fast, ok := scanJSON(body, in, &fastSt)
		slow, err := decodeJSON(body, 1, "fuzz", &slowSt)
		if !ok {
			return
		}
		if err != nil {
			t.Fatalf("the scanner took an input encoding/json rejects: %v", err)
		}
		if d := cmp.Diff(slow, fast); d != "" {
			t.Fatalf("fast path differs (-encoding/json +scanner):\n%s", d)
		}
		if d := cmp.Diff(slowSt.all(), fastSt.all(), cmpStatements); d != "" {
			t.Fatalf("fast path's statements of the totals differ (-encoding/json +scanner):\n%s", d)
		}
		// What is settled from them is the same, too.
		fastErr := fastSt.settle(fast, "fuzz", false, false)
		slowErr := slowSt.settle(slow, "fuzz", false, false)
		if d := cmp.Diff(fmt.Sprint(slowErr), fmt.Sprint(fastErr)); d != "" {
			t.Fatalf("settling the totals differs (-encoding/json +scanner):\n%s", d)
		}
	})
}

// TestSpecialAt holds the eight-bytes-at-a-time search to the byte loop.
func TestSpecialAt(t *testing.T) {
	t.Parallel()
	alphabet := []byte{'a', ' ', '"', '\\', 0x1f, 0x20, 0x7f, 0x80, 0xff, 0x00, 'z', 0x21, 0x5b, 0x5d}
	state := uint32(1)
	rnd := func(n int) int { state = state*1664525 + 1013904223; return int(state>>8) % n }
	for iter := 0; iter < 20000; iter++ {
		d := make([]byte, rnd(40))
		for i := range d {
			if rnd(4) == 0 {
				d[i] = alphabet[rnd(len(alphabet))]
			} else {
				d[i] = byte('a' + rnd(26))
			}
		}
		from := 0
		if len(d) > 0 {
			from = rnd(len(d))
		}
		for _, kept := range []bool{false, true} {
			table := &strSpecial
			if kept {
				table = &strKept
			}
			want := from
			for want < len(d) && !table[d[want]] {
				want++
			}
			if got := specialAt(d, from, kept); got != want {
				t.Fatalf("specialAt(%q, %d, %v) = %d, want %d", d, from, kept, got, want)
			}
		}
	}
}
