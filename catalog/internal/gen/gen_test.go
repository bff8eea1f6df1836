package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func snapshots(t *testing.T, versions ...string) []snapshot {
	t.Helper()
	var out []snapshot
	for _, v := range versions {
		s, err := readSnapshot(v, "testdata/"+v+"/cfg")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestBuild: definitions that two releases ship alike are one, with both
// releases; a changed text is a second definition; kube-bench's defaults
// (set: true) and its reading of keys (a capitalised "Remediation" is not
// read) are kept.
func TestBuild(t *testing.T) {
	c := build(snapshots(t, "v1", "v2"))
	if diff := cmp.Diff([]string{"v1", "v2"}, c.Releases); diff != "" {
		t.Errorf("releases (-want +got):\n%s", diff)
	}
	if len(c.Benchmarks) != 1 || c.Benchmarks[0].ID != "cis-9.0" {
		t.Fatalf("benchmarks: %+v", c.Benchmarks)
	}
	b := c.Benchmarks[0]
	if diff := cmp.Diff(releaseSet{true, true}, b.Known); diff != "" {
		t.Errorf("known (-want +got):\n%s", diff)
	}
	type row struct {
		ID, Section, Text, Remediation string
		Items                          []item
		Shipped                        releaseSet
	}
	var got []row
	for _, d := range b.Checks {
		got = append(got, row{d.ID, d.SectionID + "/" + d.SectionType, d.Text, d.Remediation, d.Items, d.Shipped})
	}
	want := []row{
		{"1.10.1", "1.10/", "Ensure that the --anonymous-auth argument is set to false (Manual)", "Set --anonymous-auth=false.\n",
			[]item{{Flag: "--anonymous-auth", Set: true, Op: "eq", Value: "false"}}, releaseSet{true, true}},
		{"1.10.2", "1.10/", "Ensure that the --profiling argument is set to false (Automated)", "",
			[]item{{Flag: "--profiling", Set: true, Op: "eq", Value: "false"}, {Flag: "--profiling", Set: false}}, releaseSet{true, false}},
		{"1.10.2", "1.10/", "Ensure the --profiling argument is false (Automated)", "",
			[]item{{Flag: "--profiling", Set: true, Op: "eq", Value: "false"}, {Flag: "--profiling", Set: false}}, releaseSet{false, true}},
		{"1.11.1", "1.11/skip", "A skipped group", "", nil, releaseSet{true, true}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
	var vars []string
	for _, v := range c.Variables {
		vars = append(vars, v.Name+"="+v.Default)
	}
	wantVars := []string{"$apiserverbin=kube-apiserver", "$apiserverconf=/etc/kubernetes/manifests/kube-apiserver.yaml", "$kubeletbin=kubelet", "$kubeletconf=/var/lib/kubelet/config.yaml"}
	if diff := cmp.Diff(wantVars, vars); diff != "" {
		t.Errorf("variables (-want +got):\n%s", diff)
	}
}

// TestEncodeDeterministic: the same input, the same bytes.
func TestEncodeDeterministic(t *testing.T) {
	a := encode(build(snapshots(t, "v1", "v2")))
	b := encode(build(snapshots(t, "v1", "v2")))
	if !bytes.Equal(a, b) || !bytes.HasPrefix(a, []byte(magic)) {
		t.Error("two encodings of one input differ")
	}
}

// TestReadProblems: every problem of a release is reported: an unknown
// key, a repeated id, a file kube-bench does not read.
func TestReadProblems(t *testing.T) {
	_, err := readSnapshot("bad", "testdata/bad/cfg")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"cfg/cis-9.0/extra.yaml: not a control file kube-bench reads",
		"cfg/cis-9.0/master.yaml: yaml: unmarshal errors",
		"field remedy not found",
		"cfg/cis-9.0/node.yaml: check id 1.10.1 repeats",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
