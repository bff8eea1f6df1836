package action

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// Exit codes of [Run], as the command line has them.
const (
	ExitPass  = 0 // the gate passed
	ExitFail  = 1 // the gate failed
	ExitUsage = 2 // bad inputs or bad results
)

// Env is the world the action runs in, given by the caller (cmd/bench-action
// wires the real one): nothing in this package reads the environment, the
// clock or a file by itself.
type Env struct {
	Getenv func(string) string // INPUT_* and GITHUB_*
	Now    time.Time
	Runner Runner
	// StopToken, when set, brackets the text report in the log between
	// ::stop-commands:: markers; it must be unguessable (random).
	StopToken string
	// Log is where the text report goes: the step's standard output.
	Log io.Writer
	// TempDir is where the summary file is written (the summary-file
	// output): RUNNER_TEMP in a job; "" writes none.
	TempDir string
	// ReadFile reads a file of the runner (the event payload).
	ReadFile func(path string) ([]byte, error)
	// WriteFile writes a file of the runner (the summary file).
	WriteFile func(path string, data []byte) error
	// Gate loads the results, exceptions and baseline the inputs name and
	// evaluates them, as `bench-action gate` does. Errors are bad input.
	Gate func(Inputs) (*verdict.Verdict, error)
	// GitHub connects to the repository's API; nil, or an error, leaves
	// the action with the summary, annotations and outputs.
	GitHub func(GitHubConfig) (GitHub, error)
	// RecordTrend appends the run to the history file and returns the
	// cluster's trend as Markdown; WriteMetrics writes the metrics file.
	RecordTrend  func(path string, v *verdict.Verdict, now time.Time) (string, error)
	WriteMetrics func(path string, v *verdict.Verdict, now time.Time) error
	// FailingSince reads the history file and returns, by check id, when
	// each control of the cluster started failing without a break (the
	// tracking issues' "failing since"); nil: not shown.
	FailingSince func(path, cluster string) (map[string]time.Time, error)
}

// GitHubConfig is what a GitHub client needs to publish for a repository.
type GitHubConfig struct {
	Token, APIURL, Owner, Repo string
}

// GitHub is the repository's side of the action; any field may be nil.
type GitHub struct {
	Comments CommentPublisher
	Issues   IssueTracker
	Files    FileReader
	Reviews  ReviewPublisher
}

// Run is the GitHub Action: it reads the inputs and the event, gates the
// results, and publishes the verdict (summary, annotations, outputs, the
// sticky comment, the tracking issues). It returns the exit code; err is
// the bad input behind [ExitUsage], already reported as annotations.
func Run(ctx context.Context, env Env) (int, error) {
	in, inErr := readInputs(func(name string) string { return input(env.Getenv, name) })
	if in.Token != "" {
		_ = env.Runner.Mask(in.Token)
	}
	if inErr != nil {
		return usage(env, inErr)
	}
	ev, err := readEvent(env)
	if err != nil {
		return usage(env, err)
	}
	v, err := env.Gate(in)
	if err != nil {
		return usage(env, err)
	}
	if err := writeLog(env, v); err != nil {
		return usage(env, err)
	}
	pub := &Publisher{Runner: env.Runner}
	gh := connect(env, in)
	pub.Comments, pub.Issues, pub.Reviews = gh.Comments, gh.Issues, gh.Reviews

	runURL := ""
	repo := env.Getenv("GITHUB_REPOSITORY")
	if s, id := env.Getenv("GITHUB_SERVER_URL"), env.Getenv("GITHUB_RUN_ID"); s != "" && repo != "" && id != "" {
		runURL = s + "/" + repo + "/actions/runs/" + id
	}
	var trendMD string
	if in.History != "" && env.RecordTrend != nil {
		if trendMD, err = env.RecordTrend(in.History, v, env.Now); err != nil {
			return usage(env, err)
		}
	}
	if in.MetricsFile != "" && env.WriteMetrics != nil {
		if err := env.WriteMetrics(in.MetricsFile, v, env.Now); err != nil {
			return usage(env, err)
		}
	}
	var changes []verdict.ExceptionChange
	if gh.Files != nil && ev.IsPullRequest() && ev.BaseSHA != "" && v.Config.Exceptions != nil {
		changes = exceptionChanges(ctx, env, gh.Files, in.Exceptions, ev.BaseSHA, v)
	}
	var since map[string]time.Time
	if in.History != "" && env.FailingSince != nil && in.IssuesEnabled(ev) {
		if since, err = env.FailingSince(in.History, v.Report.Cluster); err != nil {
			_ = env.Runner.Log("warning", fmt.Sprintf("bench-action: the tracking issues show no \"failing since\": %v", err))
			since = nil
		}
	}
	summaryFile := ""
	if env.TempDir != "" {
		summaryFile = path.Join(env.TempDir, "bench-action-summary.md")
	}
	if _, err := pub.Publish(ctx, v, PublishOptions{Inputs: in, Event: ev, RunURL: runURL, SummaryFile: summaryFile,
		Trend: trendMD, ExceptionChanges: changes, WriteFile: env.WriteFile, Links: repoLinks(env.Getenv, ev), FailingSince: since}); err != nil {
		return usage(env, err)
	}
	if !v.Pass {
		_ = env.Runner.Log("error", "bench-action: the CIS gate failed: "+strings.Join(v.Reasons, "; "))
		return ExitFail, nil
	}
	return ExitPass, nil
}

