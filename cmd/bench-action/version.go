package main

import (
	"flag"
	"fmt"
	"runtime/debug"
	"strings"
)

// version, commit and commitDate are stamped at release time:
// .goreleaser.yaml builds with -buildvcs=false and
// -ldflags "-X main.version=v{{.Version}} -X main.commit={{.FullCommit}}
// -X main.commitDate={{.CommitDate}}", so that a release binary says what
// it was built from whatever the checkout around the build looked like.
// Without a stamp they come from the build information (see buildVersion).
var version, commit, commitDate string

// stamps is what the linker wrote into the variables above.
type stamps struct {
	version, commit, date string
}

func linkerStamps() stamps { return stamps{version: version, commit: commit, date: commitDate} }

func defineVersion(*flag.FlagSet) func(*env, []string) int {
	return func(e *env, pos []string) int {
		if len(pos) > 0 {
			return fail(e, "version", usageError("version takes no arguments"))
		}
		bi, _ := debug.ReadBuildInfo()
		fmt.Fprintln(e.stdout, "bench-action", versionLine(linkerStamps(), bi))
		return exitPass
	}
}

// buildVersion is the version that output formats record (SARIF's
// tool version).
func buildVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return moduleVersion(version, bi)
}

// moduleVersion is the stamp if there is one, else the main module's
// version from the build information: vX.Y.Z after `go install ...@vX.Y.Z`,
// a pseudo-version for a `go build` in a git checkout (Go 1.24 and
// later). "dev" when neither says anything: a build without VCS information.
func moduleVersion(stamp string, bi *debug.BuildInfo) string {
	if stamp != "" {
		return stamp
	}
	if bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// versionLine is the version followed by the commit and what the build
// information knows: "v1.2.3 (revision 0123456789ab, modified,
// 2026-01-02T03:04:05Z, go1.24.1)". The stamped commit and date stand in
// for the build information's vcs.revision and vcs.time when those are
// absent (a -buildvcs=false release build).
func versionLine(stamp stamps, bi *debug.BuildInfo) string {
	v := moduleVersion(stamp.version, bi)
	settings := map[string]string{}
	if bi != nil {
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
	}
	if settings["vcs.revision"] == "" {
		settings["vcs.revision"] = stamp.commit
	}
	if settings["vcs.time"] == "" {
		settings["vcs.time"] = stamp.date
	}
	var details []string
	if r := settings["vcs.revision"]; r != "" {
		details = append(details, "revision "+r[:min(len(r), 12)])
	}
	if settings["vcs.modified"] == "true" {
		details = append(details, "modified")
	}
	if t := settings["vcs.time"]; t != "" {
		details = append(details, t)
	}
	if bi != nil && bi.GoVersion != "" {
		details = append(details, bi.GoVersion)
	}
	if len(details) == 0 {
		return v
	}
	return v + " (" + strings.Join(details, ", ") + ")"
}
