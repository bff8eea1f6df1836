package installtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// installCase is one way a workflow meets the install steps.
type installCase struct {
	name     string
	ref      string                  // github.action_ref
	repo     string                  // github.action_repository (the runner leaves it empty in composite steps)
	local    bool                    // a `uses: ./`: the action's path is inside the workspace
	tree     func(good release) tree // the action's checked-out commit
	serve    func(r release)         // tampers with the release the server publishes
	inputs   map[string]string       // with: of the action's step
	platform string                  // RUNNER_OS/RUNNER_ARCH; empty: this machine's
	// onlyInstall runs the first step alone: the binary it downloads is for
	// another platform and cannot run here.
	onlyInstall bool
	// tamperKubeBench serves a kube-bench archive that is not the pinned one.
	tamperKubeBench bool

	from      string   // the install step's "from" output: release or source; empty when a step fails
	failAt    string   // the step that fails
	log       []string // what the logs say
	setupGo   bool     // whether actions/setup-go's if: lets it run
	downloads int64    // requests for release files of bench-action
}

// result is what one run of the install steps did.
type result struct {
	runs    []stepRun
	from    string
	path    string        // the binary the last step would run
	version string        // its `version` output
	elapsed time.Duration // from the first install step to the version output
	server  *server
}

func (r result) log() string {
	var b strings.Builder
	for _, s := range r.runs {
		b.WriteString(s.log)
	}
	return b.String()
}

func (r result) step(id string) (stepRun, bool) {
	for _, s := range r.runs {
		if s.id == id {
			return s, true
		}
	}
	return stepRun{}, false
}

var (
	releaseTree = func(good release) tree {
		return tree{version: tag, repository: owner, checksums: good["checksums.txt"]}
	}
	devTree = func(release) tree { return tree{version: "dev"} }
)

