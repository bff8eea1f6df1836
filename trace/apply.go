package trace

import (
	"fmt"
	"sort"
	"strings"
)

// Apply applies edits of one file to its content: each edit's lines must
// hold its Old text. Edits may come in any order; they must not overlap.
func Apply(content []byte, edits []Edit) ([]byte, error) {
	s := strings.ReplaceAll(string(content), "\r\n", "\n")
	lines := strings.Split(s, "\n")
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Line > sorted[j].Line })
	prev := len(lines) + 1
	for _, e := range sorted {
		end := e.EndLine
		if end == 0 {
			end = e.Line
		}
		if e.Line < 1 || end < e.Line || end > len(lines) {
			return nil, fmt.Errorf("apply edit to %s: lines %d-%d outside the file's %d lines", e.File, e.Line, end, len(lines))
		}
		if end >= prev {
			return nil, fmt.Errorf("apply edit to %s: lines %d-%d overlap another edit", e.File, e.Line, end)
		}
		if old := strings.Join(lines[e.Line-1:end], "\n"); old != e.Old {
			return nil, fmt.Errorf("apply edit to %s: line %d is %q, not %q", e.File, e.Line, old, e.Old)
		}
		var repl []string
		if e.New != "" {
			repl = strings.Split(e.New, "\n")
		}
		lines = append(lines[:e.Line-1], append(repl, lines[end:]...)...)
		prev = e.Line
	}
	return []byte(strings.Join(lines, "\n")), nil
}
