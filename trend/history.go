package trend

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bench-action/bench-action/benchresult"
)

// MaxLineBytes limits one line of a history (one run). A real run is a few
// kilobytes; a longer line is an error, never an out-of-memory kill.
const MaxLineBytes = 16 << 20

// ErrSeedFormat is returned by [Append] when the history is the seed's JSON
// array: convert it first (bench-action trend convert, or [WriteJSONLines]).
var ErrSeedFormat = errors.New("history is the seed's JSON array, not JSON Lines: convert it first")

// ErrNotHistory is wrapped when a file is not a history at all.
var ErrNotHistory = errors.New("not a bench-action history")

// History is what ReadHistory found: the runs in file order, and what it
// tolerated on the way.
type History struct {
	Records  []Record
	Format   string   // "jsonl", "seed" (the seed's JSON array) or "" when empty
	Warnings []string // e.g. a torn last line that was ignored
}

// Clusters lists the clusters with at least one run, sorted.
func (h *History) Clusters() []string {
	seen := map[string]bool{}
	var out []string
	for i := range h.Records {
		c := h.Records[i].Cluster
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// CheckCluster reports, in one line, that the history has no run of a
// cluster: which clusters it holds and which was asked for. The error wraps
// [ErrUnknownCluster]; it is nil when the history has a run of cluster.
func (h *History) CheckCluster(cluster string) error {
	cs := h.Clusters()
	if slices.Contains(cs, cluster) {
		return nil
	}
	if len(cs) == 0 {
		return &clusterError{fmt.Sprintf("the history holds no runs, so none of %s", quoteCluster(cluster))}
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = strconv.Quote(c)
		if c == "" {
			names[i] = `"" (runs appended without --cluster)`
		}
	}
	holds := "cluster " + names[0]
	if len(cs) > 1 {
		holds = "clusters " + strings.Join(names, ", ")
	}
	fix := "report with --cluster " + flagValue(cs[0]) + ", or without --cluster for every cluster"
	if len(cs) == 1 && cs[0] == "" {
		fix = "report without --cluster, or append runs with --cluster " + flagValue(cluster)
	}
	return &clusterError{fmt.Sprintf("the history holds runs of %s and none of %s: %s", holds, quoteCluster(cluster), fix)}
}

// clusterError is CheckCluster's error: a sentence of its own that is
// errors.Is ErrUnknownCluster.
type clusterError struct{ msg string }

func (e *clusterError) Error() string { return e.msg }
func (e *clusterError) Unwrap() error { return ErrUnknownCluster }

func quoteCluster(c string) string { return "cluster " + strconv.Quote(c) }

// flagValue writes a cluster name as one would type it after --cluster.
func flagValue(c string) string {
	if c != "" && strings.IndexFunc(c, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return c
	}
	return strconv.Quote(c)
}

// Runs returns the runs of one cluster ordered by time (file order between
// runs of the same time).
func (h *History) Runs(cluster string) []Record {
	var out []Record
	for i := range h.Records {
		if h.Records[i].Cluster == cluster {
			out = append(out, h.Records[i])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// ReadHistory reads a history: JSON Lines as [Append] writes them, or the
// seed's JSON array. A last line without its newline that does not decode
// (a run killed mid-write) is dropped with a warning; any other damaged
// line is an error naming source and the line. Every error is a
// [*benchresult.InputError]. An empty input is an empty history.
func ReadHistory(r io.Reader, source string) (History, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var h History
	// Peek past leading white space to tell the seed's array from JSON Lines.
	for {
		b, err := br.Peek(1)
		if err == io.EOF {
			return h, nil
		}
		if err != nil {
			return h, &benchresult.InputError{Source: source, Err: err}
		}
		if b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' {
			br.ReadByte()
			continue
		}
		if b[0] == '[' {
			return readSeed(br, source)
		}
		break
	}
	h.Format = "jsonl"
	line := 0
	for {
		text, complete, err := readLine(br)
		if err != nil && err != io.EOF {
			return h, &benchresult.InputError{Source: source, Line: line + 1, Err: err}
		}
		if len(text) == 0 && err == io.EOF {
			return h, nil
		}
		line++
		if len(bytes.TrimSpace(text)) > 0 {
			rec, derr := decodeRecord(text)
			switch {
			case derr == nil:
				h.Records = append(h.Records, rec)
			case !complete:
				h.Warnings = append(h.Warnings, fmt.Sprintf("%s: line %d: the last line is incomplete (a run killed while writing it?) and was ignored: %v", source, line, derr))
			default:
				return h, &benchresult.InputError{Source: source, Line: line, Err: derr}
			}
		}
		if err == io.EOF {
			return h, nil
		}
	}
}

// readLine returns the next line without its newline, whether it ended in
// one, and io.EOF after the last line.
func readLine(br *bufio.Reader) ([]byte, bool, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes {
			return nil, false, fmt.Errorf("line longer than %d bytes", MaxLineBytes)
		}
		buf = append(buf, chunk...)
		switch err {
		case nil:
			return bytes.TrimSuffix(buf[:len(buf)-1], []byte("\r")), true, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			return buf, false, io.EOF
		default:
			return nil, false, err
		}
	}
}

func decodeRecord(line []byte) (Record, error) {
	var rec Record
	if err := json.Unmarshal(line, &rec); err != nil {
		return rec, fmt.Errorf("not a history record: %w", err)
	}
	if err := rec.validate(); err != nil {
		return rec, err
	}
	rec.Time = rec.Time.UTC()
	// Empty collections read as absent, as MarshalLine writes them.
	if len(rec.Benchmarks) == 0 {
		rec.Benchmarks = nil
	}
	if len(rec.Sections) == 0 {
		rec.Sections = nil
	}
	if len(rec.Failing) == 0 {
		rec.Failing = nil
	}
	if len(rec.Text) == 0 {
		rec.Text = nil
	}
	if len(rec.Benchmark) == 0 {
		rec.Benchmark = nil
	}
	if len(rec.Nodes) == 0 {
		rec.Nodes = nil
	}
	return rec, nil
}

func (r *Record) validate() error {
	var errs []error
	if r.Version < 1 {
		errs = append(errs, errors.New(`record has no version ("v")`))
	} else if r.Version > RecordVersion {
		errs = append(errs, fmt.Errorf("record version %d is newer than this bench-action reads (%d)", r.Version, RecordVersion))
	}
	if r.Time.IsZero() {
		errs = append(errs, errors.New(`record has no "time"`))
	}
	t := r.Totals
	if t.Pass < 0 || t.Fail < 0 || t.Warn < 0 || t.Info < 0 || t.NotApplicable < 0 {
		errs = append(errs, errors.New("record has a negative total"))
	}
	for s, t := range r.Sections {
		if t.Pass < 0 || t.Fail < 0 || t.Warn < 0 || t.Info < 0 || t.NotApplicable < 0 {
			errs = append(errs, fmt.Errorf("record section %q has a negative total", s))
		}
	}
	if g := r.Gate; g != nil && (g.Open < 0 || g.New < 0 || g.Fixed < 0 || g.Accepted < 0) {
		errs = append(errs, errors.New("record has a negative gate count"))
	}
	return errors.Join(errs...)
}

// seedRecord is one run of the seed's history (report.py's write_trend).
type seedRecord struct {
	Totals   map[string]int `json:"totals"`
	Failures []struct {
		ID          string `json:"id"`
		Description string `json:"description"`
		Remediation string `json:"remediation"`
	} `json:"failures"`
	Date string `json:"date"`
}

func readSeed(br *bufio.Reader, source string) (History, error) {
	h := History{Format: "seed"}
	data, err := io.ReadAll(io.LimitReader(br, benchresult.DefaultMaxBytes+1))
	if err != nil {
		return h, &benchresult.InputError{Source: source, Err: err}
	}
	if len(data) > benchresult.DefaultMaxBytes {
		return h, &benchresult.InputError{Source: source, Err: fmt.Errorf("%w: more than %d bytes", benchresult.ErrTooLarge, benchresult.DefaultMaxBytes)}
	}
	var runs []seedRecord
	if err := json.Unmarshal(data, &runs); err != nil {
		line := 0
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line = lineOf(data, se.Offset)
		case errors.As(err, &te):
			line = lineOf(data, te.Offset)
		}
		return h, &benchresult.InputError{Source: source, Line: line, Err: fmt.Errorf("seed history: %w", err)}
	}
	for i, s := range runs {
		at, err := parseSeedDate(s.Date)
		if err != nil {
			return h, &benchresult.InputError{Source: source, Err: fmt.Errorf("seed history: run %d: %w", i+1, err)}
		}
		rec := Record{Version: RecordVersion, Time: at}
		for k, n := range s.Totals {
			if n < 0 {
				return h, &benchresult.InputError{Source: source, Err: fmt.Errorf("seed history: run %d: negative total %s", i+1, k)}
			}
			switch strings.ToLower(k) {
			case "pass":
				rec.Totals.Pass = n
			case "fail":
				rec.Totals.Fail = n
			case "warn":
				rec.Totals.Warn = n
			case "info":
				rec.Totals.Info = n
			}
		}
		for _, f := range s.Failures {
			if rec.Failing == nil {
				rec.Failing = map[string][]string{}
				rec.Text = map[string]string{}
			}
			rec.Failing[""] = append(rec.Failing[""], f.ID)
			rec.Text[f.ID] = f.Description
		}
		if ids, ok := rec.Failing[""]; ok {
			rec.Failing[""] = sortedUnique(ids)
		}
		h.Records = append(h.Records, rec)
	}
	return h, nil
}

// parseSeedDate reads Python's datetime.isoformat(): naive (taken as UTC,
// as report.py writes utcnow()) or with an offset.
func parseSeedDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is not an ISO 8601 time", s)
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

// MarshalLine encodes a record as one history line, newline included.
func MarshalLine(rec Record) ([]byte, error) {
	if rec.Version == 0 {
		rec.Version = RecordVersion
	}
	rec.Time = rec.Time.UTC()
	if err := rec.validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// WriteJSONLines writes records as a JSON Lines history, one per line.
func WriteJSONLines(w io.Writer, recs []Record) error {
	bw := bufio.NewWriter(w)
	for i := range recs {
		b, err := MarshalLine(recs[i])
		if err != nil {
			return fmt.Errorf("write history: run %d: %w", i+1, err)
		}
		bw.Write(b)
	}
	return bw.Flush()
}

// Append adds one run to the history at path, creating it if needed, with
// one write of one line to a file opened for appending: it never reads or
// rewrites the runs already there, so its cost does not grow with the
// history. If the file ends in a line torn by an earlier run killed while
// writing, Append first cuts that fragment off (it could never be read) so
// the new run starts on a line of its own.
func Append(path string, rec Record) (err error) {
	line, err := MarshalLine(rec)
	if err != nil {
		return fmt.Errorf("append to history %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("append to history: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("append to history: %w", cerr)
		}
	}()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("append to history: %w", err)
	}
	if size := fi.Size(); size > 0 {
		if err := checkTail(f, path, size); err != nil {
			return err
		}
	}
	n, err := f.Write(line)
	if err == nil && n < len(line) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return fmt.Errorf("append to history %s: %w", path, err)
	}
	return nil
}

// checkTail makes sure path is a JSON Lines history and that it ends in a
// newline, cutting off a torn last line. It reads the first bytes and the
// last line only.
func checkTail(f *os.File, path string, size int64) error {
	head := make([]byte, 5)
	n, _ := f.ReadAt(head, 0)
	head = bytes.TrimLeft(head[:n], " \t\r\n")
	switch {
	case len(head) > 0 && head[0] == '[':
		return fmt.Errorf("append to history %s: %w", path, ErrSeedFormat)
	case len(head) > 0 && head[0] != '{':
		return fmt.Errorf("append to history %s: %w", path, ErrNotHistory)
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, size-1); err != nil {
		return fmt.Errorf("append to history %s: %w", path, err)
	}
	if last[0] == '\n' {
		return nil
	}
	// Find the start of the last line, reading backwards.
	start, err := lastLineStart(f, size)
	if err != nil {
		return fmt.Errorf("append to history %s: %w", path, err)
	}
	frag := make([]byte, size-start)
	if _, err := f.ReadAt(frag, start); err != nil {
		return fmt.Errorf("append to history %s: %w", path, err)
	}
	if _, derr := decodeRecord(frag); derr == nil {
		// A complete record that only lacks its newline: keep it.
		if _, err := f.Write([]byte("\n")); err != nil {
			return fmt.Errorf("append to history %s: %w", path, err)
		}
		return nil
	}
	if !bytes.HasPrefix(frag, []byte(`{"v":`)) {
		return fmt.Errorf("append to history %s: the last line is neither a run nor a torn one: %w", path, ErrNotHistory)
	}
	if err := f.Truncate(start); err != nil {
		return fmt.Errorf("append to history %s: cut the torn last line: %w", path, err)
	}
	return nil
}

func lastLineStart(f *os.File, size int64) (int64, error) {
	const chunk = 64 << 10
	buf := make([]byte, chunk)
	end := size
	for end > 0 {
		if size-end > MaxLineBytes {
			return 0, fmt.Errorf("the last line is longer than %d bytes", MaxLineBytes)
		}
		off := end - chunk
		if off < 0 {
			off = 0
		}
		b := buf[:end-off]
		if _, err := f.ReadAt(b, off); err != nil {
			return 0, err
		}
		if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
			return off + int64(i) + 1, nil
		}
		end = off
	}
	return 0, nil
}
