package render

import (
	"strings"

	"github.com/bench-action/bench-action/benchresult"
)

// Benchmark is a benchmark id, or "-" when the output did not carry one
// (kube-bench's JUnit and text).
func Benchmark(b string) string {
	if b == "" {
		return "-"
	}
	return b
}

// Section is the check's group id, or, when the format did not carry
// it, the id without its last part ("1.2.3" → "1.2").
func Section(c *benchresult.Control) string {
	if c.Section != "" {
		return c.Section
	}
	if i := strings.LastIndexByte(c.ID, '.'); i > 0 {
		return c.ID[:i]
	}
	return c.ID
}

// NodeName is a check's node, or "(cluster)" for a cluster-wide check.
func NodeName(node string) string {
	if node == "" {
		return "(cluster)"
	}
	return node
}
