package predict

import (
	"context"

	"github.com/bench-action/bench-action/baseline"
)

// Result is what kube-bench says of one sandbox node.
type Result struct {
	Node Node
	// Raw is kube-bench's JSON as it printed it in the sandbox.
	Raw []byte
	// Marked is kube-bench's JSON with the checks the files do not decide
	// marked (see [Mark]): what predict prints.
	Marked
}

// Predict runs kube-bench on each node in its own sandbox and marks what
// the files do not decide, taking those checks' statuses from base when it
// is not nil. benchmark is kube-bench's --benchmark ("": the benchmark
// kube-bench maps the node's Kubernetes version to).
func (s Sandbox) Predict(ctx context.Context, nodes []Node, benchmark string, base *baseline.Baseline) ([]Result, error) {
	var out []Result
	for _, n := range nodes {
		raw, err := s.Run(ctx, n, benchmark)
		if err != nil {
			return nil, err
		}
		m, err := Mark(raw, n, base)
		if err != nil {
			return nil, err
		}
		out = append(out, Result{Node: n, Raw: raw, Marked: m})
	}
	return out, nil
}
