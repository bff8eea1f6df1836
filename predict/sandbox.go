package predict

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

//go:embed inside.sh
var insideScript []byte

// containerPath is the PATH a component's container gets when its manifest
// sets none (the runtimes' default for an image without one).
const containerPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// KubeBench is a kube-bench release to run: its binary and the cfg/ folder
// of the same release.
type KubeBench struct {
	Binary string
	Cfg    string
}

// Sandbox is how to build sandbox nodes on this machine.
type Sandbox struct {
	KubeBench KubeBench
	// Unshare and Bash are the paths of util-linux unshare and of bash.
	Unshare, Bash string
	// Sudo, when not empty, is the command that runs unshare as root
	// ("sudo", "-n"); empty when the caller is root.
	Sudo []string
	// GOARCH is the machine's architecture (runtime.GOARCH).
	GOARCH string
	// TempDir is where the node is staged (a folder of it is removed after).
	TempDir string
	// Stderr receives kube-bench's and the sandbox's messages.
	Stderr io.Writer
}

// Run builds node in private mount and PID namespaces and returns what
// kube-bench prints there with `run --targets ... --benchmark B --json`:
// kube-bench's own JSON, unchanged. With benchmark "", kube-bench chooses
// the benchmark of the node's Kubernetes version (--version).
func (s Sandbox) Run(ctx context.Context, node Node, benchmark string) ([]byte, error) {
	if err := node.validate(); err != nil {
		return nil, fmt.Errorf("predict: %w", err)
	}
	stage, err := os.MkdirTemp(s.TempDir, "bench-action-predict-")
	if err != nil {
		return nil, fmt.Errorf("predict node %s: stage: %w", node.Name, err)
	}
	defer os.RemoveAll(stage)
	if err := s.stage(stage, node, benchmark); err != nil {
		return nil, fmt.Errorf("predict node %s: stage: %w", node.Name, err)
	}
	env := []string{"STAGE=" + stage, "PATH=/usr/sbin:/usr/bin:/sbin:/bin"}
	args := []string{s.Unshare, "--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", s.Bash, filepath.Join(stage, "inside.sh")}
	if len(s.Sudo) > 0 {
		// sudo resets the environment: env sets it again as root
		args = slices.Concat(s.Sudo, []string{"env"}, env, args)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = env
	cmd.Dir = stage
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err = cmd.Run()
	if s.Stderr != nil {
		s.Stderr.Write(stderr.Bytes())
	}
	if err != nil {
		return nil, fmt.Errorf("predict node %s: run kube-bench in the sandbox: %w: %s", node.Name, err, lastLine(stderr.String()))
	}
	out := bytes.TrimSpace(stdout.Bytes())
	if len(out) == 0 || out[0] != '{' {
		return nil, fmt.Errorf("predict node %s: kube-bench printed no JSON: %s", node.Name, lastLine(stderr.String()+stdout.String()))
	}
	return stdout.Bytes(), nil
}

// stage writes everything the inside of the sandbox needs into dir.
func (s Sandbox) stage(dir string, node Node, benchmark string) error {
	exe, err := doNothing(s.GOARCH)
	if err != nil {
		return err
	}
	var errs []error
	write := func(name string, data []byte, mode os.FileMode) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			errs = append(errs, err)
			return
		}
		if err := os.WriteFile(p, data, mode); err != nil {
			errs = append(errs, err)
			return
		}
		errs = append(errs, os.Chmod(p, mode)) // not the umask's
	}
	write("inside.sh", insideScript, 0o755)
	write("donothing", exe, 0o755)
	write("roots", []byte(strings.Join(sandboxRoots, "\n")+"\n"), 0o644)
	args := []string{"run", "--targets", strings.Join(node.Targets, ","), "--json"}
	switch {
	case benchmark != "":
		args = append(args, "--benchmark", benchmark)
	case node.Version != "":
		args = append(args, "--version", node.Version)
	default:
		// kube-bench would ask kubectl and `kubelet --version` (which the
		// sandbox's kubelet never answers)
		return fmt.Errorf("no benchmark given, and the files name no Kubernetes version (an image tag like kube-apiserver:v1.30.2) to choose one by")
	}
	write("args", nulJoin(args), 0o644)
	for i, p := range node.Processes {
		env := p.Env
		if !hasVar(env, "PATH") {
			env = append([]string{containerPath}, env...)
		}
		if strings.Contains(p.Argv[0], "/") && path.Dir(p.Argv[0]) != "/usr/local/bin" {
			return fmt.Errorf("process %q: the sandbox runs components from /usr/local/bin or by name", p.Argv[0])
		}
		name := fmt.Sprintf("procs/%02d", i)
		write(name+"/argv", nulJoin(p.Argv), 0o644)
		write(name+"/env", nulJoin(env), 0o644)
	}
	for _, f := range node.Files {
		p := filepath.Join(dir, "root", filepath.FromSlash(f.Path))
		if f.Mode.IsDir() {
			errs = append(errs, os.MkdirAll(p, 0o755), os.Chmod(p, f.Mode.Perm()))
			continue
		}
		write(filepath.Join("root", filepath.FromSlash(f.Path)), f.Data, f.Mode.Perm())
	}
	for _, l := range []struct{ name, target string }{{"kube-bench", s.KubeBench.Binary}, {"cfg", s.KubeBench.Cfg}} {
		abs, err := filepath.Abs(l.target)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, os.Symlink(abs, filepath.Join(dir, l.name)))
	}
	return errors.Join(errs...)
}

func underRoots(p string) bool {
	for _, r := range sandboxRoots {
		if p == r || strings.HasPrefix(p, r+"/") {
			return true
		}
	}
	return false
}

func hasVar(env []string, name string) bool {
	for _, e := range env {
		if strings.HasPrefix(e, name+"=") {
			return true
		}
	}
	return false
}

func nulJoin(words []string) []byte {
	var b bytes.Buffer
	for _, w := range words {
		b.WriteString(w)
		b.WriteByte(0)
	}
	return b.Bytes()
}

// lastLine is the last non-empty line of s, quoted, for an error.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strconv.Quote(lines[len(lines)-1])
}
