package catalog

import "testing"

// BenchmarkFirstLookup is the cost of the first call into the package:
// decompress the embedded data and decode its index, decode the checks of
// the benchmark asked for and derive their identities, look one check up.
func BenchmarkFirstLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		st := newStore(data)
		bm, _ := st.prepared("cis-1.10")
		if _, ok := bm.latest("master", "1.2.1"); !ok {
			b.Fatal("cis-1.10 1.2.1 not found")
		}
	}
}

// BenchmarkAllIdentities derives the identities of every benchmark (what
// a fleet of every benchmark, or the census, costs once).
func BenchmarkAllIdentities(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		st := newStore(data)
		for _, bm := range st.benches {
			st.prepared(bm.id)
		}
	}
}

// BenchmarkLookup is a lookup once the catalog is loaded.
func BenchmarkLookup(b *testing.B) {
	Lookup("cis-1.10", "master", "1.2.1")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Lookup("cis-1.10", "master", "1.2.1"); !ok {
			b.Fatal("not found")
		}
	}
}

// BenchmarkFind follows a control into another benchmark version.
func BenchmarkFind(b *testing.B) {
	old, _ := Lookup("cis-1.8", "master", "1.2.16")
	b.ReportAllocs()
	for b.Loop() {
		if len(Find("cis-1.10", old.Identity)) != 1 {
			b.Fatal("not found")
		}
	}
}

// BenchmarkResolve resolves an exception's description (index built).
func BenchmarkResolve(b *testing.B) {
	Resolve("cis-1.10", "")
	b.ReportAllocs()
	for b.Loop() {
		if len(Resolve("cis-1.10", "Ensure that the --profilling argument is set to false")) == 0 {
			b.Fatal("no match")
		}
	}
}