func cases() []installCase {
	return []installCase{
		{name: "vX.Y.Z", ref: tag, repo: owner, tree: releaseTree,
			from: "release", downloads: 1, log: []string{"Using release binary", "of bench-action/bench-action v1.2.3 (ref v1.2.3)", wantVersion}},
		{name: "v1", ref: "v1", repo: owner, tree: releaseTree,
			from: "release", downloads: 1, log: []string{"of bench-action/bench-action v1.2.3 (ref v1)", wantVersion}},
		{name: "release SHA", ref: releaseSHA, repo: owner, tree: releaseTree,
			from: "release", downloads: 1, log: []string{"v1.2.3 (ref " + releaseSHA + ")", wantVersion}},
		{name: "non-release SHA", ref: otherSHA, repo: owner, tree: devTree,
			from: "source", setupGo: true, log: []string{"The action's commit is not a release commit (release/VERSION says 'dev'): building from source."}},
		{name: "local ./", local: true, tree: devTree,
			from: "source", setupGo: true, log: []string{"not a release commit (release/VERSION says 'dev'): building from source."}},
		{name: "local ./ of a release commit", local: true, tree: releaseTree,
			from: "source", setupGo: true, log: []string{"A local action (uses: ./, inside the workspace) runs its own source: building from source."}},
		{name: "v1, github.action_repository and _ref empty (actions/runner#2525)", tree: releaseTree,
			from: "release", downloads: 1, log: []string{"Using release binary bench-action_", " of bench-action/bench-action v1.2.3: sha256 ", wantVersion}},
		{name: "release commit without REPOSITORY, github.action_repository set", ref: "v1", repo: owner,
			tree: func(good release) tree { return tree{version: tag, checksums: good["checksums.txt"]} },
			from: "release", downloads: 1, log: []string{wantVersion}},
		{name: "release commit without REPOSITORY, nothing names it",
			tree:   func(good release) tree { return tree{version: tag, checksums: good["checksums.txt"]} },
			failAt: "install", log: []string{"Release v1.2.3 of the action names no repository to download it from (release/REPOSITORY says 'nothing')."}},
		{name: "a commit without release/VERSION", ref: otherSHA, repo: owner, tree: func(release) tree { return tree{} },
			from: "source", setupGo: true, log: []string{"(release/VERSION says 'nothing'): building from source."}},

		// Tampering.
		{name: "tampered binary", ref: "v1", repo: owner, tree: releaseTree,
			serve:  func(r release) { r[hostAssetOf(r)] = []byte("#!/bin/sh\necho pwned\n") },
			failAt: "install", downloads: 2,
			log: []string{"::error title=bench-action::bench-action_", " has sha256 ", "but release/checksums.txt of the action's commit says ",
				"The release's checksums.txt agrees with the action's commit: the downloaded file was replaced or damaged after the release.", "Refusing to run it."}},
		{name: "tampered release: binary and its checksums.txt replaced", ref: "v1", repo: owner, tree: releaseTree,
			serve: func(r release) {
				r[hostAssetOf(r)] = []byte("#!/bin/sh\necho pwned\n")
				r["checksums.txt"] = r.checksums()
			},
			failAt: "install", downloads: 2,
			log: []string{"but release/checksums.txt of the action's commit says ",
				"The release's checksums.txt lists the downloaded file: the release and the action's commit disagree", "Refusing to run it."}},
		{name: "tampered checksums file in the commit", ref: releaseSHA, repo: owner,
			tree: func(good release) tree {
				c := strings.Replace(string(good["checksums.txt"]), sum(good[hostAssetOf(good)]), strings.Repeat("0", 64), 1)
				return tree{version: tag, repository: owner, checksums: []byte(c)}
			},
			failAt: "install", downloads: 2,
			log: []string{"says " + strings.Repeat("0", 64) + ".", "The release's checksums.txt lists the downloaded file", "Refusing to run it."}},
		{name: "tampered checksums.txt of the release alone", ref: "v1", repo: owner, tree: releaseTree,
			serve: func(r release) { r["checksums.txt"] = []byte(strings.Repeat("f", 64) + "  " + hostAssetOf(r) + "\n") },
			from:  "release", downloads: 1, log: []string{"Using release binary", wantVersion}},
		{name: "tampered binary, build-from-source: on-mismatch", ref: "v1", repo: owner, tree: releaseTree,
			serve:  func(r release) { r[hostAssetOf(r)] = []byte("#!/bin/sh\necho pwned\n") },
			inputs: map[string]string{"build-from-source": "on-mismatch"},
			from:   "source", setupGo: true, downloads: 2,
			log: []string{"::warning title=bench-action::", "Building from source instead (build-from-source: on-mismatch).", "stand-in for a source build"}},
		{name: "release asset missing", ref: tag, repo: owner, tree: releaseTree,
			serve:  func(r release) { delete(r, hostAssetOf(r)) },
			failAt: "install", log: []string{"::error title=bench-action::Could not download ", "404", "The step fails rather than run anything else; build-from-source: on-mismatch would build from the action's source instead."}},
		{name: "release commit without checksums.txt", ref: tag, repo: owner, tree: func(release) tree { return tree{version: tag, repository: owner} },
			failAt: "install", log: []string{"Release v1.2.3 of the action has no release/checksums.txt, so its binary cannot be verified."}},

		// build-from-source.
		{name: "build-from-source: always", ref: tag, repo: owner, tree: releaseTree, inputs: map[string]string{"build-from-source": "always"},
			from: "source", setupGo: true, log: []string{"build-from-source is always: building from the action's source."}},
		{name: "build-from-source: sometimes", ref: tag, repo: owner, tree: releaseTree, inputs: map[string]string{"build-from-source": "sometimes"},
			failAt: "install", log: []string{"build-from-source is 'sometimes'; want never, on-mismatch or always."}},

		// Every platform of the release, and one without.
		{name: "Linux/X64", platform: "Linux/X64", onlyInstall: true, ref: "v1", repo: owner, tree: releaseTree, from: "release", downloads: 1},
		{name: "Linux/ARM64", platform: "Linux/ARM64", onlyInstall: true, ref: "v1", repo: owner, tree: releaseTree, from: "release", downloads: 1},
		{name: "macOS/X64", platform: "macOS/X64", onlyInstall: true, ref: "v1", repo: owner, tree: releaseTree, from: "release", downloads: 1},
		{name: "macOS/ARM64", platform: "macOS/ARM64", onlyInstall: true, ref: "v1", repo: owner, tree: releaseTree, from: "release", downloads: 1},
		{name: "Windows/X64", platform: "Windows/X64", onlyInstall: true, ref: "v1", repo: owner, tree: releaseTree, from: "release", downloads: 1},
		{name: "Windows/ARM64", platform: "Windows/ARM64", onlyInstall: true, ref: "v1", repo: owner, tree: releaseTree, from: "release", downloads: 1},
		{name: "Linux/X86", platform: "Linux/X86", ref: "v1", repo: owner, tree: releaseTree,
			from: "source", setupGo: true, log: []string{"No release binary for Linux/X86: building from source."}},

		// kube-bench for the predict input.
		{name: "predict: pinned kube-bench", ref: "v1", repo: owner, tree: releaseTree, inputs: map[string]string{"predict": "configs/"},
			from: "release", downloads: 1, log: []string{"Using kube-bench 0.15.6 (kube-bench_0.15.6_", "as release/kube-bench.sha256 of the action's commit records."}},
		{name: "predict: tampered kube-bench", ref: "v1", repo: owner, tree: releaseTree, inputs: map[string]string{"predict": "configs/"},
			tamperKubeBench: true,
			from:            "release", failAt: "kube-bench", downloads: 1,
			log: []string{"::error title=bench-action::kube-bench_0.15.6_", "but release/kube-bench.sha256 of the action's commit says", "Refusing to run it."}},
		{name: "predict on macOS", platform: "macOS/ARM64", ref: otherSHA, repo: owner, tree: devTree, inputs: map[string]string{"predict": "configs/"},
			from: "source", setupGo: true, failAt: "kube-bench", log: []string{"predict runs kube-bench, which this action pins for Linux runners (X64, ARM64); this runner is macOS/ARM64."}},
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// hostAssetOf is the release's real binary: the one that is not a stand-in.
func hostAssetOf(r release) string {
	for name, data := range r {
		if name != "checksums.txt" && !strings.HasPrefix(string(data), "stand-in for ") {
			return name
		}
	}
	return ""
}

// install runs the install steps of action.yml for c and returns what they did.
func install(t testing.TB, a action, c installCase, realGo bool) result {
	t.Helper()
	hostOS, hostArch := hostRunner(t)
	host := platforms[hostOS+"/"+hostArch]
	good := newRelease(t, host)

	served := release{}
	for k, v := range good {
		served[k] = v
	}
	if c.serve != nil {
		c.serve(served)
	}
	srv := newServer(t)
	srv.publish(owner, tag, served)

	kbVersion := kubeBenchVersion(t, a)
	archive := kubeBenchArchive(t)
	kbSums := ""
	for _, p := range []string{"linux_amd64", "linux_arm64"} {
		kbSums += sum(archive) + "  kube-bench_" + kbVersion + "_" + p + ".tar.gz\n"
	}
	kbServed := release{}
	for _, p := range []string{"linux_amd64", "linux_arm64"} {
		kbServed["kube-bench_"+kbVersion+"_"+p+".tar.gz"] = archive
	}
	if c.tamperKubeBench {
		for k := range kbServed {
			kbServed[k] = append([]byte("tampered"), archive...)
		}
	}
	srv.publish("aquasecurity/kube-bench", "v"+kbVersion, kbServed)

	tr := c.tree(good)
	tr.kubeBench = []byte(kbSums)
	// A remote action is checked out beside the workspace, as the runner
	// does (_actions/OWNER/REPO/REF); a local one inside it.
	root := t.TempDir()
	workspace := filepath.Join(root, "work", "repo")
	actionPath := filepath.Join(root, "_actions", owner, "ref")
	if c.local {
		actionPath = filepath.Join(workspace, "action")
	}
	tr.write(t, actionPath)

	platform := c.platform
	if platform == "" {
		platform = hostOS + "/" + hostArch
	}
	runnerOS, runnerArch, _ := strings.Cut(platform, "/")
	tmp := t.TempDir()
	env := baseEnv()
	if realGo {
		abs, err := filepath.Abs("../..")
		if err != nil {
			t.Fatal(err)
		}
		if c.tree(good).version == "dev" {
			actionPath = abs // the real source, for the real toolchain
		}
	} else {
		env = append(env, "PATH="+standInGo(t)+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	env = append(env, "RUNNER_OS="+runnerOS, "RUNNER_ARCH="+runnerArch, "RUNNER_TEMP="+tmp, "HOME="+tmp)

	inputs := map[string]string{}
	for name, in := range a.Inputs {
		inputs[name] = in.Default
	}
	for k, v := range c.inputs {
		inputs[k] = v
	}
	j := &job{
		github: map[string]string{
			"action_path":       actionPath,
			"action_repository": c.repo,
			"action_ref":        c.ref,
			"server_url":        srv.URL,
			"workspace":         workspace,
		},
		inputs: inputs,
		env:    env,
		override: map[string]string{
			"kube-bench.KUBE_BENCH_RELEASES": srv.URL + "/aquasecurity/kube-bench/releases/download",
		},
	}
	steps := a.installSteps(t)
	if c.onlyInstall {
		steps = steps[:1]
	}

	start := time.Now()
	runs := j.run(t, steps, tmp)
	r := result{runs: runs, server: srv}
	if s, ok := r.step("install"); ok {
		r.from = s.outputs["from"]
	}
	if s, ok := r.step("build"); ok && s.err == nil {
		r.path = s.outputs["path"]
		out, err := exec.Command(r.path, "version").CombinedOutput()
		if err != nil {
			t.Fatalf("%s version: %v\n%s", r.path, err, out)
		}
		r.version = strings.TrimSpace(string(out))
	}
	r.elapsed = time.Since(start)
	return r
}

// kubeBenchVersion is KUBE_BENCH_VERSION of action.yml's kube-bench step.
func kubeBenchVersion(t testing.TB, a action) string {
	t.Helper()
	for _, s := range a.Runs.Steps {
		if s.ID == "kube-bench" {
			if v := s.Env["KUBE_BENCH_VERSION"]; v != "" {
				return v
			}
		}
	}
	t.Fatal("action.yml: no step kube-bench with env KUBE_BENCH_VERSION")
	return ""
}

// TestInstall runs the install steps for every case, one after the other
// (their times are logged, so they do not compete for the CPU).
func TestInstall(t *testing.T) {
	a := loadAction(t)
	var table []string
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			r := install(t, a, c, false)
			log := r.log()
			var failed []string
			for _, s := range r.runs {
				if s.err != nil {
					failed = append(failed, s.id)
				}
			}
			wantFailed := []string(nil)
			if c.failAt != "" {
				wantFailed = []string{c.failAt}
			}
			if fmt.Sprint(failed) != fmt.Sprint(wantFailed) {
				t.Errorf("failed steps %v, want %v; log:\n%s", failed, wantFailed, log)
			}
			if c.failAt == "install" {
				if _, ran := r.step("build"); ran {
					t.Errorf("the build step ran after the install step failed")
				}
			} else if r.from != c.from {
				t.Errorf("install took the %q path, want %q; log:\n%s", r.from, c.from, log)
			}
			setupGo := false
			for _, s := range r.runs {
				if strings.HasPrefix(s.uses, "actions/setup-go@") && !s.skipped {
					setupGo = true
				}
			}
			if c.failAt != "install" && !c.onlyInstall && setupGo != c.setupGo {
				t.Errorf("actions/setup-go runs: %v, want %v", setupGo, c.setupGo)
			}
			for _, want := range c.log {
				if !strings.Contains(log, want) {
					t.Errorf("the log does not say %q; log:\n%s", want, log)
				}
			}
			if got := r.server.requests.Load(); c.downloads >= 0 && got != c.downloads {
				t.Errorf("%d downloads of release files, want %d", got, c.downloads)
			}
			if c.onlyInstall {
				s, _ := r.step("install")
				asset := platforms[c.platform]
				if want := "/bench-action-" + tag + "/bench-action" + filepath.Ext(asset); !strings.HasSuffix(s.outputs["binary"], want) {
					t.Errorf("binary %q, want a path ending in %s", s.outputs["binary"], want)
				}
			}
			switch {
			case c.failAt != "" || c.onlyInstall:
			case r.from == "release":
				if !strings.HasPrefix(r.version, wantVersion) {
					t.Errorf("version %q, want %q...", r.version, wantVersion)
				}
			case r.from == "source":
				if r.version != "bench-action dev (stand-in for a source build)" {
					t.Errorf("version %q, want the stand-in's", r.version)
				}
			}
			if s, ok := r.step("kube-bench"); ok && c.inputs["predict"] != "" && s.err == nil {
				out, err := exec.Command(s.outputs["path"]).CombinedOutput()
				if err != nil || !strings.Contains(string(out), "kube-bench 0.15.6") {
					t.Errorf("kube-bench %s: %v %s", s.outputs["path"], err, out)
				}
				if fi, err := os.Stat(s.outputs["cfg"]); err != nil || !fi.IsDir() {
					t.Errorf("kube-bench cfg %q: %v", s.outputs["cfg"], err)
				}
			}
			path := r.from
			if c.failAt != "" {
				path = "refused at " + c.failAt
			}
			var steps []string
			for _, s := range r.runs {
				if s.took > 0 {
					steps = append(steps, fmt.Sprintf("%s %.0f", s.id, ms(s.took)))
				}
			}
			table = append(table, fmt.Sprintf("%-44s %-20s %6.0f ms (%s)  %s", c.name, path, ms(r.elapsed), strings.Join(steps, ", "), firstMessage(log)))
		})
	}
	t.Logf("install path and time from the first install step to `bench-action version` (loopback release server):\n%s", strings.Join(table, "\n"))
}

var message = regexp.MustCompile(`(?m)^(::(error|warning)[^\n]*|Using release binary[^\n]*|[^\n]*building from [^\n]*source\.)$`)

// firstMessage is the line of the install's log that says which way it went.
func firstMessage(log string) string {
	return message.FindString(log)
}

// BenchmarkInstall measures the time from the first install step to a
// binary that prints its version, for each ref form. The source forms use
// the stand-in `go` unless BENCH_ACTION_INSTALL_GO=real, which builds this
// module for real (with the Go build cache in GOCACHE).
func BenchmarkInstall(b *testing.B) {
	a := loadAction(b)
	realGo := os.Getenv("BENCH_ACTION_INSTALL_GO") == "real"
	for _, c := range cases()[:5] {
		name := map[string]string{"vX.Y.Z": "release/vX.Y.Z", "v1": "release/v1", "release SHA": "release/SHA",
			"non-release SHA": "source/SHA", "local ./": "source/local"}[c.name]
		b.Run(name, func(b *testing.B) {
			releaseBinary(b) // built once, outside the timing
			var total time.Duration
			for i := 0; i < b.N; i++ {
				r := install(b, a, c, realGo)
				if r.from != c.from || r.version == "" {
					b.Fatalf("install took %q, version %q; log:\n%s", r.from, r.version, r.log())
				}
				total += r.elapsed
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/install")
		})
	}
}
