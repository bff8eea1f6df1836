package predict

import (
	"bytes"
	"debug/elf"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestDoNothingIsAnExecutable(t *testing.T) {
	t.Parallel()
	for arch, machine := range map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64} {
		exe, err := doNothing(arch)
		if err != nil {
			t.Fatal(err)
		}
		f, err := elf.NewFile(bytes.NewReader(exe))
		if err != nil {
			t.Fatalf("%s: not an ELF file: %v", arch, err)
		}
		if f.Machine != machine || f.Type != elf.ET_EXEC || len(f.Progs) != 1 || f.Progs[0].Type != elf.PT_LOAD || f.Progs[0].Filesz != uint64(len(exe)) {
			t.Errorf("%s: machine %v, type %v, %d program headers", arch, f.Machine, f.Type, len(f.Progs))
		}
		if f.Entry != f.Progs[0].Vaddr+64+56 {
			t.Errorf("%s: entry %#x, want the code after the headers", arch, f.Entry)
		}
	}
	if _, err := doNothing("riscv64"); err == nil || !strings.Contains(err.Error(), "riscv64") {
		t.Errorf("riscv64: error %v, want one naming it", err)
	}
}

// TestDoNothingWaitsOnArm64: the arm64 executable, run by qemu-aarch64
// with its system calls traced, waits in ppoll(2) with no timeout and a
// signal ends it, having printed nothing of its own. qemu-user is a Debian
// package (.ci/run installs it).
func TestDoNothingWaitsOnArm64(t *testing.T) {
	qemu, err := exec.LookPath("qemu-aarch64")
	if err != nil {
		needTools(t, "qemu-aarch64 (Debian package qemu-user)")
	}
	t.Parallel()
	exe, _ := doNothing("arm64")
	bin := filepath.Join(t.TempDir(), "kubelet")
	if err := os.WriteFile(bin, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(qemu, "-strace", bin, "--config=/var/lib/kubelet/config.yaml", "--v", "2")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	trace, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// qemu prints a system call before it makes it: read up to the ppoll
	var seen bytes.Buffer
	buf := make([]byte, 512)
	for !bytes.Contains(seen.Bytes(), []byte("ppoll(0,0,0,0,0")) {
		n, err := trace.Read(buf)
		seen.Write(buf[:n])
		if err != nil {
			cmd.Wait()
			t.Fatalf("it ended before waiting in ppoll: %v; system calls:\n%s", err, seen.String())
		}
	}
	if calls := strings.Count(seen.String(), "("); calls != 1 {
		t.Errorf("%d system calls before the wait, want the ppoll alone:\n%s", calls, seen.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	rest, _ := io.ReadAll(trace)
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("wait: %v, want killed by SIGTERM; system calls:\n%s%s", err, seen.String(), rest)
	}
	if stdout.Len() > 0 {
		t.Errorf("it printed %q", stdout.String())
	}
}

// TestDoNothingWaits: started with a component's arguments it neither
// exits nor complains, and shows in /proc under its file's name with
// exactly its command line; a signal ends it.
func TestDoNothingWaits(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the do-nothing executable is for linux/amd64")
	}
	t.Parallel()
	exe, _ := doNothing("amd64")
	bin := filepath.Join(t.TempDir(), "kube-apiserver")
	if err := os.WriteFile(bin, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--anonymous-auth=false", "--audit-log-maxage", "30")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	// its state is "S (sleeping)" once it waits in pause(2)
	for {
		status, err := os.ReadFile(filepath.Join("/proc", itoa(pid), "status"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(status), "State:\tS") {
			break
		}
		runtime.Gosched()
	}
	comm, _ := os.ReadFile(filepath.Join("/proc", itoa(pid), "comm"))
	cmdline, _ := os.ReadFile(filepath.Join("/proc", itoa(pid), "cmdline"))
	if string(comm) != "kube-apiserver\n" {
		t.Errorf("comm %q", comm)
	}
	if want := bin + "\x00--anonymous-auth=false\x00--audit-log-maxage\x0030\x00"; string(cmdline) != want {
		t.Errorf("cmdline %q, want %q", cmdline, want)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("wait: %v, want killed by SIGTERM", err)
	}
	if out.Len() > 0 {
		t.Errorf("it printed %q", out.String())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
