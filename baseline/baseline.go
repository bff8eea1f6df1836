package baseline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
)

// FormatVersion is the version of the file format WriteTo writes and Parse
// reads (the "version" field).
const FormatVersion = 1

// DefaultFileName is the name the command uses for a baseline it writes
// when not told otherwise.
const DefaultFileName = ".kube-bench-baseline.json"

// Baseline is a recorded state of a fleet that later results are compared
// with. It is either ID-level (Entries) or, when Legacy is set, the seed's
// baseline: a file holding only the number of FAILs.
type Baseline struct {
	// Legacy marks the seed's FAIL-count baseline. Only FailCount is
	// meaningful then: open FAILs above that number fail the gate.
	Legacy    bool
	FailCount int
	// Entries holds one entry per check identity, sorted in the order of
	// the file (see [CompareKeys]). FromChecks and Parse keep it sorted and free of
	// duplicates; WriteTo refuses a Baseline that is not.
	Entries []Entry
}

// Entry is one check identity of a baseline with the status it had and the
// description of its control. The description is what carries the entry
// to another benchmark version, whose ids may differ (see [Diff]).
type Entry struct {
	Key    benchresult.Key
	Status benchresult.Status // the status the gate saw: NOT APPLICABLE for checks a profile took out of scope
	Text   string             // the control's description as kube-bench printed it
}

// Fingerprint is the identity of the entry's control independent of its id:
// the target plus the normalised description, as [benchresult.Control.Fingerprint].
func (e *Entry) Fingerprint() string {
	return string(e.Key.Target) + ":" + benchresult.NormalizeText(e.Text)
}

// FromChecks records checks as a baseline. Each check is stored with its
// effective status ([benchresult.Check.EffectiveStatus]): a check that a
// managed-provider profile marked not applicable is stored as
// "NOT APPLICABLE", so that the same check failing later without the profile
// counts as new rather than silently persisting. Checks without a Control
// are skipped; when an identity appears twice the later check wins, as in
// [benchresult.Merge]. The result does not depend on the order of checks
// otherwise.
func FromChecks(checks []benchresult.Check) *Baseline {
	b := &Baseline{Entries: make([]Entry, 0, len(checks))}
	index := make(map[benchresult.Key]int, len(checks))
	for i := range checks {
		c := &checks[i]
		if c.Control == nil {
			continue
		}
		e := Entry{Key: c.Key(), Status: c.EffectiveStatus(), Text: c.Text}
		if j, ok := index[e.Key]; ok {
			b.Entries[j] = e
			continue
		}
		index[e.Key] = len(b.Entries)
		b.Entries = append(b.Entries, e)
	}
	sortEntries(b.Entries)
	return b
}

// WriteTo writes the baseline in the file format: for an ID-level baseline a
// JSON document with one check per line, sorted, so that the same input
// always gives the same bytes and a change reads well in review:
//
//	{"version":1,"checks":[
//	{"cluster":"prod","node":"cp-1","benchmark":"cis-1.10","target":"master","id":"1.1.1","status":"FAIL","text":"Ensure that ..."},
//	...
//	]}
//
// For a legacy baseline it writes the FAIL count and a newline. WriteTo
// refuses entries with an invalid status, a duplicate identity, or a
// negative legacy count, since Parse would refuse the file.
func (b *Baseline) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 64<<10)
	if err := b.write(bw); err != nil {
		return cw.n, err
	}
	if err := bw.Flush(); err != nil {
		return cw.n, fmt.Errorf("write baseline: %w", err)
	}
	return cw.n, nil
}

