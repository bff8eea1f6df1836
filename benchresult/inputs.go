package benchresult

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Source is one input to read: where and which node it belongs to.
type Source struct {
	Node string // node name: the base name of the file by default
	Path string // a file path, or "-" for standard input
}

// resultExtensions are the file names a directory input contributes.
var resultExtensions = map[string]bool{".json": true, ".xml": true, ".txt": true, ".log": true, ".out": true}

// ResolveInputs turns command-line inputs into sources. An input is a file,
// a directory (each *.json, *.xml, *.txt, *.log and *.out file directly in
// it, hidden files skipped), a glob, NODE=PATH (names the node; PATH may be
// any of the other forms only if it is a single file or "-"), or "-" for
// standard input (node "stdin" unless named). The node name defaults to the
// file's base name without its extension: results/worker-3.json is worker-3.
// Two inputs naming the same node are an error: name them with NODE=PATH.
// Every problem is reported, joined.
func ResolveInputs(args []string) ([]Source, error) {
	var out []Source
	var errs []error
	for _, arg := range args {
		srcs, err := resolveOne(arg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, srcs...)
	}
	if len(args) == 0 {
		errs = append(errs, errors.New("no inputs given"))
	}
	seen := map[string]string{}
	for _, s := range out {
		if prev, ok := seen[s.Node]; ok {
			errs = append(errs, fmt.Errorf("node %q is given twice (%s and %s): name one with NODE=PATH", s.Node, prev, s.Path))
			continue
		}
		seen[s.Node] = s.Path
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func resolveOne(arg string) ([]Source, error) {
	if arg == "-" {
		return []Source{{Node: "stdin", Path: "-"}}, nil
	}
	if node, path, ok := strings.Cut(arg, "="); ok && node != "" && !strings.ContainsAny(node, `/\*?[`) {
		if path == "" {
			return nil, fmt.Errorf("input %q: no path after %s=", arg, node)
		}
		if path == "-" {
			return []Source{{Node: node, Path: "-"}}, nil
		}
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("input %s: %w", path, unwrapPathError(err))
		}
		return []Source{{Node: node, Path: path}}, nil
	}
	if strings.ContainsAny(arg, "*?[") {
		matches, err := filepath.Glob(arg)
		if err != nil {
			return nil, fmt.Errorf("input %q: bad glob: %w", arg, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("input %q: the glob matches no file", arg)
		}
		var out []Source
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.IsDir() {
				continue
			}
			out = append(out, Source{Node: NodeName(m), Path: m})
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("input %q: the glob matches only directories", arg)
		}
		return out, nil
	}
	fi, err := os.Stat(arg)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", arg, unwrapPathError(err))
	}
	if !fi.IsDir() {
		return []Source{{Node: NodeName(arg), Path: arg}}, nil
	}
	entries, err := os.ReadDir(arg)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", arg, unwrapPathError(err))
	}
	var out []Source
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !resultExtensions[strings.ToLower(filepath.Ext(name))] {
			continue
		}
		p := filepath.Join(arg, name)
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			if err != nil {
				return nil, fmt.Errorf("input %s: %w", p, unwrapPathError(err))
			}
			continue
		}
		out = append(out, Source{Node: NodeName(p), Path: p})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("input %s: the directory holds no result files (*.json, *.xml, *.txt, *.log, *.out)", arg)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// NodeName is the default node name of a result file: its base name
// without the extension.
func NodeName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// LoadOptions tune Load.
type LoadOptions struct {
	Options
	Cluster string
	// Stdin is read for the source "-".
	Stdin io.Reader
	// MaxTotalBytes limits the sum of all inputs (0: no limit beyond
	// the per-file one).
	MaxTotalBytes int64
	// Workers is how many files are parsed at once (0: GOMAXPROCS).
	Workers int
}

// Load parses every source, on all cores, and merges them into one cluster
// report (see [Merge]). Every input's problem is reported, joined, not just
// the first.
func Load(sources []Source, opts LoadOptions) (*Report, error) {
	results := make([]*NodeResult, len(sources))
	errs := make([]error, len(sources))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var total int64
	var mu sync.Mutex
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i], errs[i] = loadOne(sources[i], opts, &mu, &total)
			}
		}()
	}
	for i := range sources {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return Merge(opts.Cluster, results...), nil
}

func loadOne(s Source, opts LoadOptions, mu *sync.Mutex, total *int64) (*NodeResult, error) {
	o := opts.Options
	o.Node = s.Node
	var r io.Reader
	name := s.Path
	if s.Path == "-" {
		if opts.Stdin == nil {
			return nil, &InputError{Source: "stdin", Offset: -1, Err: errors.New("no standard input")}
		}
		r, name = opts.Stdin, "stdin"
	} else {
		f, err := os.Open(s.Path)
		if err != nil {
			return nil, &InputError{Source: s.Path, Offset: -1, Err: unwrapPathError(err)}
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Size() > o.maxBytes() {
			return nil, &InputError{Source: s.Path, Offset: -1, Err: fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, fi.Size(), o.maxBytes())}
		}
		r = f
	}
	data, err := readLimited(r, o.maxBytes())
	if err != nil {
		return nil, &InputError{Source: name, Offset: -1, Err: err}
	}
	if opts.MaxTotalBytes > 0 {
		mu.Lock()
		*total += int64(len(data))
		over := *total > opts.MaxTotalBytes
		mu.Unlock()
		if over {
			return nil, &InputError{Source: name, Offset: -1, Err: fmt.Errorf("%w: the inputs together exceed %d bytes", ErrTooLarge, opts.MaxTotalBytes)}
		}
	}
	return ParseBytes(data, name, o)
}
