package installtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// The release the fixtures stand for.
const (
	owner       = "bench-action/bench-action"
	tag         = "v1.2.3"
	commit      = "0123456789abcdef0123456789abcdef01234567" // stamped into the fixture binary
	commitDate  = "2026-12-01T23:00:00Z"
	releaseSHA  = "89abcdef0123456789abcdef0123456789abcdef" // github.action_ref of a SHA-pinned release commit
	otherSHA    = "fedcba9876543210fedcba9876543210fedcba98" // ... of a commit that is not a release
	kubeBench   = "0.15.6"
	wantVersion = "bench-action v1.2.3 (revision 0123456789ab, 2026-12-01T23:00:00Z, "
)

// platforms maps RUNNER_OS/RUNNER_ARCH to the asset the release has for it
// (.goreleaser.yaml: bench-action_<os>_<arch>[.exe]).
var platforms = map[string]string{
	"Linux/X64":     "bench-action_linux_amd64",
	"Linux/ARM64":   "bench-action_linux_arm64",
	"macOS/X64":     "bench-action_darwin_amd64",
	"macOS/ARM64":   "bench-action_darwin_arm64",
	"Windows/X64":   "bench-action_windows_amd64.exe",
	"Windows/ARM64": "bench-action_windows_arm64.exe",
}

var (
	binaryOnce sync.Once
	binaryData []byte
	binaryErr  error
)

// releaseBinary is bench-action for this machine, built as .goreleaser.yaml
// builds a release (stamped v1.2.3 and commit), once per test process.
func releaseBinary(t testing.TB) []byte {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "installtest-")
		if err != nil {
			binaryErr = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "bench-action")
		cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags",
			"-s -w -buildid= -X main.version="+tag+" -X main.commit="+commit+" -X main.commitDate="+commitDate,
			"-o", out, "./cmd/bench-action")
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("go build ./cmd/bench-action: %v\n%s", err, msg)
			return
		}
		binaryData, binaryErr = os.ReadFile(out)
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryData
}

// release is the files of one GitHub release, by name.
type release map[string][]byte

// newRelease is release v1.2.3: the real binary for this machine's asset,
// a stand-in for every other platform, checksums.txt over all of them.
func newRelease(t testing.TB, hostAsset string) release {
	t.Helper()
	r := release{}
	for _, a := range platforms {
		r[a] = []byte("stand-in for " + a + " of " + tag + "\n")
	}
	r[hostAsset] = releaseBinary(t)
	r["checksums.txt"] = r.checksums()
	return r
}

// checksums is checksums.txt as goreleaser writes it: "SHA256  NAME", sorted.
func (r release) checksums() []byte {
	var lines []string
	for name, data := range r {
		if name == "checksums.txt" {
			continue
		}
		lines = append(lines, sum(data)+"  "+name)
	}
	sort.Strings(lines)
	return []byte(strings.Join(lines, "\n") + "\n")
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// kubeBenchArchive is a stand-in for kube-bench's release archive: a
// kube-bench at the top that prints its version, and cfg/.
func kubeBenchArchive(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name, body string
		mode       int64
	}{
		{"cfg/", "", 0o755},
		{"cfg/config.yaml", "---\n", 0o644},
		{"kube-bench", "#!/bin/sh\necho 'kube-bench " + kubeBench + " (stand-in)'\n", 0o755},
	} {
		h := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(f.name, "/") {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// server is a loopback stand-in for GitHub's release downloads:
// <server>/<owner>/<repo>/releases/download/<tag>/<asset> answers with a
// redirect to the file, as github.com does (to its object storage).
type server struct {
	*httptest.Server
	files    map[string][]byte // by path /<owner>/<repo>/releases/download/<tag>/<asset>
	requests atomic.Int64      // downloads of bench-action's release files asked for
}

func newServer(t testing.TB) *server {
	t.Helper()
	s := &server{files: map[string][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/objects/", func(w http.ResponseWriter, r *http.Request) {
		data, ok := s.files[strings.TrimPrefix(r.URL.Path, "/objects")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(data)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.files[r.URL.Path]; !ok || !strings.Contains(r.URL.Path, "/releases/download/") {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/"+owner+"/") {
			s.requests.Add(1)
		}
		http.Redirect(w, r, "/objects"+r.URL.Path, http.StatusFound)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// publish serves the files of a release of repo under tag.
func (s *server) publish(repo, tag string, files release) {
	for name, data := range files {
		s.files["/"+repo+"/releases/download/"+tag+"/"+name] = data
	}
}

// tree is the action's checked-out commit as far as the install steps read
// it: release/VERSION, release/REPOSITORY, release/checksums.txt and
// release/kube-bench.sha256.
type tree struct {
	version    string // "" writes no release/VERSION
	repository string // "" writes no release/REPOSITORY
	checksums  []byte // nil writes no release/checksums.txt
	kubeBench  []byte
}

// write writes the tree into dir.
func (tr tree) write(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "release"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, "release", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if tr.version != "" {
		write("VERSION", []byte(tr.version+"\n"))
	}
	if tr.repository != "" {
		write("REPOSITORY", []byte(tr.repository+"\n"))
	}
	if tr.checksums != nil {
		write("checksums.txt", tr.checksums)
	}
	if tr.kubeBench != nil {
		write("kube-bench.sha256", tr.kubeBench)
	}
}

// standInGo is a directory holding a `go` that stands in for the toolchain
// in the source-build path: `go build -o OUT` writes a script that prints a
// version, and `go version` prints one.
func standInGo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	script := `#!/usr/bin/env bash
set -euo pipefail
if [ "${1:-}" = version ]; then echo "go version go0.0-stand-in"; exit 0; fi
out=""
while [ $# -gt 0 ]; do
  if [ "$1" = -o ]; then out=$2; shift; fi
  shift
done
[ -n "$out" ] || { echo "stand-in go: no -o" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
printf '#!/bin/sh\necho "bench-action dev (stand-in for a source build)"\n' > "$out"
chmod +x "$out"
`
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