// input reads an action input as the runner passes it (INPUT_ and the
// name upper-cased, spaces as underscores). Some runners and shells cannot
// pass a name with a hyphen, so action.yml also sets the underscore
// spelling, read second.
func input(getenv func(string) string, name string) string {
	get := func(n string) string {
		return strings.TrimSpace(getenv("INPUT_" + strings.ToUpper(strings.ReplaceAll(n, " ", "_"))))
	}
	if v := get(name); v != "" {
		return v
	}
	return get(strings.ReplaceAll(name, "-", "_"))
}

func readEvent(env Env) (Event, error) {
	name, file := env.Getenv("GITHUB_EVENT_NAME"), env.Getenv("GITHUB_EVENT_PATH")
	if file == "" || env.ReadFile == nil {
		return Event{Name: name}, nil
	}
	data, err := env.ReadFile(file)
	if err != nil {
		return Event{}, fmt.Errorf("read event %s: %w", file, err)
	}
	return parseEvent(name, data, file)
}

// writeLog prints the text report to the job's log. Text from the results
// goes between stop-commands markers when a token is given, on top of
// render's own neutralising of workflow commands.
func writeLog(env Env, v *verdict.Verdict) error {
	if env.Log == nil {
		return nil
	}
	if env.StopToken != "" {
		fmt.Fprintf(env.Log, "::stop-commands::%s\n", env.StopToken)
		defer fmt.Fprintf(env.Log, "::%s::\n", env.StopToken)
	}
	return render.WriteText(env.Log, v)
}

// connect makes the GitHub client, or says in a warning why there is none.
func connect(env Env, in Inputs) GitHub {
	repo := env.Getenv("GITHUB_REPOSITORY")
	apiURL := in.APIURL
	if apiURL == "" {
		apiURL = env.Getenv("GITHUB_API_URL")
	}
	owner, name, ok := strings.Cut(repo, "/")
	switch {
	case env.GitHub == nil:
		return GitHub{}
	case in.Token == "":
		_ = env.Runner.Log("warning", "bench-action: no token: no pull-request comment and no tracking issues")
		return GitHub{}
	case !ok || apiURL == "":
		_ = env.Runner.Log("warning", "bench-action: GITHUB_REPOSITORY or the API URL is not set (not running in GitHub Actions?): no pull-request comment and no tracking issues")
		return GitHub{}
	}
	gh, err := env.GitHub(GitHubConfig{Token: in.Token, APIURL: apiURL, Owner: owner, Repo: name})
	if err != nil {
		_ = env.Runner.Log("warning", fmt.Sprintf("bench-action: no GitHub client (%v): no pull-request comment and no tracking issues", err))
		return GitHub{}
	}
	return gh
}

// usage reports bad input as error annotations, one per problem.
func usage(env Env, err error) (int, error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.TrimSpace(line) != "" {
			_ = env.Runner.Log("error", "bench-action: "+line)
		}
	}
	return ExitUsage, err
}

// exceptionChanges compares the exceptions file with the base branch's, so
// the comment shows what the pull request adds or changes. Problems reading
// the base's file are warnings: the comparison is information, not the gate.
func exceptionChanges(ctx context.Context, env Env, files FileReader, file, baseSHA string, v *verdict.Verdict) []verdict.ExceptionChange {
	rel := path.Clean(strings.ReplaceAll(file, "\\", "/"))
	if ws := strings.TrimSuffix(env.Getenv("GITHUB_WORKSPACE"), "/"); ws != "" && strings.HasPrefix(rel, ws+"/") {
		rel = strings.TrimPrefix(rel, ws+"/")
	}
	if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return nil // not a file of the repository: nothing to compare
	}
	data, err := files.FileAt(ctx, rel, baseSHA)
	var base *exceptions.File
	switch {
	case errors.Is(err, ErrNoFile):
		// The pull request adds the file: every exception is new.
	case err != nil:
		_ = env.Runner.Log("warning", fmt.Sprintf("bench-action: cannot read the base branch's %s, so exceptions this pull request adds are not listed: %v", rel, err))
		return nil
	default:
		base, err = exceptions.Parse(data, rel+" (base branch)", exceptions.ParseOptions{})
		if err != nil {
			_ = env.Runner.Log("warning", fmt.Sprintf("bench-action: the base branch's %s does not load, so exceptions this pull request adds are not listed", rel))
			return nil
		}
	}
	return verdict.CompareExceptions(base, v.Config.Exceptions, v)
}

// repoLinks links files of the repository at the commit the run checked
// out: the pull request's head, else GITHUB_SHA.
func repoLinks(getenv func(string) string, ev Event) render.Links {
	server, repo, sha := strings.TrimSuffix(getenv("GITHUB_SERVER_URL"), "/"), getenv("GITHUB_REPOSITORY"), getenv("GITHUB_SHA")
	if ev.HeadSHA != "" {
		sha = ev.HeadSHA
	}
	if server == "" || repo == "" || sha == "" {
		return render.Links{}
	}
	return render.Links{Blob: server + "/" + repo + "/blob/" + sha, Root: getenv("GITHUB_WORKSPACE")}
}
