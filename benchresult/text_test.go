package benchresult

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTextGolden(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"v0.14.1-cis-1.10-mixed.txt", "v0.14.1-cis-1.10-insecure.txt"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			nr, err := ParseBytes(fixture(t, name), name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if nr.Format != FormatText {
				t.Errorf("format %s, want text", nr.Format)
			}
			goldenDump(t, name+".golden", dump(nr))
		})
	}
}

// TestTextShapes feeds the same run as kubectl and kube-bench's flags
// change it, and wants the same checks.
func TestTextShapes(t *testing.T) {
	t.Parallel()
	real := string(fixture(t, "v0.14.1-cis-1.10-mixed.txt"))
	want, err := ParseBytes([]byte(real), "x.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	prefixAll := func(s string) string {
		lines := strings.SplitAfter(s, "\n")
		for i, l := range lines {
			if l != "" {
				lines[i] = "[pod/kube-bench-abc12/kube-bench] " + l
			}
		}
		return strings.Join(lines, "")
	}
	noSummary := regexp.MustCompile(`(?m)^== Summary [a-z]+ ==\n(\d+ checks [A-Z]+\n){4}\n?`)
	noRemediations := regexp.MustCompile(`(?ms)^== Remediations [a-z]+ ==\n.*?\n\n(== Summary)`)
	const logs = "W1126 22:25:01.123456   12345 util.go:293] Kubernetes version was not auto-detected\nI1126 22:25:01 some other log line\n\n"
	tests := []struct {
		name string
		in   string
	}{
		{"CRLF", strings.ReplaceAll(real, "\n", "\r\n")},
		{"kubectl logs with warnings first", logs + real},
		{"kubectl logs with a warning between targets", strings.Replace(real, "\n[INFO] 4 Worker", "\nW1126 22:25:02 warning in between\n[INFO] 4 Worker", 1)},
		{"kubectl logs --prefix", prefixAll(logs + real)},
		{"kubectl logs --prefix CRLF", strings.ReplaceAll(prefixAll(real), "\n", "\r\n")},
		{"--nosummary", noSummary.ReplaceAllString(real, "")},
		{"--noremediations", noRemediations.ReplaceAllString(real, "$1")},
		{"--include-test-output", strings.Replace(real, "[FAIL] 4.1.1 Ensure that the kubelet service file permissions are set to 600 or more restrictive (Automated)\n", "[FAIL] 4.1.1 Ensure that the kubelet service file permissions are set to 600 or more restrictive (Automated)\n\t permissions=644\n\t \n\t [PASS] 4.1.99 audit output that looks like a result\n", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.in == real {
				t.Fatal("the transformation changed nothing")
			}
			got, err := ParseBytes([]byte(tt.in), "x.txt", Options{})
			if err != nil {
				t.Fatal(err)
			}
			opt := cmp.Options{}
			if tt.name == "--noremediations" {
				opt = cmp.Options{cmp.FilterPath(func(p cmp.Path) bool {
					return p.Last().String() == ".Remediation" || p.Last().String() == ".Reason"
				}, cmp.Ignore())}
			}
			if d := cmp.Diff(want.Checks, got.Checks, opt); d != "" {
				t.Errorf("checks differ (-want +got):\n%s", d)
			}
		})
	}
}

