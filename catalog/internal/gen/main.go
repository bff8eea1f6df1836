// Command gen builds the catalog's embedded data from kube-bench's own
// benchmark definitions: the cfg/ folder of every kube-bench release in
// [releases], fetched from the Go module proxy with
//
//	GONOSUMDB=github.com/aquasecurity GOFLAGS=-mod=mod go mod download -json github.com/aquasecurity/kube-bench@VERSION
//
// It is run by `go generate ./catalog` and by catalog/check-generated.sh,
// which regenerates into a temporary folder and compares. The output is
// deterministic: sorted, no timestamps, no paths of this machine.
//
// Usage:
//
//	go run ./internal/gen -out catalog.bin.gz
//	go run ./internal/gen -out catalog.bin.gz -cfg /path/to/kube-bench@   (reads PATHvVERSION/cfg, no download)
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// releases lists the kube-bench releases the catalog is built from, oldest
// first. The Go module proxy reachable from this project's CI answers
// "403 This module version is not available" for the other tags of
// v0.4.0 … v0.15.6 (v0.6.1, v0.6.9, v0.6.13, v0.6.14, v0.6.16, v0.6.18,
// v0.6.19, v0.7.0 … v0.7.3, v0.9.0, v0.9.3, v0.10.0 … v0.10.3, v0.10.5,
// v0.10.6, v0.11.0, v0.15.0, v0.15.2 … v0.15.4; `go list -m -versions` is
// refused too), so they are not listed: a listed release that cannot be
// fetched fails the generator rather than silently changing the catalog.
// A benchmark definition that only those releases shipped differs at most
// in wording from a neighbour that is listed.
var releases = []string{
	"v0.4.0",
	"v0.5.0",
	"v0.6.0",
	"v0.6.2",
	"v0.6.3",
	"v0.6.4",
	"v0.6.5",
	"v0.6.6",
	"v0.6.7",
	"v0.6.8",
	"v0.6.10",
	"v0.6.11",
	"v0.6.12",
	"v0.6.15",
	"v0.6.17",
	"v0.8.0",
	"v0.9.1",
	"v0.9.2",
	"v0.9.4",
	"v0.10.4",
	"v0.10.7",
	"v0.11.1",
	"v0.11.2",
	"v0.12.0",
	"v0.13.0",
	"v0.14.0",
	"v0.14.1",
	"v0.15.1",
	"v0.15.5",
	"v0.15.6",
}

const module = "github.com/aquasecurity/kube-bench"

func main() {
	out := flag.String("out", "catalog.bin.gz", "file to write")
	cfgRoot := flag.String("cfg", "", "read PREFIX+VERSION/cfg instead of downloading (PREFIX as in the module cache, e.g. $GOMODCACHE/github.com/aquasecurity/kube-bench@)")
	jsonOut := flag.String("json", "", "also write the parsed catalog as indented JSON to this file (for review; not committed)")
	flag.Parse()
	if err := run(*out, *cfgRoot, *jsonOut); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out, cfgRoot, jsonOut string) error {
	var snaps []snapshot
	var problems []error
	for _, v := range releases {
		dir, err := moduleDir(v, cfgRoot)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		s, err := readSnapshot(v, filepath.Join(dir, "cfg"))
		if err != nil {
			problems = append(problems, err)
			continue
		}
		snaps = append(snaps, s)
	}
	if err := errors.Join(problems...); err != nil {
		return err
	}
	cat := build(snaps)
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	// The zero Header: no name, no modification time, so the bytes
	// depend only on the data.
	if _, err := zw.Write(encode(cat)); err != nil {
		return fmt.Errorf("compress: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress: %w", err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	if jsonOut != "" {
		b, err := json.MarshalIndent(cat, "", " ")
		if err != nil {
			return fmt.Errorf("write %s: %w", jsonOut, err)
		}
		if err := os.WriteFile(jsonOut, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", jsonOut, err)
		}
	}
	fmt.Fprintf(os.Stderr, "gen: %d kube-bench releases, %d benchmarks, %d definitions, %d bytes\n",
		len(cat.Releases), len(cat.Benchmarks), cat.definitions(), buf.Len())
	return nil
}

// moduleDir returns the folder of kube-bench at version v in the module
// cache, downloading it when needed.
func moduleDir(v, cfgRoot string) (string, error) {
	if cfgRoot != "" {
		return cfgRoot + v, nil
	}
	// Run outside any module so that go.mod of this project is neither
	// read nor touched.
	tmp, err := os.MkdirTemp("", "catalog-gen-")
	if err != nil {
		return "", fmt.Errorf("download %s@%s: %w", module, v, err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "mod", "download", "-json", module+"@"+v)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GONOSUMDB=github.com/aquasecurity", "GOFLAGS=-mod=mod", "GO111MODULE=on")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	var info struct {
		Dir   string
		Error string
	}
	if jerr := json.Unmarshal(stdout, &info); jerr != nil && err == nil {
		err = jerr
	}
	if info.Error != "" {
		return "", fmt.Errorf("download %s@%s: %s", module, v, info.Error)
	}
	if err != nil {
		return "", fmt.Errorf("download %s@%s: %w: %s", module, v, err, strings.TrimSpace(stderr.String()))
	}
	if info.Dir == "" {
		return "", fmt.Errorf("download %s@%s: go mod download printed no Dir", module, v)
	}
	return info.Dir, nil
}
