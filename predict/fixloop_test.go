package predict

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
	"github.com/bench-action/bench-action/trace"
)

// fixLoopCase is what a single-change set of testdata/configs is written
// to show: the checks it newly fails against the hardened set, or, for a
// set that fails nothing new, the check whose two readings trace compares.
type fixLoopCase struct {
	fails []string // new failures, by id, on any node
	// adviceOnly are the failures trace gives no edit for (a value only
	// the operator knows, such as --audit-log-path's file): it says what
	// to set instead, and the loop cannot apply anything
	adviceOnly []string
	// without a new failure: the check traced, and whether trace must
	// note that kube-bench's verdict and the component's value disagree
	check        string
	disagreement bool
}

var fixLoopCases = map[string]fixLoopCase{
	"hardened-apiserver-anonymous-auth":      {fails: []string{"1.2.1"}}, // Manual in cis-1.10: a WARN
	"hardened-audit-log-removed":             {fails: []string{"1.2.16", "1.2.17", "1.2.18", "1.2.19"}, adviceOnly: []string{"1.2.16"}},
	"hardened-duplicate-profiling":           {check: "1.2.15", disagreement: true},
	"hardened-etcd-client-cert-auth-off":     {fails: []string{"2.2"}},
	"hardened-flag-in-args":                  {check: "1.2.15"},
	"hardened-kubelet-always-allow":          {fails: []string{"4.2.2"}},
	"hardened-kubelet-flag-overrides-config": {fails: []string{"4.2.1"}},
	"hardened-kubelet-read-only-port":        {fails: []string{"4.2.4"}}, // Manual in cis-1.10: a WARN
	"hardened-split-audit-log-maxage":        {fails: []string{"1.2.17"}},
}

