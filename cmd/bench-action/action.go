package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/action/githubapi"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
	"github.com/sethvargo/go-githubactions"
)

// runAction is the GitHub Action's entry point: inputs come from INPUT_*
// and the run from GITHUB_* (see action.yml).
func runAction(e *env, args []string) int {
	if len(args) > 0 {
		return fail(e, "action", usageError("the action command takes no arguments: it reads INPUT_* and GITHUB_* from the environment"))
	}
	a := githubactions.New(githubactions.WithGetenv(e.getenv), githubactions.WithWriter(e.stdout))
	get := func(name string) string {
		if v := a.GetInput(name); v != "" {
			return v
		}
		// Some runners and shells cannot pass a variable whose name has a
		// hyphen; action.yml also sets the underscore spelling.
		return a.GetInput(strings.ReplaceAll(name, "-", "_"))
	}
	in, inErr := action.ReadInputs(get)
	if in.Token != "" {
		a.AddMask(in.Token)
	}
	if inErr != nil {
		return actionFail(e, a, inErr)
	}
	ev, err := readEvent(e)
	if err != nil {
		return actionFail(e, a, err)
	}

	g := gateFlags{inputFlags: inputFlags{cluster: in.Cluster, profile: in.Profile, maxBytes: 0},
		exceptions: in.Exceptions, baseline: in.Baseline, failOn: string(in.FailOn), warnDays: in.WarnDays}
	cfg, cfgErr := g.config(e)
	r, err := g.load(e, in.Results)
	if err = errors.Join(cfgErr, err); err != nil {
		return actionFail(e, a, err)
	}
	if err := requireChecks(r); err != nil {
		return actionFail(e, a, err)
	}
	v := verdict.Evaluate(r, cfg)

	// Text from the results goes to the log between stop-commands markers,
	// so a line such as "::add-mask::" in a remediation is not obeyed.
	token := randomToken()
	fmt.Fprintf(e.stdout, "::stop-commands::%s\n", token)
	_ = render.WriteText(e.stdout, v)
	fmt.Fprintf(e.stdout, "::%s::\n", token)

	pub := &action.Publisher{Actions: a}
	var files action.FileReader
	repo := e.getenv("GITHUB_REPOSITORY")
	apiURL := in.APIURL
	if apiURL == "" {
		apiURL = e.getenv("GITHUB_API_URL")
	}
	switch owner, name, ok := strings.Cut(repo, "/"); {
	case in.Token == "":
		a.Warningf("bench-action: no token: no pull-request comment and no tracking issues")
	case !ok || apiURL == "":
		a.Warningf("bench-action: GITHUB_REPOSITORY or the API URL is not set (not running in GitHub Actions?): no pull-request comment and no tracking issues")
	default:
		cfg := githubapi.Config{Token: in.Token, APIURL: apiURL, Owner: owner, Repo: name}
		if e.tuneGitHub != nil {
			e.tuneGitHub(&cfg)
		}
		client, err := githubapi.New(cfg)
		if err != nil {
			return actionFail(e, a, err)
		}
		pub.Comments, pub.Issues = client, client
		files = client
	}

	summaryFile := filepath.Join(tempDir(e), "bench-action-summary.md")
	runURL := ""
	if s, id := e.getenv("GITHUB_SERVER_URL"), e.getenv("GITHUB_RUN_ID"); s != "" && repo != "" && id != "" {
		runURL = s + "/" + repo + "/actions/runs/" + id
	}
	now := e.now()
	var trendMD string
	if in.History != "" {
		if trendMD, err = recordTrend(in.History, v, now); err != nil {
			return actionFail(e, a, err)
		}
	}
	if in.MetricsFile != "" {
		if err := writeMetrics(in.MetricsFile, v, now); err != nil {
			return actionFail(e, a, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var changes []verdict.ExceptionChange
	if files != nil && ev.IsPullRequest() && ev.BaseSHA != "" && cfg.Exceptions != nil {
		changes = exceptionChanges(ctx, e, a, files, in.Exceptions, ev.BaseSHA, v)
	}
	_, err = pub.Publish(ctx, v, action.PublishOptions{Inputs: in, Event: ev, RunURL: runURL, SummaryFile: summaryFile, Trend: trendMD, ExceptionChanges: changes,
		WriteFile: func(p string, b []byte) error { return os.WriteFile(p, b, 0o644) }})
	if err != nil {
		return actionFail(e, a, err)
	}
	if !v.Pass {
		a.Errorf("bench-action: the CIS gate failed: %s", strings.Join(v.Reasons, "; "))
		return exitFail
	}
	return exitPass
}

func readEvent(e *env) (action.Event, error) {
	name := e.getenv("GITHUB_EVENT_NAME")
	path := e.getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return action.Event{Name: name}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return action.Event{}, fmt.Errorf("read event %s: %w", path, unwrap(err))
	}
	return action.ParseEvent(name, data, path)
}

// actionFail reports bad input as error annotations and exits 2.
func actionFail(e *env, a *githubactions.Action, err error) int {
	for _, line := range errorLines(err) {
		a.Errorf("bench-action: %s", line)
	}
	return exitUsage
}

func tempDir(e *env) string {
	if d := e.getenv("RUNNER_TEMP"); d != "" {
		return d
	}
	return os.TempDir()
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// exceptionChanges compares the exceptions file with the base branch's, so
// the comment shows what the pull request adds or changes. Problems reading
// the base's file are warnings: the comparison is information, not the gate.
func exceptionChanges(ctx context.Context, e *env, a *githubactions.Action, files action.FileReader, path, baseSHA string, v *verdict.Verdict) []verdict.ExceptionChange {
	rel := filepath.ToSlash(filepath.Clean(path))
	if ws := e.getenv("GITHUB_WORKSPACE"); ws != "" && filepath.IsAbs(path) {
		if r, err := filepath.Rel(ws, path); err == nil {
			rel = filepath.ToSlash(r)
		}
	}
	if rel == ".." || strings.HasPrefix(rel, "../") || filepath.IsAbs(rel) {
		return nil // not a file of the repository: nothing to compare
	}
	data, err := files.FileAt(ctx, rel, baseSHA)
	var base *exceptions.File
	switch {
	case errors.Is(err, action.ErrNoFile):
		// The pull request adds the file: every exception is new.
	case err != nil:
		a.Warningf("bench-action: cannot read the base branch's %s, so exceptions this pull request adds are not listed: %v", rel, err)
		return nil
	default:
		base, err = exceptions.Parse(data, rel+" (base branch)", exceptions.ParseOptions{})
		if err != nil {
			a.Warningf("bench-action: the base branch's %s does not load, so exceptions this pull request adds are not listed", rel)
			return nil
		}
	}
	return verdict.CompareExceptions(base, v.Config.Exceptions, v)
}
