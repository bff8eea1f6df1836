package predict

import (
	"bytes"
	"debug/elf"
	"errors"
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
	exe, err := doNothing("amd64")
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(exe))
	if err != nil {
		t.Fatalf("not an ELF file: %v", err)
	}
	if f.Machine != elf.EM_X86_64 || f.Type != elf.ET_EXEC || len(f.Progs) != 1 || f.Progs[0].Type != elf.PT_LOAD || f.Progs[0].Filesz != uint64(len(exe)) {
		t.Errorf("machine %v, type %v, %d program headers", f.Machine, f.Type, len(f.Progs))
	}
	if f.Entry != f.Progs[0].Vaddr+64+56 {
		t.Errorf("entry %#x, want the code after the headers", f.Entry)
	}
	if _, err := doNothing("riscv64"); err == nil || !strings.Contains(err.Error(), "riscv64") {
		t.Errorf("riscv64: error %v, want one naming it", err)
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
