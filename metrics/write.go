package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Write writes the gathered metrics in the Prometheus text exposition
// format, metric families in name order.
func Write(w io.Writer, g prometheus.Gatherer) error {
	mfs, err := g.Gather()
	if err != nil {
		return fmt.Errorf("gather metrics: %w", err)
	}
	sort.Slice(mfs, func(i, j int) bool { return mfs[i].GetName() < mfs[j].GetName() })
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return fmt.Errorf("write metrics: %w", err)
		}
	}
	return nil
}

// WriteTextfile writes the metrics for node_exporter's textfile collector:
// to a temporary file in the same directory (its name does not end in
// .prom, so the collector skips it), made readable by all, then renamed
// over path, so the collector never reads half a file. path should end in
// ".prom".
func WriteTextfile(path string, g prometheus.Gatherer) error {
	if err := prometheus.WriteToTextfile(path, g); err != nil {
		return fmt.Errorf("write metrics textfile %s: %w", path, err)
	}
	return nil
}

// PushOptions say where [Push] sends the metrics.
type PushOptions struct {
	// URL is the Pushgateway's base URL ("http://pushgateway:9091").
	URL string
	// Job is the job name of the group (required).
	Job string
	// Cluster is the cluster label of the group; every series pushed must
	// carry it (or no cluster label).
	Cluster string
	// Client sends the request (nil: http.DefaultClient).
	Client *http.Client
}

// Push replaces the metrics of the group {opts.Job, opts.Cluster} on the
// Pushgateway at opts.URL (an HTTP PUT: series of an earlier run that this
// run no longer has are removed).
func Push(ctx context.Context, g prometheus.Gatherer, opts PushOptions) error {
	url, job, cluster, client := opts.URL, opts.Job, opts.Cluster, opts.Client
	if job == "" {
		return errors.New("push metrics: no job name")
	}
	// The Pushgateway adds the grouping labels to every series itself and
	// refuses series that already carry them: take cluster off.
	strip := prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		mfs, err := g.Gather()
		for _, mf := range mfs {
			for _, m := range mf.Metric {
				kept := m.Label[:0]
				for _, lp := range m.Label {
					if lp.GetName() != "cluster" {
						kept = append(kept, lp)
					} else if lp.GetValue() != cluster {
						return nil, fmt.Errorf("series %s is of cluster %q, not %q", mf.GetName(), lp.GetValue(), cluster)
					}
				}
				m.Label = kept
			}
		}
		return mfs, err
	})
	p := push.New(url, job).Grouping("cluster", cluster).Gatherer(strip)
	if client != nil {
		p = p.Client(client)
	}
	if err := p.PushContext(ctx); err != nil {
		return fmt.Errorf("push metrics to %s: %w", url, err)
	}
	return nil
}
