package metrics_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bench-action/bench-action/metrics"
)

// series gathers a registry into "name{labels}" → value, labels sorted as
// the text format prints them.
func series(t *testing.T, g prometheus.Gatherer) map[string]float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var ls []string
			for _, lp := range m.GetLabel() {
				ls = append(ls, fmt.Sprintf("%s=%q", lp.GetName(), lp.GetValue()))
			}
			out[mf.GetName()+"{"+strings.Join(ls, ",")+"}"] = m.GetGauge().GetValue()
		}
	}
	return out
}

func sumOf(s map[string]float64, name string) float64 {
	var n float64
	for k, v := range s {
		if strings.HasPrefix(k, name+"{") {
			n += v
		}
	}
	return n
}

// kubeBenchTotals reads the fixtures' TOTALS.tsv: kube-bench's own pass,
// fail and warn totals for every file, in every format (the metrics have
// no INFO series).
func kubeBenchTotals(t *testing.T) map[string][3]int {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtureDir, "TOTALS.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][3]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		cells := strings.Split(sc.Text(), "\t")
		if line == 1 {
			if sc.Text() != "file\tformat\tpass\tfail\twarn\tinfo" {
				t.Fatalf("TOTALS.tsv header %q", sc.Text())
			}
			continue
		}
		if len(cells) != 6 {
			t.Fatalf("TOTALS.tsv:%d: %d cells, want 6", line, len(cells))
		}
		var v [3]int
		for i := range v {
			v[i], err = strconv.Atoi(cells[i+2])
			if err != nil {
				t.Fatalf("TOTALS.tsv:%d: %v", line, err)
			}
		}
		out[cells[0]] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("read only %d totals from TOTALS.tsv", len(out))
	}
	return out
}

func TestMetricsEqualKubeBenchCounts(t *testing.T) {
	t.Parallel()
	for file, want := range kubeBenchTotals(t) {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			reg, err := metrics.OfReport(report(t, "c1", "n1", file), day0, nil)
			if err != nil {
				t.Fatal(err)
			}
			s := series(t, reg)
			got := [3]int{int(sumOf(s, "kube_bench_pass_total")), int(sumOf(s, "kube_bench_fail_total")), int(sumOf(s, "kube_bench_warn_total"))}
			if got != want {
				t.Errorf("pass, fail, warn = %v; kube-bench counted %v", got, want)
			}
			if ts := s[`kube_bench_run_timestamp{cluster="c1"}`]; ts != float64(day0.Unix()) {
				t.Errorf("run timestamp %v", ts)
			}
		})
	}
}

func TestMetricsCheckStatus(t *testing.T) {
	t.Parallel()
	insecure, err := metrics.OfReport(report(t, "prod", "cp-1", "v0.14.1-cis-1.10-insecure.json"), day0, nil)
	if err != nil {
		t.Fatal(err)
	}
	hardened, err := metrics.OfReport(report(t, "prod", "cp-1", "v0.14.1-cis-1.10-hardened.json"), day0, nil)
	if err != nil {
		t.Fatal(err)
	}
	fleet, err := metrics.OfReport(report(t, "prod", "cp-1", "v0.14.1-cis-1.10-mixed.json", "worker-1", "v0.14.1-cis-1.10-mixed-node.json"), day0,
		[]metrics.ExceptionDate{
			{CheckID: "1.2.11", Owner: "platform-team", ReviewDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
			{CheckID: "1.2.11", Owner: "platform-team", ReviewDate: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)},
		})
	if err != nil {
		t.Fatal(err)
	}
	si, sh, sf := series(t, insecure), series(t, hardened), series(t, fleet)
	st := func(s map[string]float64, id string) (float64, bool) {
		v, ok := s[fmt.Sprintf(`kube_bench_check_status{check_id=%q,cluster="prod"}`, id)]
		return v, ok
	}
	for _, tt := range []struct {
		name string
		s    map[string]float64
		id   string
		want float64
	}{
		{"1.2.1 is manual in cis-1.10: WARN when anonymous auth is on", si, "1.2.1", -1},
		{"1.2.1 passes when hardened", sh, "1.2.1", 1},
		{"etcd TLS 2.1 fails when insecure", si, "2.1", 0},
		{"etcd client auth 2.2 fails when insecure", si, "2.2", 0},
		{"etcd TLS passes when hardened", sh, "2.1", 1},
		{"4.1.9 passes on cp-1 but fails on worker-1: worst wins", sf, "4.1.9", 0},
	} {
		if got, ok := st(tt.s, tt.id); !ok || got != tt.want {
			t.Errorf("%s: check_status = %v (present %v), want %v", tt.name, got, ok, tt.want)
		}
	}
	if got := sf[`kube_bench_exception_review_timestamp{check_id="1.2.11",cluster="prod",owner="platform-team"}`]; got != float64(time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC).Unix()) {
		t.Errorf("review timestamp %v, want the earliest of the two", got)
	}
	// Every section has both a fail and a pass series, zeros included.
	for _, sec := range []string{"1", "2", "3", "4", "5"} {
		for _, name := range []string{"kube_bench_fail_total", "kube_bench_pass_total"} {
			if _, ok := sh[fmt.Sprintf(`%s{cluster="prod",section=%q}`, name, sec)]; !ok {
				t.Errorf("no %s for section %s", name, sec)
			}
		}
	}
}

