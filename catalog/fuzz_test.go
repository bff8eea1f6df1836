package catalog

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

// FuzzResolve: any description, any benchmark: no panic, at most five
// matches, best first.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"--profilling", "--authorization-mode includes RBAC", "{.readOnlyPort}", "$kubeletconf ownership",
		"admin.conf", "/etc/kubernetes/pki/*.key", "--", "{.", "$", "a.conf", "ÄÖÜ --ß=1",
	} {
		f.Add("cis-1.10", s)
	}
	f.Add("eks-stig-kubernetes-v1r6", "anonymous")
	f.Fuzz(func(t *testing.T, benchmark, desc string) {
		ms := Resolve(benchmark, desc)
		if len(ms) > 5 {
			t.Fatalf("%d matches", len(ms))
		}
		for i := 1; i < len(ms); i++ {
			if ms[i].Score > ms[i-1].Score {
				t.Fatalf("not best first: %v", ms)
			}
		}
	})
}

// FuzzDecode: damaged catalog data is an error, never a panic.
func FuzzDecode(f *testing.F) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		f.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw[:200])
	f.Add(raw[:len(raw)/3])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(raw)
		zw.Close()
		st, err := decode(buf.Bytes())
		if err == nil && st == nil {
			t.Fatal("no store and no error")
		}
		if err == nil { // each benchmark's checks decode on its first use
			for _, b := range st.benches {
				st.decodeChecks(b)
				if !b.bodyOK && b.err == nil {
					t.Fatalf("benchmark %s: not decoded and no error", b.id)
				}
			}
		}
	})
}