// TestTracedLinesAreRight is the fix loop of issue 16 with the real
// kube-bench: for each single-change set (testdata/configs/hardened-*),
//
//   - predict the hardened set and the set; the new failures (a FAIL, or a
//     WARN of a check Manual in the benchmark whose test ran, as the gate
//     reads cis-1.10's 1.2.1 and 4.2.4) are exactly the expected ones;
//   - trace.Trace on the set names, for each, the file and line that
//     differ from the hardened set, as a line diff of the two folders
//     finds them (independently of trace). A changed hunk's line is its
//     first line in the set. A hunk that only removes lines has no line
//     in the set, and trace cannot know where a setting was before: the
//     line asserted is where the setting goes back, the first line after
//     the list the removed items were in (the line after the command's
//     last item, where trace's fix inserts the flag);
//   - trace.Apply of the finding's Fix to a copy of the set, predicted
//     again, turns the check into PASS on every node it failed on.
//
// A set without a new failure asserts that there is none, and whether
// trace notes a disagreement on the set's check.
func TestTracedLinesAreRight(t *testing.T) {
	sb := sandbox(t)
	var sets []string
	for _, s := range configSets(t) {
		if strings.HasPrefix(s, "hardened-") {
			sets = append(sets, s)
		}
	}
	var named []string
	for s := range fixLoopCases {
		named = append(named, s)
	}
	sort.Strings(named)
	if d := cmp.Diff(named, sets); d != "" {
		t.Fatalf("single-change sets (-cases in this test +testdata/configs):\n%s", d)
	}

	// the sets and the hardened one, predicted side by side
	dirs := map[string]string{"hardened": filepath.Join("testdata/configs", "hardened")}
	for _, s := range sets {
		dirs[s] = filepath.Join("testdata/configs", s)
	}
	predicted := predictDirs(t, sb, dirs)
	hardened := predicted["hardened"]

	type loop struct {
		set, id, file string
		line          int
		changed       string
		nodes         []string // where it failed
		fixDir        string   // "": no edit to apply
	}
	var loops []*loop
	var table []string
	fixDirs := map[string]string{}
	for _, set := range sets {
		c := fixLoopCases[set]
		got := predicted[set]
		newFails := map[string][]string{} // id -> nodes
		for k, st := range got {
			target, id, _ := strings.Cut(k.check, " ")
			if failed(target, id, st) && !failed(target, id, hardened[k]) {
				newFails[id] = append(newFails[id], k.node)
			}
		}
		var ids []string
		for id := range newFails {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return lessCheck(" "+ids[i], " "+ids[j]) })
		if d := cmp.Diff(c.fails, ids); d != "" {
			t.Errorf("%s: new failures against hardened (-want +got):\n%s", set, d)
			continue
		}
		cfg, err := trace.Load(os.DirFS(dirs[set]))
		if err != nil {
			t.Fatalf("%s: %v", set, err)
		}
		hunks := diffDirs(t, dirs["hardened"], dirs[set])
		if len(hunks) == 0 {
			t.Fatalf("%s: no line differs from hardened", set)
		}
		if len(ids) == 0 {
			found := trace.Trace(cfg, trace.Check{Benchmark: benchmark, ID: c.check, Status: benchresult.Pass})
			if len(found) != 1 {
				t.Errorf("%s: %s: %d findings, want 1", set, c.check, len(found))
				continue
			}
			f := found[0]
			if has := f.Disagreement != ""; has != c.disagreement {
				t.Errorf("%s: %s: Disagreement %q, want one: %v", set, c.check, f.Disagreement, c.disagreement)
			}
			changed := "-"
			if c.disagreement {
				// the note names the line the set added
				h, ok := hunkHolding(hunks, f.File, f.Line)
				if !ok {
					t.Errorf("%s: %s: disagreement traced to %s:%d, not a line the set added or changed: %v", set, c.check, f.File, f.Line, hunks)
				}
				changed = h.String()
			}
			table = append(table, fmt.Sprintf("| %s | none (%s: disagreement noted %v) | %s:%d | %s | - |", set, c.check, f.Disagreement != "", f.File, f.Line, changed))
			continue
		}
		for _, id := range ids {
			nodes := newFails[id]
			sort.Strings(nodes)
			st, err := benchresult.ParseStatus(statusOn(predicted[set], nodes[0], id))
			if err != nil {
				t.Fatal(err)
			}
			found := trace.Trace(cfg, trace.Check{Benchmark: benchmark, ID: id, Status: st})
			if len(found) != 1 {
				t.Errorf("%s: %s: %d findings, want 1", set, id, len(found))
				continue
			}
			f := found[0]
			h, ok := hunkAt(hunks, f.File, f.Line)
			if !ok {
				t.Errorf("%s: %s: traced to %s:%d, not a line that differs from hardened: %v", set, id, f.File, f.Line, hunks)
			}
			lp := &loop{set: set, id: id, file: f.File, line: f.Line, changed: h.String(), nodes: nodes}
			loops = append(loops, lp)
			if slices.Contains(c.adviceOnly, id) {
				if len(f.Fix) != 0 || f.Advice == "" {
					t.Errorf("%s: %s: fix %v, advice %q; want advice only", set, id, f.Fix, f.Advice)
				}
				continue
			}
			if len(f.Fix) == 0 {
				t.Errorf("%s: %s: no fix (advice %q)", set, id, f.Advice)
				continue
			}
			lp.fixDir = applyToCopy(t, dirs[set], f.Fix)
			fixDirs[set+"+fix-"+id] = lp.fixDir
		}
	}

	fixed := predictDirs(t, sb, fixDirs)
	for _, lp := range loops {
		res := "no (advice only)"
		if lp.fixDir != "" {
			res = "yes"
			for _, node := range lp.nodes {
				if st := statusOn(fixed[lp.set+"+fix-"+lp.id], node, lp.id); st != "PASS" {
					t.Errorf("%s: %s on %s after applying trace's fix: %s, want PASS", lp.set, lp.id, node, st)
					res = "no: " + st
				}
			}
			// and the fix makes nothing else fail
			for k, st := range fixed[lp.set+"+fix-"+lp.id] {
				target, id, _ := strings.Cut(k.check, " ")
				if failed(target, id, st) && !failed(target, id, predicted[lp.set][k]) {
					t.Errorf("%s: trace's fix of %s fails %s on %s: %s", lp.set, lp.id, k.check, k.node, st)
					res = "no: fails " + id
				}
			}
		}
		table = append(table, fmt.Sprintf("| %s | %s (%s %s) | %s:%d | %s | %s |", lp.set, lp.id, strings.Join(lp.nodes, ", "),
			statusOn(predicted[lp.set], lp.nodes[0], lp.id), lp.file, lp.line, lp.changed, res))
	}
	sort.Strings(table)
	t.Logf("kube-bench %s --benchmark %s, %d sets and %d fixed copies predicted\n"+
		"| set | new failure (nodes, status) | traced to | changed line (diff against hardened) | PASS after trace.Apply |\n|---|---|---|---|---|\n%s",
		DefaultKubeBench, benchmark, len(dirs), len(fixDirs), strings.Join(table, "\n"))
}

