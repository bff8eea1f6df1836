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
		switch t := e.Type(); {
		case t.IsDir():
			continue
		case t.IsRegular():
			// The directory entry says what it is: no stat per file.
		default: // a symbolic link or something else: what does it lead to?
			fi, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("input %s: %w", p, unwrapPathError(err))
			}
			if fi.IsDir() {
				continue
			}
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
//
// Load streams: each parsed node is merged, in the order of sources, as
// soon as the nodes before it are, and dropped; at most a few nodes per
// worker are in memory at once, besides the report. Each worker reuses one
// read buffer and shares the strings and Controls that repeat across nodes.
func Load(sources []Source, opts LoadOptions) (*Report, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > len(sources) {
		workers = max(len(sources), 1)
	}
	// Job i may start only once job i-window is merged, so slot i%window
	// is free and memory stays bounded however fast the workers are.
	window := 2 * workers
	slots := make([]chan loaded, window)
	for i := range slots {
		slots[i] = make(chan loaded, 1)
	}
	free := make(chan struct{}, window)
	jobs := make(chan int)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(jobs)
		for i := range sources {
			select {
			case free <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	}()
	var total int64
	var mu sync.Mutex
	recycle := make(chan []Check, window) // merged nodes' Checks, to fill again
	for w := 0; w < workers; w++ {
		go func() {
			ld := &loader{opts: opts, mu: &mu, total: &total, intern: newInterner()}
			for i := range jobs {
				if ld.intern.spare == nil {
					select {
					case ld.intern.spare = <-recycle:
					default:
					}
				}
				nr, err := ld.load(sources[i])
				slots[i%window] <- loaded{nr, ld.size, err}
			}
		}()
	}
	m := newMerger(opts.Cluster, 0)
	m.validated = true // parseBytes checked each node's ids are distinct
	m.r.Inputs = make([]InputSummary, 0, len(sources))
	fleetBytes := int64(-1)
	if len(sources) >= 64 {
		fleetBytes = sizeOf(sources)
	}
	var errs []error
	for i := range sources {
		res := <-slots[i%window]
		<-free
		if res.err != nil {
			errs = append(errs, res.err)
			continue
		}
		if len(errs) > 0 {
			continue
		}
		if cap(m.r.Checks) == 0 && fleetBytes > 0 && res.size > 0 {
			// Size the fleet's checks once, from this node's checks per
			// byte, rather than growing (and copying) the largest slice
			// of the process a dozen times.
			perByte := float64(len(res.nr.Checks)) / float64(res.size)
			m.front = 256 // room for the cluster-wide checks, which sort first
			m.r.Checks = make([]Check, m.front, m.front+int(perByte*float64(fleetBytes)*1.05)+64)
		}
		m.add(res.nr)
		select {
		case recycle <- res.nr.Checks:
		default:
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return m.report(), nil
}

type loaded struct {
	nr   *NodeResult
	size int64 // bytes read
	err  error
}

// sizeOf sums the sizes of the sources' files (those it can stat).
func sizeOf(sources []Source) int64 {
	var n int64
	for _, s := range sources {
		if s.Path == "-" {
			continue
		}
		if fi, err := os.Stat(s.Path); err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
	}
	return n
}

// loader is one of Load's workers: its read buffer and interner.
type loader struct {
	opts   LoadOptions
	mu     *sync.Mutex
	total  *int64
	intern *interner
	buf    []byte
	size   int64 // bytes of the last input read
}

func (ld *loader) load(s Source) (*NodeResult, error) {
	opts := ld.opts
	ld.size = 0
	o := opts.Options
	o.Node = s.Node
	var data []byte
	name := s.Path
	if s.Path == "-" {
		if opts.Stdin == nil {
			return nil, &InputError{Source: "stdin", Err: errors.New("no standard input")}
		}
		name = "stdin"
		d, err := readLimited(opts.Stdin, o.maxBytes())
		if err != nil {
			return nil, &InputError{Source: name, Err: err}
		}
		data = d
	} else {
		f, err := os.Open(s.Path)
		if err != nil {
			return nil, &InputError{Source: s.Path, Err: unwrapPathError(err)}
		}
		var size int64 = -1
		if fi, err := f.Stat(); err == nil {
			if fi.Size() > o.maxBytes() {
				f.Close()
				return nil, &InputError{Source: s.Path, Err: fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, fi.Size(), o.maxBytes())}
			}
			if fi.Mode().IsRegular() {
				size = fi.Size()
			}
		}
		ld.buf, err = readInto(ld.buf[:0], f, size, o.maxBytes())
		f.Close()
		if err != nil {
			return nil, &InputError{Source: name, Err: err}
		}
		data = ld.buf
	}
	ld.size = int64(len(data))
	if opts.MaxTotalBytes > 0 {
		ld.mu.Lock()
		*ld.total += int64(len(data))
		over := *ld.total > opts.MaxTotalBytes
		ld.mu.Unlock()
		if over {
			return nil, &InputError{Source: name, Err: fmt.Errorf("%w: the inputs together exceed %d bytes", ErrTooLarge, opts.MaxTotalBytes)}
		}
	}
	return parseBytes(data, name, o, ld.intern)
}

// readInto reads r to its end into buf (reusing its capacity), at most
// limit bytes. size, when known (>= 0), sizes the buffer in one step.
func readInto(buf []byte, r io.Reader, size, limit int64) ([]byte, error) {
	if size >= 0 && int64(cap(buf)) < size+1 {
		buf = make([]byte, 0, size+512) // room to see the end of the file
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
