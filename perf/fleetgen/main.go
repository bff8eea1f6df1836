// Command fleetgen writes a fleet of kube-bench JSON outputs, one file per
// node, derived from real kube-bench output, for benchmarking bench-action
// at fleet scale.
//
//	go run ./perf/fleetgen -n 1000 -out /tmp/fleet-1000
//
// Most nodes are workers (the cis-1.10 "mixed" worker output, every tenth
// one the "insecure" worker output); one node in -cp-every is a control-plane
// node (the full cis-1.10 "mixed" output). Each node flips one to -max-flips
// of its PASS and FAIL checks (node-scoped targets only), chosen from -seed
// and the node's number, so the fleet drifts and every run of the same
// flags writes the same bytes. kube-bench's counts (per group, per target
// and Totals) are recomputed to agree with the statuses; every other field,
// and the order of every key, is kept as kube-bench wrote it.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "fleetgen:", err)
		os.Exit(2)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("fleetgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1000, "number of nodes")
	out := fs.String("out", "", "directory to write the node files to (created)")
	seed := fs.Uint64("seed", 1, "seed of the per-node status flips")
	cpEvery := fs.Int("cp-every", 20, "one node in this many is a control-plane node")
	maxFlips := fs.Int("max-flips", 3, "each node flips 1 to this many PASS/FAIL checks")
	fixtures := fs.String("fixtures", "", "directory of the real kube-bench outputs (default: benchresult/testdata/kube-bench in the module root)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *n <= 0 || *cpEvery <= 0 || *maxFlips < 0 {
		return errors.New("usage: fleetgen -n N -out DIR [-seed S] [-cp-every K] [-max-flips F]")
	}
	dir := *fixtures
	if dir == "" {
		dir = defaultFixtures()
	}
	templates := map[string]*tree{}
	for _, name := range []string{"v0.14.1-cis-1.10-mixed.json", "v0.14.1-cis-1.10-mixed-node.json", "v0.14.1-cis-1.10-insecure-node.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("read template: %w", err)
		}
		t, err := decodeTree(b)
		if err != nil {
			return fmt.Errorf("parse template %s: %w", name, err)
		}
		templates[name] = t
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	for i := 0; i < *n; i++ {
		name, tmpl := fmt.Sprintf("worker-%05d", i), "v0.14.1-cis-1.10-mixed-node.json"
		switch {
		case i%*cpEvery == 0:
			name, tmpl = fmt.Sprintf("control-plane-%05d", i), "v0.14.1-cis-1.10-mixed.json"
		case i%10 == 5:
			tmpl = "v0.14.1-cis-1.10-insecure-node.json"
		}
		rng := rand.New(rand.NewPCG(*seed, uint64(i)))
		buf.Reset()
		if err := node(&buf, templates[tmpl], rng, *maxFlips); err != nil {
			return fmt.Errorf("node %s: %w", name, err)
		}
		buf.WriteByte('\n')
		if err := os.WriteFile(filepath.Join(*out, name+".json"), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// defaultFixtures finds benchresult/testdata/kube-bench in the module root.
func defaultFixtures() string {
	for dir, _ := os.Getwd(); ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "benchresult", "testdata", "kube-bench")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join("benchresult", "testdata", "kube-bench")
		}
		dir = parent
	}
}

// tree is a kube-bench document decoded down to its checks, once per template.
type tree struct {
	doc      object
	controls []object
	groups   [][]object
	results  [][][]object
	cands    []ref // PASS or FAIL checks of node-scoped targets
}

type ref struct{ c, g, r int }

func decodeTree(b []byte) (*tree, error) {
	t := &tree{}
	if err := json.Unmarshal(b, &t.doc); err != nil {
		return nil, err
	}
	var err error
	if t.controls, err = t.doc.objects("Controls"); err != nil {
		return nil, err
	}
	for ci, c := range t.controls {
		groups, err := c.objects("tests")
		if err != nil {
			return nil, err
		}
		t.groups = append(t.groups, groups)
		t.results = append(t.results, make([][]object, len(groups)))
		for gi, g := range groups {
			results, err := g.objects("results")
			if err != nil {
				return nil, err
			}
			t.results[ci][gi] = results
			if nt := c.str("node_type"); nt == "policies" || nt == "managedservices" {
				continue
			}
			for ri, r := range results {
				if s := r.str("status"); s == "PASS" || s == "FAIL" {
					t.cands = append(t.cands, ref{ci, gi, ri})
				}
			}
		}
	}
	return t, nil
}