func TestMetricsBadException(t *testing.T) {
	t.Parallel()
	if _, err := metrics.OfReport(report(t, "c", "n", "v0.14.1-cis-1.10-mixed-node.json"), day0, []metrics.ExceptionDate{{CheckID: "1.2.11"}}); err == nil {
		t.Error("exception without review date accepted")
	}
}

func exposition(t *testing.T) []byte {
	t.Helper()
	reg, err := metrics.OfReport(report(t, "prod", "cp-1", "v0.14.1-cis-1.10-insecure.json", "worker-1", "v0.14.1-cis-1.10-insecure-node.json"), day0,
		[]metrics.ExceptionDate{{CheckID: "1.2.11", Owner: "platform-team", ReviewDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := metrics.Write(&buf, reg); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	out := exposition(t)
	goldenFile(t, "metrics.prom", out)
	for _, name := range []string{"kube_bench_fail_total", "kube_bench_pass_total", "kube_bench_warn_total", "kube_bench_check_status", "kube_bench_run_timestamp", "kube_bench_exception_review_timestamp"} {
		if !bytes.Contains(out, []byte("# HELP "+name+" ")) || !bytes.Contains(out, []byte("# TYPE "+name+" gauge\n")) {
			t.Errorf("%s lacks HELP or TYPE", name)
		}
	}
}

func TestWriteTextfile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "kube_bench.prom")
	reg, err := metrics.OfReport(report(t, "prod", "cp-1", "v0.14.1-cis-1.10-mixed.json"), day0, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second write replaces the first
		if err := metrics.WriteTextfile(path, reg); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v: node_exporter must be able to read it", fi.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left in the directory: %v", entries)
	}
	var buf bytes.Buffer
	metrics.Write(&buf, reg)
	if data, _ := os.ReadFile(path); !bytes.Equal(data, buf.Bytes()) {
		t.Errorf("textfile differs from Write's output")
	}
	if err := metrics.WriteTextfile(filepath.Join(dir, "missing", "x.prom"), reg); err == nil || !strings.Contains(err.Error(), "missing/x.prom") {
		t.Errorf("error %v does not name the path", err)
	}
}

// tool finds a binary of Debian's prometheus packages, or skips.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(t, "%s not installed (apt-get install prometheus prometheus-pushgateway)", name)
	}
	return p
}

func TestPromtoolCheckMetrics(t *testing.T) {
	t.Parallel()
	promtool := tool(t, "promtool")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(exposition(t))
	out, err := cmd.CombinedOutput()
	// promtool 2.42 lints gauges whose names end in _total; those three
	// names are fixed by the design (the seed's), so those three lines are
	// expected. Anything else (a parse error, a missing HELP) fails.
	allowed := map[string]bool{}
	for _, n := range []string{"kube_bench_fail_total", "kube_bench_pass_total", "kube_bench_warn_total"} {
		allowed[n+` non-counter metrics should not have "_total" suffix`] = true
	}
	var other []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" && !allowed[l] {
			other = append(other, l)
		}
	}
	if len(other) > 0 || (err != nil && cmd.ProcessState.ExitCode() != 3) {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
	t.Logf("promtool check metrics: exit %d, %q", cmd.ProcessState.ExitCode(), out)
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestPushToRealPushgateway(t *testing.T) {
	t.Parallel()
	bin := tool(t, "prometheus-pushgateway")
	addr := freePort(t)
	cmd := exec.Command(bin, "--web.listen-address="+addr)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	// Wait for the gateway to answer, or to exit; no deadline (go test's
	// -timeout is the backstop), so a loaded machine only makes it slower.
	base := "http://" + addr
	client := &http.Client{}
	for {
		resp, err := client.Get(base + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case werr := <-exited:
			exited <- werr // for the cleanup
			t.Fatalf("pushgateway exited before it was ready (%v): last answer %v\n%s", werr, err, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	ctx := t.Context()
	push := func(fixtureFile string) {
		t.Helper()
		reg, err := metrics.OfReport(report(t, "prod", "cp-1", fixtureFile), day0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := metrics.Push(ctx, reg, metrics.PushOptions{URL: base, Job: "kube-bench", Cluster: "prod", Client: client}); err != nil {
			t.Fatal(err)
		}
	}
	scrape := func() string {
		t.Helper()
		resp, err := client.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	push("v0.14.1-cis-1.10-insecure.json")
	body := scrape()
	for _, want := range []string{
		`kube_bench_fail_total{cluster="prod",instance="",job="kube-bench",section="1"} 30`,
		`kube_bench_check_status{check_id="1.2.1",cluster="prod",instance="",job="kube-bench"} -1`,
		`kube_bench_check_status{check_id="2.1",cluster="prod",instance="",job="kube-bench"} 0`,
		`kube_bench_warn_total{cluster="prod",instance="",job="kube-bench"} 57`,
		fmt.Sprintf(`kube_bench_run_timestamp{cluster="prod",instance="",job="kube-bench"} %g`, float64(day0.Unix())),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("pushgateway /metrics lacks %s", want)
		}
	}
	// A second push replaces the group: the hardened run's values only.
	push("v0.14.1-cis-1.10-hardened.json")
	body = scrape()
	if want := `kube_bench_check_status{check_id="2.1",cluster="prod",instance="",job="kube-bench"} 1`; !strings.Contains(body, want) {
		t.Errorf("after the second push, /metrics lacks %s", want)
	}
	if err := metrics.Push(ctx, prometheus.NewRegistry(), metrics.PushOptions{URL: "http://" + freePort(t), Job: "kube-bench", Cluster: "prod", Client: client}); err == nil {
		t.Error("push to a closed port succeeded")
	}
}
