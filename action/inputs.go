package action

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bench-action/bench-action/verdict"
)

// Inputs are the GitHub Action's inputs, as action.yml declares them.
type Inputs struct {
	Results    []string // newline-separated inputs: files, directories, globs, NODE=PATH
	Exceptions string
	Baseline   string
	Profile    string
	Cluster    string
	FailOn     verdict.FailOn
	// ManualAsWarn reads a failed test of a Manual check as kube-bench
	// does (see verdict.Config.ManualAsWarn).
	ManualAsWarn bool
	Comment      bool
	Issues       string // "true", "false" or "auto"
	IssueLabels  []string
	WarnDays     int
	History      string
	MetricsFile  string
	Token        string
	APIURL       string
	PullRequest  int // for workflow_run: the pull request the results belong to
	// Configs is a directory of configuration files (static Pod manifests,
	// kubelet, kubeadm, RKE2/k3s config): FAILs are traced to the file and
	// line in it that sets them (annotations, SARIF locations, review
	// comments with suggested changes). "" traces nothing.
	Configs string
	// Predict is a directory of configuration files from which the
	// benchmark is predicted by the real kube-bench (`bench-action
	// predict`) and gated like live results. "" predicts nothing.
	Predict string
}

// readInputs reads and validates the inputs through get (for example
// githubactions.Action.GetInput). Every problem is reported, joined.
func readInputs(get func(name string) string) (Inputs, error) {
	var errs []error
	in := Inputs{
		Exceptions: get("exceptions"), Baseline: get("baseline"), Profile: get("profile"), Cluster: get("cluster"),
		History: get("history"), MetricsFile: get("metrics-file"), Token: get("token"), APIURL: get("api-url"),
		Configs: get("configs"), Predict: get("predict"),
	}
	for _, line := range strings.Split(get("results"), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			in.Results = append(in.Results, line)
		}
	}
	if len(in.Results) == 0 && in.Predict == "" {
		errs = append(errs, errors.New("input results: required unless predict is given (newline-separated files, directories, globs or NODE=PATH)"))
	}
	if in.Profile == "" {
		in.Profile = "none"
	}
	var err error
	if in.FailOn, err = verdict.ParseFailOn(get("fail-on")); err != nil {
		errs = append(errs, fmt.Errorf("input fail-on: %w", err))
	}
	if in.ManualAsWarn, err = parseBool(get("manual-as-warn"), false); err != nil {
		errs = append(errs, fmt.Errorf("input manual-as-warn: %w", err))
	}
	if in.Comment, err = parseBool(get("comment"), true); err != nil {
		errs = append(errs, fmt.Errorf("input comment: %w", err))
	}
	switch v := strings.ToLower(get("issues")); v {
	case "", "auto":
		in.Issues = "auto"
	case "true", "false":
		in.Issues = v
	default:
		errs = append(errs, fmt.Errorf("input issues: %q is not true, false or auto", v))
	}
	// Tracking issues carry defaultIssueLabel, by which they are listed,
	// plus the extra labels of issue-labels.
	in.IssueLabels = []string{defaultIssueLabel}
	for _, l := range strings.FieldsFunc(get("issue-labels"), func(r rune) bool { return r == ',' || r == '\n' }) {
		if l = strings.TrimSpace(l); l != "" && l != defaultIssueLabel {
			in.IssueLabels = append(in.IssueLabels, l)
		}
	}
	in.WarnDays = 14
	if v := get("warn-days"); v != "" {
		if in.WarnDays, err = strconv.Atoi(v); err != nil || in.WarnDays < 0 {
			errs = append(errs, fmt.Errorf("input warn-days: %q is not a whole number of days", v))
		}
	}
	if v := get("pull-request"); v != "" {
		if in.PullRequest, err = strconv.Atoi(v); err != nil || in.PullRequest <= 0 {
			errs = append(errs, fmt.Errorf("input pull-request: %q is not a pull request number", v))
		}
	}
	return in, errors.Join(errs...)
}

// defaultIssueLabel is the label tracking issues carry and are listed by.
const defaultIssueLabel = "kube-bench"

// IssuesEnabled says whether tracking issues are kept for this event: "auto"
// keeps them on schedule, push and workflow_dispatch, not on pull requests.
func (in Inputs) IssuesEnabled(ev Event) bool {
	switch in.Issues {
	case "true":
		return true
	case "false":
		return false
	}
	switch ev.Name {
	case "schedule", "push", "workflow_dispatch":
		return true
	}
	return false
}

func parseBool(s string, def bool) (bool, error) {
	switch strings.ToLower(s) {
	case "":
		return def, nil
	case "true", "yes", "1", "on":
		return true, nil
	case "false", "no", "0", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", s)
}
