package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestReportTotalsEqualKubeBench runs `report --format json` on every real
// kube-bench output in benchresult/testdata/kube-bench and compares the
// totals with kube-bench's own (TOTALS.tsv, extracted from kube-bench's
// output by tools/kube-bench-fixtures, not by bench-action).
func TestReportTotalsEqualKubeBench(t *testing.T) {
	t.Parallel()
	dir := "../../benchresult/testdata/kube-bench"
	f, err := os.Open(filepath.Join(dir, "TOTALS.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 6 {
			t.Fatalf("TOTALS.tsv line %q", sc.Text())
		}
		name := cols[0]
		want := map[string]int{}
		for i, k := range []string{"pass", "fail", "warn", "info"} {
			want[k], _ = strconv.Atoi(cols[2+i])
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, out, stderr := runCLI(t, "", "report", "--format", "json", "node="+filepath.Join(dir, name))
			if code != exitPass {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var doc struct{ Totals map[string]int }
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			for k, v := range want {
				if doc.Totals[k] != v {
					t.Errorf("%s: totals.%s = %d, kube-bench says %d", name, k, doc.Totals[k], v)
				}
			}
		})
		n++
	}
	if n < 40 {
		t.Errorf("only %d fixtures in TOTALS.tsv", n)
	}
}
