package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestGateFailedManualCheck: real kube-bench v0.14.1 results of one fake
// node, hardened, and the same node with one flag changed. cis-1.10's 1.2.1
// (--anonymous-auth) and 4.2.4 (--read-only-port) are Manual: kube-bench
// reports WARN when their test fails, PASS when it passes. A PASS → WARN of
// such a check is a new finding that fails the gate, unless --manual-as-warn.
func TestGateFailedManualCheck(t *testing.T) {
	t.Parallel()
	kb := "../../benchresult/testdata/kube-bench/"
	hardened := "cp-1=" + kb + "v0.14.1-cis-1.10-hardened.json"
	base := filepath.Join(t.TempDir(), "base.json")
	if code, _, stderr := runCLI(t, "", "baseline", "--output", base, "--cluster", "prod", hardened); code != exitPass {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct {
		name, profile, id, risk string
	}{
		{"anonymous auth", "hardened-anonymous", "1.2.1", "anonymous-api"},
		{"read-only port", "hardened-readonly", "4.2.4", "kubelet-read-only-port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := "cp-1=" + kb + "v0.14.1-cis-1.10-" + tc.profile + ".json"
			gate := []string{"gate", "--baseline", base, "--cluster", "prod"}

			code, out, stderr := runCLI(t, "", append(gate, "--format", "json", in)...)
			if code != exitFail {
				t.Fatalf("exit %d, want %d: %s\n%s", code, exitFail, stderr, out)
			}
			var doc struct {
				Counts map[string]int `json:"counts"`
				Checks []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
					Kind   string `json:"kind"`
					New    bool   `json:"new"`
					State  string `json:"state"`
					Risk   *struct {
						ID string `json:"id"`
					} `json:"risk"`
				} `json:"checks"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Counts["new"] != 1 || doc.Counts["failed_manual"] < 1 {
				t.Errorf("counts %v: want new 1 and failed_manual >= 1", doc.Counts)
			}
			var newIDs []string
			for _, c := range doc.Checks {
				if c.New {
					newIDs = append(newIDs, c.ID)
				}
				if c.ID != tc.id {
					continue
				}
				if c.Status != "WARN" || c.Kind != "failed-manual" || c.State != "open" || c.Risk == nil || c.Risk.ID != tc.risk {
					t.Errorf("%s: status %s kind %q state %q risk %+v; want WARN, failed-manual, open, %s", c.ID, c.Status, c.Kind, c.State, c.Risk, tc.risk)
				}
			}
			if strings.Join(newIDs, ",") != tc.id {
				t.Errorf("new findings %v, want only %s", newIDs, tc.id)
			}

			code, out, _ = runCLI(t, "", append(gate, in)...)
			if code != exitFail || !strings.Contains(out, "[failed, Manual in this benchmark] "+tc.id+" ") {
				t.Errorf("text: exit %d, want %d and %s named as failed Manual:\n%s", code, exitFail, tc.id, out)
			}

			// kube-bench's own reading: a WARN, not gated.
			if code, out, _ := runCLI(t, "", append(gate, "--manual-as-warn", in)...); code != exitPass {
				t.Errorf("--manual-as-warn: exit %d, want %d:\n%s", code, exitPass, out)
			}
			// The same node gated against itself: the failed test persists.
			self := filepath.Join(t.TempDir(), "self.json")
			if code, _, stderr := runCLI(t, "", "baseline", "--output", self, "--cluster", "prod", in); code != exitPass {
				t.Fatalf("baseline: exit %d: %s", code, stderr)
			}
			if code, out, _ := runCLI(t, "", "gate", "--baseline", self, "--cluster", "prod", in); code != exitPass {
				t.Errorf("against its own baseline: exit %d, want %d:\n%s", code, exitPass, out)
			}
		})
	}
}

// TestGateFixedManualCheck: the other way round, a failed Manual check of
// the baseline (1.2.1 or 4.2.4 WARN) whose test passes now is fixed, and
// counted as fixed, unless --manual-as-warn (then it is only a status
// change, as kube-bench reads it).
func TestGateFixedManualCheck(t *testing.T) {
	t.Parallel()
	kb := "../../benchresult/testdata/kube-bench/"
	hardened := "cp-1=" + kb + "v0.14.1-cis-1.10-hardened.json"
	for _, tc := range []struct{ profile, id string }{
		{"hardened-anonymous", "1.2.1"},
		{"hardened-readonly", "4.2.4"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			base := filepath.Join(t.TempDir(), "base.json")
			if code, _, stderr := runCLI(t, "", "baseline", "--output", base, "--cluster", "prod", "cp-1="+kb+"v0.14.1-cis-1.10-"+tc.profile+".json"); code != exitPass {
				t.Fatalf("baseline: exit %d: %s", code, stderr)
			}
			fixed := func(args ...string) (int, string) {
				t.Helper()
				code, out, stderr := runCLI(t, "", append([]string{"gate", "--baseline", base, "--cluster", "prod", "--format", "json"}, append(args, hardened)...)...)
				if code != exitPass {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				var doc struct {
					Counts   map[string]int `json:"counts"`
					Baseline struct {
						Fixed []struct {
							ID string `json:"id"`
						} `json:"fixed"`
					} `json:"baseline"`
				}
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Fatal(err)
				}
				ids := ""
				for _, f := range doc.Baseline.Fixed {
					ids += f.ID + " "
				}
				return doc.Counts["fixed"], ids
			}
			if n, ids := fixed(); n != 1 || ids != tc.id+" " {
				t.Errorf("fixed %d (%s), want 1 (%s)", n, ids, tc.id)
			}
			if n, ids := fixed("--manual-as-warn"); n != 0 {
				t.Errorf("--manual-as-warn: fixed %d (%s), want 0", n, ids)
			}
		})
	}
}