// nodeCheck is a check of one node of a prediction: its node ("control-
// plane", "worker") and kube-bench's "target id".
type nodeCheck struct{ node, check string }

// predictDirs predicts each folder with the real kube-bench, the folders
// side by side, and returns the marked statuses (what predict prints).
func predictDirs(t *testing.T, sb Sandbox, dirs map[string]string) map[string]map[nodeCheck]string {
	t.Helper()
	names := make([]string, 0, len(dirs))
	for n := range dirs {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]map[nodeCheck]string, len(names))
	t.Run("predict", func(t *testing.T) {
		for i, name := range names {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				nodes, err := Assemble([]string{dirs[name]})
				if err != nil {
					t.Fatal(err)
				}
				results, err := sb.Predict(context.Background(), nodes, benchmark, nil)
				if err != nil {
					t.Fatal(err)
				}
				m := map[nodeCheck]string{}
				for _, r := range results {
					for k, st := range statuses(t, r.JSON) {
						m[nodeCheck{r.Node.Name, k}] = st
					}
				}
				out[i] = m
			})
		}
	})
	if t.Failed() {
		t.FailNow()
	}
	byName := map[string]map[nodeCheck]string{}
	for i, n := range names {
		byName[n] = out[i]
	}
	return byName
}

// failed reports whether kube-bench's status is a failure as the gate
// reads it: FAIL, or WARN of a check the benchmark calls Manual whose
// test ran (kube-bench reports a failed unscored test as WARN).
func failed(target, id, status string) bool {
	switch status {
	case "FAIL":
		return true
	case "WARN":
		c, ok := catalog.Lookup(benchmark, target, id)
		return ok && c.CarriesTest() && !c.Scored && !strings.HasPrefix(string(c.Identity), "text ")
	}
	return false
}

// statusOn is the status of check id on node in a prediction.
func statusOn(p map[nodeCheck]string, node, id string) string {
	for k, st := range p {
		if k.node == node && strings.HasSuffix(k.check, " "+id) {
			return st
		}
	}
	return "missing"
}