func (b *Baseline) write(w *bufio.Writer) error {
	if b.Legacy {
		if b.FailCount < 0 {
			return fmt.Errorf("write baseline: negative FAIL count %d", b.FailCount)
		}
		_, err := w.WriteString(strconv.Itoa(b.FailCount) + "\n")
		return err
	}
	entries := b.Entries
	if !slices.IsSortedFunc(entries, compareEntries) {
		entries = slices.Clone(entries)
		sortEntries(entries)
	}
	for i := range entries {
		if !valid(entries[i].Status) {
			return fmt.Errorf("write baseline: check %s: invalid status %v", entries[i].Key, entries[i].Status)
		}
		if i > 0 && entries[i-1].Key == entries[i].Key {
			return fmt.Errorf("write baseline: check %s appears twice", entries[i].Key)
		}
	}
	w.WriteString(`{"version":` + strconv.Itoa(FormatVersion) + `,"checks":[` + "\n")
	var line []byte
	for i := range entries {
		line = appendEntry(line[:0], &entries[i])
		if i < len(entries)-1 {
			line = append(line, ',')
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	_, err := w.WriteString("]}\n")
	return err
}

// appendEntry appends the entry as one JSON object, fields in a fixed order.
func appendEntry(dst []byte, e *Entry) []byte {
	dst = append(dst, `{"cluster":`...)
	dst = appendString(dst, e.Key.Cluster)
	dst = append(dst, `,"node":`...)
	dst = appendString(dst, e.Key.Node)
	dst = append(dst, `,"benchmark":`...)
	dst = appendString(dst, e.Key.Benchmark)
	dst = append(dst, `,"target":`...)
	dst = appendString(dst, string(e.Key.Target))
	dst = append(dst, `,"id":`...)
	dst = appendString(dst, e.Key.ID)
	dst = append(dst, `,"status":`...)
	dst = appendString(dst, e.Status.String())
	dst = append(dst, `,"text":`...)
	dst = appendString(dst, e.Text)
	return append(dst, '}')
}

// appendString appends s as a JSON string. It escapes what JSON requires
// and, like encoding/json, invalid UTF-8 and U+2028/U+2029; it leaves <, >
// and & alone so that descriptions stay readable in a diff.
func appendString(dst []byte, s string) []byte {
	q, err := json.Marshal(s)
	if err != nil { // a string always marshals
		return append(dst, `""`...)
	}
	// json.Marshal escapes <, > and & as \u003c, \u003e, \u0026: undo it.
	for i := 0; i < len(q); i++ {
		if q[i] == '\\' && i+5 < len(q) && q[i+1] == 'u' && q[i+2] == '0' && q[i+3] == '0' {
			switch string(q[i+4 : i+6]) {
			case "3c":
				dst = append(dst, '<')
				i += 5
				continue
			case "3e":
				dst = append(dst, '>')
				i += 5
				continue
			case "26":
				dst = append(dst, '&')
				i += 5
				continue
			}
		}
		if q[i] == '\\' && i+1 < len(q) { // copy any other escape whole
			dst = append(dst, q[i], q[i+1])
			i++
			continue
		}
		dst = append(dst, q[i])
	}
	return dst
}

func valid(s benchresult.Status) bool {
	_, err := s.MarshalText()
	return err == nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	return n, err
}

// Clusters lists the clusters the baseline holds entries for, sorted; ""
// stands for results recorded without a cluster name.
func (b *Baseline) Clusters() []string {
	var out []string
	for i := range b.Entries {
		if c := b.Entries[i].Key.Cluster; !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// CheckCluster reports, as one line, a baseline that holds entries but
// none for cluster: gated as it is, every baseline FAIL would look gone
// and every current FAIL new. It is nil for a legacy or empty baseline,
// else a [*ClusterError].
func (b *Baseline) CheckCluster(cluster string) error {
	cs := b.Clusters()
	if b.Legacy || len(cs) == 0 || slices.Contains(cs, cluster) {
		return nil
	}
	return &ClusterError{Have: cs, Want: cluster}
}

// ClusterError is a baseline that holds other clusters than the gated one.
type ClusterError struct {
	Have []string // the clusters the baseline holds, sorted
	Want string   // the cluster gated
}

// Error words the fix for the command line (--cluster).
func (e *ClusterError) Error() string { return e.Message("gate with --cluster ") }

// Message words the error with the caller's way to name the cluster:
// fix is followed by the baseline's first cluster ("gate with --cluster "
// on the command line, "set the action's cluster input to " in the Action).
func (e *ClusterError) Message(fix string) string {
	return fmt.Sprintf("the baseline holds %s and none for %s: %s%s, or write a baseline of %s",
		clusterList(e.Have), clusterName(e.Want), fix, flagValue(e.Have[0]), clusterName(e.Want))
}

// clusterName is how a message names a cluster: quoted, or "no cluster"
// for results recorded without --cluster.
func clusterName(c string) string {
	if c == "" {
		return "no cluster (no --cluster)"
	}
	return "cluster " + strconv.Quote(c)
}

func clusterList(cs []string) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = strconv.Quote(c)
		if c == "" {
			names[i] = `"" (no --cluster)`
		}
	}
	if len(cs) == 1 {
		return "cluster " + names[0]
	}
	return "clusters " + strings.Join(names, ", ")
}

func flagValue(c string) string {
	if c == "" {
		return `""`
	}
	return c
}
