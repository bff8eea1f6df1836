package predict

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
)

// DefaultKubeBench is the kube-bench release predict runs unless told
// otherwise: the one the action installs (action.yml's KUBE_BENCH_VERSION,
// release/kube-bench.sha256), so the CLI predicts what the action does.
// testdata/predicted-equals-real.md was the same check by check with
// v0.14.1 and with v0.15.6.
const DefaultKubeBench = "v0.15.6"

var releasePattern = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// Build makes the kube-bench release version (v0.15.6) from the Go module
// proxy, once: into cacheDir/kube-bench-VERSION/ (the binary kube-bench and
// its release's cfg/), and returns it. A later call finds it there. goCmd
// is the go command; env is its environment (GOPATH, GOMODCACHE, GOPROXY,
// GONOSUMDB=github.com/aquasecurity ... as the caller has them). The build
// happens in a throwaway module, since the proxy may not serve the module's
// version list (so `go install pkg@version` is not used).
func Build(ctx context.Context, goCmd string, env []string, cacheDir, version string) (KubeBench, error) {
	if !releasePattern.MatchString(version) {
		return KubeBench{}, fmt.Errorf("build kube-bench %q: not a release version like %s", version, DefaultKubeBench)
	}
	dir := filepath.Join(cacheDir, "kube-bench-"+version)
	kb := KubeBench{Binary: filepath.Join(dir, "kube-bench"), Cfg: filepath.Join(dir, "cfg")}
	if built(kb) {
		return kb, nil
	}
	fail := func(err error) (KubeBench, error) {
		return KubeBench{}, fmt.Errorf("build kube-bench %s into %s: %w", version, dir, err)
	}
	work, err := os.MkdirTemp(cacheDir, ".build-")
	if err != nil {
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			return fail(err)
		}
		if work, err = os.MkdirTemp(cacheDir, ".build-"); err != nil {
			return fail(err)
		}
	}
	defer os.RemoveAll(work)
	mod := "module kubebenchbuild\n\ngo 1.24\n\nrequire github.com/aquasecurity/kube-bench " + version + "\n"
	tools := "//go:build tools\n\npackage kubebenchbuild\n\nimport _ \"github.com/aquasecurity/kube-bench\"\n"
	if err := os.WriteFile(filepath.Join(work, "go.mod"), []byte(mod), 0o644); err != nil {
		return fail(err)
	}
	if err := os.WriteFile(filepath.Join(work, "tools.go"), []byte(tools), 0o644); err != nil {
		return fail(err)
	}
	run := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, goCmd, args...)
		cmd.Dir = work
		cmd.Env = append(env[:len(env):len(env)], "GOFLAGS=-mod=mod", "GOWORK=off")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go %s: %w: %s", args[0], err, lastLine(errb.String()))
		}
		return out.Bytes(), nil
	}
	bin := filepath.Join(work, "kube-bench")
	if _, err := run("build", "-trimpath", "-o", bin, "github.com/aquasecurity/kube-bench"); err != nil {
		return fail(err)
	}
	info, err := run("mod", "download", "-json", "github.com/aquasecurity/kube-bench@"+version)
	if err != nil {
		return fail(err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(info, &m); err != nil || m.Dir == "" {
		return fail(fmt.Errorf("go mod download: no module folder in %q", info))
	}
	stage := filepath.Join(work, "out")
	if err := os.MkdirAll(stage, 0o755); err != nil {
		return fail(err)
	}
	if err := os.Rename(bin, filepath.Join(stage, "kube-bench")); err != nil {
		return fail(err)
	}
	if err := os.CopyFS(filepath.Join(stage, "cfg"), os.DirFS(filepath.Join(m.Dir, "cfg"))); err != nil {
		return fail(err)
	}
	if err := filepath.WalkDir(filepath.Join(stage, "cfg"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o755)
		}
		return os.Chmod(p, 0o644) // the module cache's are read-only
	}); err != nil {
		return fail(err)
	}
	if err := os.Rename(stage, dir); err != nil {
		if built(kb) {
			return kb, nil // another build finished first
		}
		os.RemoveAll(dir) // a half-made one of an earlier run
		if err := os.Rename(stage, dir); err != nil {
			return fail(err)
		}
	}
	return kb, nil
}

// built reports whether kb's binary and cfg/config.yaml are there.
func built(kb KubeBench) bool {
	fi, err := os.Stat(filepath.Join(kb.Cfg, "config.yaml"))
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	fi, err = os.Stat(kb.Binary)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// Beside finds the cfg/ of a kube-bench binary as its release archive lays
// them out (kube-bench and cfg/ in one folder), or at kube-bench's default
// /etc/kube-bench/cfg.
func Beside(binary string) (KubeBench, error) {
	for _, cfg := range []string{filepath.Join(filepath.Dir(binary), "cfg"), "/etc/kube-bench/cfg"} {
		if fi, err := os.Stat(filepath.Join(cfg, "config.yaml")); err == nil && fi.Mode().IsRegular() {
			return KubeBench{Binary: binary, Cfg: cfg}, nil
		}
	}
	return KubeBench{}, fmt.Errorf("kube-bench %s: no cfg/config.yaml beside it (%s) nor in /etc/kube-bench/cfg", binary, filepath.Join(filepath.Dir(binary), "cfg"))
}
