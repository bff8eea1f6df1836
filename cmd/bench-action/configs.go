package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/trace"
	"github.com/bench-action/bench-action/verdict"
)

// configLocator traces checks to the configuration files of a directory
// (`gate --configs DIR`, the action's configs input) with package trace.
type configLocator struct {
	cfg *trace.Config
	// prefix is the directory as the repository names it ("" at its
	// root), "/"-separated: locations are relative to the repository, as
	// annotations, SARIF and pull requests want them.
	prefix string
	memo   map[string]located
}

type located struct {
	loc verdict.Location
	ok  bool
}

var _ verdict.Locator = (*configLocator)(nil)

// newConfigLocator reads the configuration files under dir. root is the
// repository's root (GITHUB_WORKSPACE, else the working directory): a dir
// under it is named relative to it. Every bad file is reported.
func newConfigLocator(dir, root string) (*configLocator, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("--configs %s: %w", dir, unwrap(err))
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("--configs %s: not a directory", dir)
	}
	cfg, err := trace.Load(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("--configs %s: %w", dir, err)
	}
	return &configLocator{cfg: cfg, prefix: repoPath(dir, root), memo: map[string]located{}}, nil
}

// repoPath names dir relative to root when it is under it, else as given;
// "/"-separated, "" for root itself.
func repoPath(dir, root string) string {
	p := dir
	if root != "" {
		if ad, err := filepath.Abs(dir); err == nil {
			if ar, err := filepath.Abs(root); err == nil {
				if rel, err := filepath.Rel(ar, ad); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
					p = rel
				}
			}
		}
	}
	p = path.Clean(filepath.ToSlash(p))
	if p == "." {
		return ""
	}
	return p
}

// Locate finds where the check's control is set: the first component
// whose configuration fails the test (as kube-bench reads it, else as the
// component runs), else the first one traced.
func (l *configLocator) Locate(c *benchresult.Check) (verdict.Location, bool) {
	key := c.Benchmark + "\x00" + c.ID + "\x00" + c.Status.String()
	if m, ok := l.memo[key]; ok {
		return m.loc, m.ok
	}
	fs := trace.Trace(l.cfg, trace.Check{Benchmark: c.Benchmark, ID: c.ID, Status: c.Status})
	var pick *trace.Finding
	for i := range fs {
		if !fs[i].KubeBenchPasses || !fs[i].Passes {
			pick = &fs[i]
			break
		}
	}
	if pick == nil && len(fs) > 0 {
		pick = &fs[0]
	}
	var m located
	if pick != nil && pick.File != "" {
		m = located{loc: l.location(pick), ok: true}
	}
	l.memo[key] = m
	return m.loc, m.ok
}

func (l *configLocator) location(f *trace.Finding) verdict.Location {
	loc := verdict.Location{File: l.repoFile(f.File), Line: f.Line, Note: f.Disagreement}
	// The setting is the test's item on the line pointed at, else the
	// first one the files set, else the first.
	item := -1
	for i, it := range f.Items {
		if it.KubeBench.Pos.Line == f.Line || it.Effective.Pos.Line == f.Line {
			item = i
			break
		}
	}
	for i, it := range f.Items {
		if item < 0 && it.KubeBench.Set {
			item = i
		}
	}
	if item < 0 && len(f.Items) > 0 {
		item = 0
	}
	if item >= 0 {
		it := f.Items[item]
		loc.Setting = it.Setting
		if it.KubeBench.Set {
			loc.Current = it.KubeBench.Value
		}
	}
	if f.KubeBenchPasses && f.Passes {
		// The files satisfy the test: the node the results come from does
		// not run what the repository says. Point at the setting itself.
		if item >= 0 && f.Items[item].KubeBench.Pos.Line > 0 && f.Items[item].KubeBench.Pos.File == f.File {
			loc.Line = f.Items[item].KubeBench.Pos.Line
		}
		if loc.Note == "" {
			loc.Note = "the files here pass this test: the node does not run what they say"
		}
		return loc // nothing to suggest
	}
	// The first edit: a suggestion replaces its lines (one, or a range
	// such as a split "--flag", "value" pair joined into one item).
	if len(f.Fix) > 0 {
		e := f.Fix[0]
		file := f.File
		if e.File != "" {
			file = e.File
		}
		end := e.EndLine
		if end <= e.Line {
			end = 0
		}
		loc.Fix = &verdict.LineFix{File: l.repoFile(file), Line: e.Line, EndLine: end, Old: e.Old, New: e.New}
	}
	return loc
}

func (l *configLocator) repoFile(rel string) string {
	if l.prefix == "" {
		return rel
	}
	return path.Join(l.prefix, rel)
}

// repoRoot is the root of the repository the configuration files are in:
// GITHUB_WORKSPACE in a job, else the working directory.
func repoRoot(e *env) string {
	if ws := e.getenv("GITHUB_WORKSPACE"); ws != "" {
		return ws
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return wd
}
