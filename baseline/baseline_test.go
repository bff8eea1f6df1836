package baseline_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
)

func write(t testing.TB, b *baseline.Baseline) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := b.WriteTo(&buf)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("WriteTo returned %d, wrote %d bytes", n, buf.Len())
	}
	return buf.Bytes()
}

func TestWriteToFormat(t *testing.T) {
	t.Parallel()
	checks := []benchresult.Check{
		check("prod", "w-1", "cis-1.10", benchresult.TargetNode, "4.2.10", benchresult.Pass, "Ensure that the --tls-cert-file <a> & b"),
		check("prod", "cp-1", "cis-1.10", benchresult.TargetMaster, "1.1.1", benchresult.Fail, "Ensure that the \"API server\" pod specification file permissions are set to 600 or more restrictive (Automated)"),
		check("prod", "w-1", "cis-1.10", benchresult.TargetNode, "4.2.9", benchresult.Warn, "Line\nbreak"),
		check("prod", "cp-1", "cis-1.10", benchresult.TargetPolicies, "5.1.1", benchresult.Warn, "Ensure that the cluster-admin role is only used where required (Manual)"),
		check("prod", "cp-1", "cis-1.10", benchresult.TargetEtcd, "2.1", benchresult.Fail, "Ensure that the --cert-file and --key-file arguments are set as appropriate (Automated)"),
	}
	na := check("prod", "cp-1", "eks-1.5.0", benchresult.TargetMaster, "1.2.1", benchresult.Fail, "Provider owned")
	na.NotApplicable = "managed by EKS"
	checks = append(checks, na)

	got := string(write(t, baseline.FromChecks(checks)))
	want := `{"version":1,"checks":[
{"cluster":"prod","node":"","benchmark":"cis-1.10","target":"policies","id":"5.1.1","status":"WARN","text":"Ensure that the cluster-admin role is only used where required (Manual)"},
{"cluster":"prod","node":"cp-1","benchmark":"cis-1.10","target":"master","id":"1.1.1","status":"FAIL","text":"Ensure that the \"API server\" pod specification file permissions are set to 600 or more restrictive (Automated)"},
{"cluster":"prod","node":"cp-1","benchmark":"cis-1.10","target":"etcd","id":"2.1","status":"FAIL","text":"Ensure that the --cert-file and --key-file arguments are set as appropriate (Automated)"},
{"cluster":"prod","node":"cp-1","benchmark":"eks-1.5.0","target":"master","id":"1.2.1","status":"NOT APPLICABLE","text":"Provider owned"},
{"cluster":"prod","node":"w-1","benchmark":"cis-1.10","target":"node","id":"4.2.9","status":"WARN","text":"Line\nbreak"},
{"cluster":"prod","node":"w-1","benchmark":"cis-1.10","target":"node","id":"4.2.10","status":"PASS","text":"Ensure that the --tls-cert-file <a> & b"}
]}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WriteTo mismatch (-want +got):\n%s", diff)
	}
	var v any
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Errorf("not valid JSON: %v", err)
	}
}

func TestWriteToEmptyAndLegacy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		b    *baseline.Baseline
		want string
	}{
		{"empty", baseline.FromChecks(nil), "{\"version\":1,\"checks\":[\n]}\n"},
		{"legacy", &baseline.Baseline{Legacy: true, FailCount: 12}, "12\n"},
		{"legacy zero", &baseline.Baseline{Legacy: true}, "0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := string(write(t, tt.b))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			back, err := baseline.Parse([]byte(got), "b.json", baseline.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.b, back, cmp.Comparer(entriesEqual)); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// entriesEqual treats nil and empty entry lists alike.
func entriesEqual(a, b []baseline.Entry) bool {
	return len(a) == len(b) && (len(a) == 0 || slices.Equal(a, b))
}

func TestWriteToRefuses(t *testing.T) {
	t.Parallel()
	k := benchresult.Key{Cluster: "c", Node: "n", Benchmark: "cis-1.10", Target: "node", ID: "4.1.1"}
	tests := []struct {
		name string
		b    *baseline.Baseline
		want string
	}{
		{"negative legacy", &baseline.Baseline{Legacy: true, FailCount: -1}, "negative FAIL count"},
		{"invalid status", &baseline.Baseline{Entries: []baseline.Entry{{Key: k}}}, "invalid status"},
		{"duplicate", &baseline.Baseline{Entries: []baseline.Entry{{Key: k, Status: benchresult.Pass}, {Key: k, Status: benchresult.Fail}}}, "appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.b.WriteTo(&bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("WriteTo error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

// TestDeterminism writes baselines of real results many times, from
// shuffled input, and wants the same bytes every time, one check per line.
func TestDeterminism(t *testing.T) {
	t.Parallel()
	for _, name := range []string{
		"v0.14.1-cis-1.10-insecure.json",
		"v0.14.1-cis-1.10-mixed.json",
		"v0.14.1-cis-1.8-insecure.json",
		"v0.14.1-eks-1.7.0-mixed.json",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checks := load(t, name)
			want := write(t, baseline.FromChecks(checks))
			if lines := bytes.Count(want, []byte{'\n'}); lines != len(checks)+2 {
				t.Errorf("%d lines for %d checks, want one per check plus two", lines, len(checks))
			}
			rng := rand.New(rand.NewPCG(1, 2))
			for range 20 {
				shuffled := slices.Clone(checks)
				rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				if got := write(t, baseline.FromChecks(shuffled)); !bytes.Equal(got, want) {
					t.Fatalf("output differs for shuffled input:\n%s", cmp.Diff(string(want), string(got)))
				}
			}
			back, err := baseline.Parse(want, name, baseline.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := write(t, back); !bytes.Equal(got, want) {
				t.Errorf("Parse then WriteTo changed the bytes:\n%s", cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// TestWriteToSortsEntries: a Baseline built by hand, unsorted, is written
// sorted, and the Baseline itself is left alone.
func TestWriteToSortsEntries(t *testing.T) {
	t.Parallel()
	e := func(id string) baseline.Entry {
		return baseline.Entry{Key: benchresult.Key{Benchmark: "cis-1.10", Target: "master", ID: id}, Status: benchresult.Pass}
	}
	b := &baseline.Baseline{Entries: []baseline.Entry{e("1.2.10"), e("1.2.9"), e("1.10")}}
	before := slices.Clone(b.Entries)
	got := string(write(t, b))
	if i, j, k := strings.Index(got, `"1.2.9"`), strings.Index(got, `"1.2.10"`), strings.Index(got, `"1.10"`); !(i < j && j < k) {
		t.Errorf("not sorted numerically:\n%s", got)
	}
	if diff := cmp.Diff(before, b.Entries); diff != "" {
		t.Errorf("WriteTo modified the baseline:\n%s", diff)
	}
}

func TestFromChecksLaterWins(t *testing.T) {
	t.Parallel()
	b := baseline.FromChecks([]benchresult.Check{
		check("c", "n", "cis-1.10", "node", "4.1.1", benchresult.Fail, "x"),
		{Cluster: "c"}, // no control: skipped
		check("c", "n", "cis-1.10", "node", "4.1.1", benchresult.Pass, "x"),
	})
	want := []baseline.Entry{{Key: benchresult.Key{Cluster: "c", Node: "n", Benchmark: "cis-1.10", Target: "node", ID: "4.1.1"}, Status: benchresult.Pass, Text: "x"}}
	if diff := cmp.Diff(want, b.Entries); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