// node writes one node's output: the template with a few statuses flipped
// and every count recomputed.
func node(w *bytes.Buffer, tmpl *tree, rng *rand.Rand, maxFlips int) error {
	controls, cands := tmpl.controls, tmpl.cands
	flips := map[ref]bool{}
	if maxFlips > 0 && len(cands) > 0 {
		k := 1 + rng.IntN(maxFlips)
		for j := 0; j < k; j++ {
			flips[cands[rng.IntN(len(cands))]] = true
		}
	}
	var total counts
	outControls := make([]json.RawMessage, len(controls))
	for ci, c := range controls {
		groups := tmpl.groups[ci]
		var ctl counts
		outGroups := make([]json.RawMessage, len(groups))
		for gi, g := range groups {
			results := tmpl.results[ci][gi]
			var grp counts
			outResults := make([]json.RawMessage, len(results))
			for ri, r := range results {
				status := r.str("status")
				if flips[ref{ci, gi, ri}] {
					if status == "PASS" {
						status = "FAIL"
					} else {
						status = "PASS"
					}
					r = r.with("status", quote(status))
				}
				grp.add(status)
				outResults[ri] = r.marshal()
			}
			g = g.with("results", array(outResults))
			g = g.with("pass", num(grp.pass)).with("fail", num(grp.fail)).with("warn", num(grp.warn)).with("info", num(grp.info))
			ctl = ctl.plus(grp)
			outGroups[gi] = g.marshal()
		}
		c = c.with("tests", array(outGroups))
		c = c.with("total_pass", num(ctl.pass)).with("total_fail", num(ctl.fail)).with("total_warn", num(ctl.warn)).with("total_info", num(ctl.info))
		total = total.plus(ctl)
		outControls[ci] = c.marshal()
	}
	doc := tmpl.doc.with("Controls", array(outControls))
	if doc.has("Totals") {
		doc = doc.with("Totals", object{
			{"total_pass", num(total.pass)}, {"total_fail", num(total.fail)},
			{"total_warn", num(total.warn)}, {"total_info", num(total.info)},
		}.marshal())
	}
	w.Write(doc.marshal())
	return nil
}

type counts struct{ pass, fail, warn, info int }

func (c *counts) add(status string) {
	switch status {
	case "PASS":
		c.pass++
	case "FAIL":
		c.fail++
	case "WARN":
		c.warn++
	case "INFO":
		c.info++
	}
}

func (c counts) plus(d counts) counts {
	return counts{c.pass + d.pass, c.fail + d.fail, c.warn + d.warn, c.info + d.info}
}

// object is a JSON object that keeps the order of its keys.
type object []field

type field struct {
	Key string
	Val json.RawMessage
}

func (o *object) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("not a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		*o = append(*o, field{t.(string), v})
	}
	return nil
}

func (o object) marshal() json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(quote(f.Key))
		b.WriteByte(':')
		b.Write(f.Val)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func (o object) has(key string) bool {
	for _, f := range o {
		if f.Key == key {
			return true
		}
	}
	return false
}

// with returns a copy of o with key's value replaced (kept in place) or,
// if the key is absent, unchanged.
func (o object) with(key string, v json.RawMessage) object {
	out := make(object, len(o))
	copy(out, o)
	for i := range out {
		if out[i].Key == key {
			out[i].Val = v
		}
	}
	return out
}

func (o object) str(key string) string {
	for _, f := range o {
		if f.Key == key {
			var s string
			_ = json.Unmarshal(f.Val, &s)
			return s
		}
	}
	return ""
}

func (o object) objects(key string) ([]object, error) {
	for _, f := range o {
		if f.Key == key {
			var list []object
			if err := json.Unmarshal(f.Val, &list); err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
			return list, nil
		}
	}
	return nil, nil
}

func array(items []json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteByte(']')
	return b.Bytes()
}

func quote(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

func num(n int) json.RawMessage { return []byte(strconv.Itoa(n)) }
