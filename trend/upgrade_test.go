package trend_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/bench-action/bench-action/trend"
)

// upgradeHistory is the history of one fake node (the same insecure API
// server, etcd and kubelet) whose runs switch from cis-1.8 to cis-1.10 on
// the fourth day: kube-bench v0.14.1's real outputs of both benchmarks.
func upgradeHistory(t testing.TB) trend.History {
	t.Helper()
	old := report(t, "prod", "cp-1", "v0.14.1-cis-1.8-insecure.json")
	cur := report(t, "prod", "cp-1", "v0.14.1-cis-1.10-insecure.json")
	var h trend.History
	for d := 0; d < 5; d++ {
		r := old
		if d >= 3 {
			r = cur
		}
		h.Records = append(h.Records, trend.NewRecord(r, day0.Add(time.Duration(d)*24*time.Hour), trend.GateCounts{}))
	}
	return h
}

func TestUpgradeDump(t *testing.T) {
	h := upgradeHistory(t)
	var buf bytes.Buffer
	if err := trend.RenderMarkdown(&buf, h, trend.ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(os.Getenv("DUMP"), buf.Bytes(), 0o644)
}