func TestTextCases(t *testing.T) {
	t.Parallel()
	type row struct {
		Target  Target
		Section string
		ID      string
		Status  Status
		Reason  string
		Remedy  string
	}
	tests := []struct {
		name     string
		in       string
		want     []row
		wantErr  string
		sentinel error
	}{
		{
			name: "two-level ids of rh-0.7 with INFO checks",
			in: "[INFO] 1 Securing the OpenShift Master\n[INFO] 1 Protecting the API Server\n[INFO] 1.1 Use a skipped check\n[PASS] 1.2 Something\n" +
				"[INFO] 2 Scheduler\n[INFO] 2.1 Skipped too\n\n== Summary master ==\n1 checks PASS\n0 checks FAIL\n0 checks WARN\n2 checks INFO\n\n",
			want: []row{{TargetMaster, "1", "1.1", Info, "", ""}, {TargetMaster, "1", "1.2", Pass, "", ""}, {TargetMaster, "2", "2.1", Info, "", ""}},
		},
		{
			name: "eks-stig V- ids, INFO checks in a group",
			in: "[INFO] 5 Managed Services\n[INFO] 5.1 Group one\n[INFO] V-242386 The API server must not have the insecure port flag set\n[WARN] V-242388 Manual\n" +
				"[INFO] 5.2 Group two\n[INFO] V-242376 skipped\n\n== Remediations managedservices ==\nV-242388 Do it by hand\n\n",
			want: []row{{TargetManagedServices, "5.1", "V-242386", Info, "", ""}, {TargetManagedServices, "5.1", "V-242388", Warn, "", "Do it by hand"}, {TargetManagedServices, "5.2", "V-242376", Info, "", ""}},
		},
		{
			name: "a WARN whose audit did not run, multi-line reason",
			in: "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[FAIL] 4.2.1 anon\n[WARN] 4.2.2 authz\n\n" +
				"== Remediations node ==\n4.2.1 Set --anonymous-auth=false\n\nthen restart.\n4.2.2 audit test did not run: failed to run: \"ps\", output: \"line one\nline two\", error: exit status 1\n\n" +
				"== Summary node ==\n0 checks PASS\n1 checks FAIL\n1 checks WARN\n0 checks INFO\n\n== Summary total ==\n0 checks PASS\n1 checks FAIL\n1 checks WARN\n0 checks INFO\n",
			want: []row{
				{TargetNode, "4.2", "4.2.1", Fail, "", "Set --anonymous-auth=false\n\nthen restart."},
				{TargetNode, "4.2", "4.2.2", Warn, "failed to run: \"ps\", output: \"line one\nline two\", error: exit status 1", ""},
			},
		},
		{
			name: "target without groups (tests: null) and the target from its description",
			in:   "[INFO] 1 Control Plane Components\n\n[INFO] 3 Worker Nodes\n[INFO] 3.1 Files\n[PASS] 3.1.1 ok\n\n",
			want: []row{{TargetNode, "3.1", "3.1.1", Pass, "", ""}},
		},
		{
			name:    "target summary disagrees",
			in:      "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[PASS] 4.2.1 anon\n\n== Summary node ==\n2 checks PASS\n0 checks FAIL\n0 checks WARN\n0 checks INFO\n",
			wantErr: "line 5: the input disagrees with itself: the summary of target node says 2 PASS, 0 FAIL, 0 WARN, 0 INFO but its results count 1 PASS, 0 FAIL, 0 WARN, 0 INFO",
		},
		{
			name:    "total disagrees",
			in:      "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[PASS] 4.2.1 anon\n\n== Summary total ==\n1 checks PASS\n1 checks FAIL\n0 checks WARN\n0 checks INFO\n",
			wantErr: "line 5: the input disagrees with itself: \"== Summary total ==\" says 1 PASS, 1 FAIL, 0 WARN, 0 INFO but its results count 1 PASS, 0 FAIL",
		},
		{
			name:    "duplicate id",
			in:      "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[PASS] 4.2.1 anon\n[FAIL] 4.2.1 anon\n\n",
			wantErr: "appears twice",
		},
		{
			name:    "check before a target heading",
			in:      "some log\n[FAIL] 4.2.1 anon\n",
			wantErr: "line 2: [FAIL] 4.2.1 outside of a target",
		},
		{
			name:     "log lines that look like results only",
			in:       "[INFO] Starting the scan\n[INFO] done\n",
			wantErr:  "looks like plain text",
			sentinel: ErrNotKubeBench,
		},
		{
			name:    "unknown target",
			in:      "[INFO] 9 Something Else\n[INFO] 9.1 G\n[PASS] V-1 x\n\n",
			wantErr: "cannot tell which kube-bench target",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			nr, err := ParseBytes([]byte(tt.in), "case.txt", Options{})
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, want %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "case.txt") {
					t.Errorf("error %q, want it to name case.txt and say %q", err, tt.wantErr)
				}
				if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
					t.Errorf("error %v does not wrap %v", err, tt.sentinel)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []row
			for _, c := range nr.Checks {
				got = append(got, row{c.Target, c.Section, c.ID, c.Status, c.Reason, c.Remediation})
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestTextLineLimit(t *testing.T) {
	t.Parallel()
	in := "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[PASS] 4.2.1 " + strings.Repeat("x", 2000) + "\n\n"
	_, err := ParseBytes([]byte(in), "long.txt", Options{MaxLineBytes: 1000})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "long.txt: line 3:") {
		t.Fatalf("got %v, want ErrTooLarge on line 3 of long.txt", err)
	}
}
