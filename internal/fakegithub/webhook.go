package fakegithub

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoWebhookExamples is returned by [FindWebhookExamples] when the
// examples were not fetched (run test/contract/fetch-spec.sh).
var ErrNoWebhookExamples = errors.New("webhook examples not fetched: run test/contract/fetch-spec.sh")

// WebhookExamplesRel is where test/contract/fetch-spec.sh puts the npm
// package @octokit/webhooks-examples@7.6.1, relative to the module root.
const WebhookExamplesRel = "test/contract/.cache/webhooks-examples"

// FindWebhookExamples looks for the fetched examples from dir upwards (give
// the test's working directory) and returns the directory to pass to
// [LoadWebhookExample].
func FindWebhookExamples(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		cand := filepath.Join(d, WebhookExamplesRel)
		if _, err := os.Stat(filepath.Join(cand, "api.github.com", "index.json")); err == nil {
			return cand, nil
		}
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(d, "test", "contract")); err == nil {
				break // the root module: not found
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return "", ErrNoWebhookExamples
}

// LoadWebhookExample returns a real webhook payload from
// @octokit/webhooks-examples (dir as found by [FindWebhookExamples]): the
// first example of event (e.g. "pull_request", "push",
// "workflow_dispatch") whose "action" is action ("" for events without
// one) and that pick accepts (nil accepts any). The payload is the bytes a
// runner writes to GITHUB_EVENT_PATH.
func LoadWebhookExample(dir, event, action string, pick func(payload map[string]any) bool) ([]byte, error) {
	path := filepath.Join(dir, "api.github.com", "index.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load webhook examples %s: %w", path, err)
	}
	var events []struct {
		Name     string            `json:"name"`
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal(raw, &events); err != nil {
		return nil, fmt.Errorf("load webhook examples %s: %w", path, err)
	}
	for _, e := range events {
		if e.Name != event {
			continue
		}
		for _, ex := range e.Examples {
			var m map[string]any
			if err := json.Unmarshal(ex, &m); err != nil {
				return nil, fmt.Errorf("load webhook example %s: %w", event, err)
			}
			got, _ := m["action"].(string)
			if got != action {
				continue
			}
			if pick != nil && !pick(m) {
				continue
			}
			return ex, nil
		}
	}
	return nil, fmt.Errorf("load webhook example %s/%s: no such example in %s", event, action, path)
}

// ForkPullRequest rewrites a pull_request payload into one from a fork:
// pull_request.head.repo becomes forkOwner's fork (fork: true, another
// full_name, owner and id) and head.label/head.user follow. The examples
// package holds no fork pull request, so tests derive one from a real
// payload.
func ForkPullRequest(payload []byte, forkOwner string) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		return nil, fmt.Errorf("fork pull request payload: %w", err)
	}
	pr, _ := m["pull_request"].(map[string]any)
	head, _ := pr["head"].(map[string]any)
	headRepo, _ := head["repo"].(map[string]any)
	if headRepo == nil {
		return nil, errors.New("fork pull request payload: no pull_request.head.repo")
	}
	name, _ := headRepo["name"].(string)
	owner := map[string]any{"login": forkOwner, "id": 99999001, "node_id": "U_kgDOBfork", "type": "User", "site_admin": false,
		"url": "https://api.github.com/users/" + forkOwner, "html_url": "https://github.com/" + forkOwner}
	fork := map[string]any{}
	for k, v := range headRepo {
		fork[k] = v
	}
	fork["id"] = 99999002
	fork["node_id"] = "R_kgDOBfork"
	fork["fork"] = true
	fork["owner"] = owner
	fork["full_name"] = forkOwner + "/" + name
	fork["html_url"] = "https://github.com/" + forkOwner + "/" + name
	fork["url"] = "https://api.github.com/repos/" + forkOwner + "/" + name
	head["repo"] = fork
	head["user"] = owner
	ref, _ := head["ref"].(string)
	head["label"] = forkOwner + ":" + ref
	return json.Marshal(m)
}