// applyToCopy copies dir into a new temporary folder and applies the
// edits there with trace.Apply, file by file.
func applyToCopy(t *testing.T, dir string, edits []trace.Edit) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	byFile := map[string][]trace.Edit{}
	for _, e := range edits {
		byFile[e.File] = append(byFile[e.File], e)
	}
	for file, es := range byFile {
		p := filepath.Join(dst, filepath.FromSlash(file))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out, err := trace.Apply(data, es)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// hunk is a run of lines that differ between a file of the hardened set
// (Old, from line OldLine) and the same file of a changed set (New, from
// line NewLine; a removal has no New and NewLine is the line after it).
type hunk struct {
	File             string
	OldLine, NewLine int
	Old, New         []string
	// Line is the line of the set a finding should name: NewLine, or for
	// a removal of list items the line after the list they were in
	Line int
}

func (h hunk) String() string {
	switch {
	case len(h.Old) == 0 && len(h.New) == 0:
		return "no changed line there"
	case len(h.New) == 0:
		return fmt.Sprintf("%s: %d lines removed before line %d (%q...), list ends before line %d", h.File, len(h.Old), h.NewLine, h.Old[0], h.Line)
	case len(h.Old) == 0:
		return fmt.Sprintf("%s:%d: %d lines added (%q...)", h.File, h.NewLine, len(h.New), h.New[0])
	}
	return fmt.Sprintf("%s:%d: %q -> %q", h.File, h.NewLine, strings.Join(h.Old, " / "), strings.Join(h.New, " / "))
}

func hunkAt(hs []hunk, file string, line int) (hunk, bool) {
	for _, h := range hs {
		if h.File == file && h.Line == line {
			return h, true
		}
	}
	return hunk{}, false
}

// hunkHolding is the hunk whose lines in the set hold file:line.
func hunkHolding(hs []hunk, file string, line int) (hunk, bool) {
	for _, h := range hs {
		if h.File == file && line >= h.NewLine && line < h.NewLine+len(h.New) {
			return h, true
		}
	}
	return hunk{}, false
}

// diffDirs is the line diff of the files of two folders (by relative
// path), hunk by hunk.
func diffDirs(t *testing.T, oldDir, newDir string) []hunk {
	t.Helper()
	read := func(dir string) map[string][]string {
		files := map[string][]string{}
		err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
			files[p] = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	oldFiles, newFiles := read(oldDir), read(newDir)
	var names []string
	for n := range oldFiles {
		names = append(names, n)
	}
	for n := range newFiles {
		if _, ok := oldFiles[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []hunk
	for _, n := range names {
		out = append(out, diffLines(n, oldFiles[n], newFiles[n])...)
	}
	return out
}

// diffLines is a longest-common-subsequence line diff.
func diffLines(file string, a, b []string) []hunk {
	// lcs[i][j]: the longest common subsequence of a[i:] and b[j:]
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []hunk
	var cur *hunk
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	open := func(i, j int) {
		if cur == nil {
			cur = &hunk{File: file, OldLine: i + 1, NewLine: j + 1}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			flush()
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			open(i, j)
			cur.New = append(cur.New, b[j])
			j++
		default:
			open(i, j)
			cur.Old = append(cur.Old, a[i])
			i++
		}
	}
	flush()
	for k := range out {
		h := &out[k]
		h.Line = h.NewLine
		if len(h.New) > 0 {
			continue
		}
		// a removal of list items ("    - --audit-log-maxage=30"): the
		// line after the set's list at that place
		item := listItemPrefix(h.Old[0])
		if item == "" {
			continue
		}
		l := h.NewLine // 1-based: b[l-1] is the line after the removal
		for l <= len(b) && strings.HasPrefix(b[l-1], item) {
			l++
		}
		h.Line = l
	}
	return out
}

// listItemPrefix is the indentation and "- " of a YAML list item line,
// "" for another line.
func listItemPrefix(line string) string {
	rest := strings.TrimLeft(line, " ")
	if !strings.HasPrefix(rest, "- ") {
		return ""
	}
	return line[:len(line)-len(rest)] + "- "
}

func TestDiffLines(t *testing.T) {
	t.Parallel()
	a := []string{"c:", "  - a", "  - b", "  - c", "x: 1", "y: 2"}
	tests := []struct {
		name string
		b    []string
		want []hunk
	}{
		{"same", a, nil},
		{"changed", []string{"c:", "  - a", "  - B", "  - c", "x: 1", "y: 2"},
			[]hunk{{File: "f", OldLine: 3, NewLine: 3, Old: []string{"  - b"}, New: []string{"  - B"}, Line: 3}}},
		{"one line split in two", []string{"c:", "  - a", "  - b", "  - c", "x:", "  1", "y: 2"},
			[]hunk{{File: "f", OldLine: 5, NewLine: 5, Old: []string{"x: 1"}, New: []string{"x:", "  1"}, Line: 5}}},
		{"list items removed", []string{"c:", "  - a", "x: 1", "y: 2"},
			[]hunk{{File: "f", OldLine: 3, NewLine: 3, Old: []string{"  - b", "  - c"}, Line: 3}}},
		{"list items removed in the middle", []string{"c:", "  - c", "x: 1", "y: 2"},
			[]hunk{{File: "f", OldLine: 2, NewLine: 2, Old: []string{"  - a", "  - b"}, Line: 3}}},
		{"a key removed", []string{"c:", "  - a", "  - b", "  - c", "y: 2"},
			[]hunk{{File: "f", OldLine: 5, NewLine: 5, Old: []string{"x: 1"}, Line: 5}}},
		{"added at the end", append(slices.Clone(a), "z: 3"),
			[]hunk{{File: "f", OldLine: 7, NewLine: 7, New: []string{"z: 3"}, Line: 7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if d := cmp.Diff(tt.want, diffLines("f", a, tt.b)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
