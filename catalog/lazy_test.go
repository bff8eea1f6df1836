package catalog

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFirstUseConcurrent decodes every benchmark's checks at once, from
// as many goroutines (they share the store's release lists), and holds
// the result to a store that decodes them one after the other.
func TestFirstUseConcurrent(t *testing.T) {
	t.Parallel()
	seq, par := newStore(data), newStore(data)
	if err := seq.loadError(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, b := range par.benches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			par.prepared(b.id)
		}()
	}
	wg.Wait()
	for _, b := range seq.benches {
		p, ok := par.prepared(b.id)
		if !ok {
			t.Fatalf("%s: not decoded: %v", b.id, p.err)
		}
		var want, got []Control
		for i := range b.defs {
			want = append(want, b.control(i))
		}
		for i := range p.defs {
			got = append(got, p.control(i))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-one after the other +at once):\n%s", b.id, diff)
		}
		if diff := cmp.Diff(b.current, p.current); diff != "" {
			t.Errorf("%s: latest definitions (-one after the other +at once):\n%s", b.id, diff)
		}
	}
}

// TestFirstUseDecodesOne: a look-up of one benchmark decodes that one's
// checks, not the others'.
func TestFirstUseDecodesOne(t *testing.T) {
	t.Parallel()
	st := newStore(data)
	if _, ok := st.prepared("cis-1.10"); !ok {
		t.Fatal("cis-1.10 unknown")
	}
	for _, b := range st.benches {
		if decoded := b.defs != nil; decoded != (b.id == "cis-1.10") {
			t.Errorf("%s: decoded %v after a look-up of cis-1.10", b.id, decoded)
		}
	}
}
