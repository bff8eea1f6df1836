package predict

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuildRefusesWhatIsNotARelease(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"latest", "0.14.1", "v0.14", "v0.14.1; rm -rf /", ""} {
		if _, err := Build(context.Background(), "go", nil, t.TempDir(), v); err == nil || !strings.Contains(err.Error(), "not a release version") {
			t.Errorf("Build(%q): error %v, want it refused", v, err)
		}
	}
}

// TestBuildFindsItsCache: a release already in the cache is returned
// without running go (here a go that does not exist).
func TestBuildFindsItsCache(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rel := filepath.Join(dir, "kube-bench-v0.14.1")
	if err := os.MkdirAll(filepath.Join(rel, "cfg"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(rel, "cfg", "config.yaml"), []byte("---\n"), 0o644)
	os.WriteFile(filepath.Join(rel, "kube-bench"), []byte("#!/bin/sh\n"), 0o755)
	kb, err := Build(context.Background(), filepath.Join(dir, "no-go"), nil, dir, "v0.14.1")
	if err != nil || kb.Binary != filepath.Join(rel, "kube-bench") || kb.Cfg != filepath.Join(rel, "cfg") {
		t.Errorf("Build: %+v, %v", kb, err)
	}
	// without cfg/ it builds, and says which go failed
	os.RemoveAll(filepath.Join(rel, "cfg"))
	if _, err := Build(context.Background(), filepath.Join(dir, "no-go"), nil, dir, "v0.14.1"); err == nil || !strings.Contains(err.Error(), "build kube-bench v0.14.1") {
		t.Errorf("Build without cfg/: %v, want a build error", err)
	}
}

func TestBeside(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "kube-bench")
	if _, err := os.Stat("/etc/kube-bench/cfg/config.yaml"); err == nil {
		t.Log("this machine has /etc/kube-bench/cfg: not testing its absence")
	} else if _, err := Beside(bin); err == nil || !strings.Contains(err.Error(), "no cfg/config.yaml beside it") {
		t.Errorf("no cfg/: %v", err)
	}
	os.MkdirAll(filepath.Join(dir, "cfg"), 0o755)
	os.WriteFile(filepath.Join(dir, "cfg", "config.yaml"), []byte("---\n"), 0o644)
	if kb, err := Beside(bin); err != nil || kb.Cfg != filepath.Join(dir, "cfg") {
		t.Errorf("Beside: %+v, %v", kb, err)
	}
}
