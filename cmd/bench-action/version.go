package main

import (
	"flag"
	"fmt"
	"runtime/debug"
	"strings"
)

// version is stamped at release time: .goreleaser.yaml builds with
// -ldflags "-X main.version={{.Version}}". Without a stamp the version
// comes from the build information (see buildVersion).
var version string

func defineVersion(*flag.FlagSet) func(*env, []string) int {
	return func(e *env, pos []string) int {
		if len(pos) > 0 {
			return fail(e, "version", usageError("version takes no arguments"))
		}
		bi, _ := debug.ReadBuildInfo()
		fmt.Fprintln(e.stdout, "bench-action", versionLine(version, bi))
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

// versionLine is the version followed by what the build information
// knows: "v1.2.3 (revision 0123456789ab, modified, 2026-01-02T03:04:05Z, go1.24.1)".
func versionLine(stamp string, bi *debug.BuildInfo) string {
	v := moduleVersion(stamp, bi)
	if bi == nil {
		return v
	}
	var details []string
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if r := settings["vcs.revision"]; r != "" {
		details = append(details, "revision "+r[:min(len(r), 12)])
	}
	if settings["vcs.modified"] == "true" {
		details = append(details, "modified")
	}
	if t := settings["vcs.time"]; t != "" {
		details = append(details, t)
	}
	if bi.GoVersion != "" {
		details = append(details, bi.GoVersion)
	}
	if len(details) == 0 {
		return v
	}
	return v + " (" + strings.Join(details, ", ") + ")"
}
