package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpus is benchresult's corpus of what real kube-bench releases printed,
// captured and pasted (tools/kube-bench-corpus/gen.sh), with kube-bench's
// own totals of each file in MANIFEST.tsv, counted by count.py and not by
// this module.
const corpus = "../../benchresult/testdata/corpus"

// TestCorpusThroughTheCLI runs `report --format json` and `gate` on every
// corpus file, as a user would, and holds the command line to issue 14's
// rule: no exit 0 with totals other than the input's own. A summary-only
// output is reported with its stated totals and refused by the gate (exit
// 2); an input that disagrees with itself is refused by both, and read by
// `report --trust-totals` with the totals it states.
func TestCorpusThroughTheCLI(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(corpus, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	outcomes := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 9 {
			t.Fatalf("MANIFEST.tsv:%d: %d columns, want 9", n, len(c))
		}
		file, stated, expect, totals := filepath.Join(corpus, filepath.FromSlash(c[0])), c[4], c[6], c[7]
		code, out, stderr := runCLI(t, "", "report", "--format", "json", file)
		got := ""
		if code == exitPass {
			got = jsonTotals(t, file, out)
		}
		gateCode, _, gateErr := runCLI(t, "", "gate", "--fail-on", "none", file)
		switch expect {
		case "read":
			if code != exitPass || got != totals {
				t.Errorf("report %s: exit %d, totals %q, want exit 0 and kube-bench's %s\n%s", c[0], code, got, totals, stderr)
			}
			if gateCode != exitPass {
				t.Errorf("gate --fail-on none %s: exit %d, want 0\n%s", c[0], gateCode, gateErr)
			}
		case "summary-only":
			if code != exitPass || got != stated {
				t.Errorf("report %s (summary only): exit %d, totals %q, want exit 0 and the stated %s\n%s", c[0], code, got, stated, stderr)
			}
			if gateCode != exitUsage || !strings.Contains(gateErr, "nothing to gate on") {
				t.Errorf("gate %s (summary only): exit %d, want 2 and \"nothing to gate on\":\n%s", c[0], gateCode, gateErr)
			}
		case "refuse:input-disagrees-with-itself":
			if code != exitUsage || !strings.Contains(stderr, "disagrees with itself") || gateCode != exitUsage {
				t.Errorf("report/gate %s: exit %d/%d, want 2/2 and \"disagrees with itself\":\n%s", c[0], code, gateCode, stderr)
			}
			trustCode, trusted, trustErr := runCLI(t, "", "report", "--trust-totals", "--format", "json", file)
			if trustCode != exitPass || jsonTotals(t, file, trusted) != stated {
				t.Errorf("report --trust-totals %s: exit %d, want 0 and the stated %s\n%s", c[0], trustCode, stated, trustErr)
			}
		default:
			t.Fatalf("MANIFEST.tsv:%d: unknown expectation %q", n, expect)
		}
		outcomes[fmt.Sprintf("%s: report exit %d, gate exit %d", expect, code, gateCode)]++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("outcomes: %v", outcomes)
}

// jsonTotals is the "totals" of a report's JSON as PASS/FAIL/WARN/INFO.
func jsonTotals(t *testing.T, file, out string) string {
	t.Helper()
	var doc struct {
		Totals struct{ Pass, Fail, Warn, Info int } `json:"totals"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("report --format json %s: %v", file, err)
	}
	tt := doc.Totals
	return fmt.Sprintf("%d/%d/%d/%d", tt.Pass, tt.Fail, tt.Warn, tt.Info)
}
