package action

import (
	"encoding/json"
	"fmt"
)

// Event is what the action needs of the workflow's triggering event
// (the webhook payload at GITHUB_EVENT_PATH and GITHUB_EVENT_NAME).
type Event struct {
	Name        string // pull_request, push, schedule, workflow_dispatch, workflow_run, ...
	PullRequest int    // the pull request number, 0 when there is none
	BaseRef     string // the pull request's base branch
	BaseSHA     string
	HeadSHA     string
	// Fork is set when the pull request comes from another repository:
	// its token is read-only, so the action degrades to the summary.
	Fork bool
}

// IsPullRequest reports whether the event concerns a pull request.
func (e Event) IsPullRequest() bool { return e.PullRequest > 0 }

type eventPayload struct {
	Number      int `json:"number"`
	PullRequest *struct {
		Number int `json:"number"`
		Base   struct {
			Ref  string `json:"ref"`
			SHA  string `json:"sha"`
			Repo struct {
				FullName string `json:"full_name"`
			} `json:"repo"`
		} `json:"base"`
		Head struct {
			SHA  string `json:"sha"`
			Repo *struct {
				FullName string `json:"full_name"`
				Fork     bool   `json:"fork"`
			} `json:"repo"`
		} `json:"head"`
	} `json:"pull_request"`
}

// parseEvent reads the event payload. An empty payload (a local run) gives
// an event with only its name. source names the payload in errors.
func parseEvent(name string, payload []byte, source string) (Event, error) {
	ev := Event{Name: name}
	if len(payload) == 0 {
		return ev, nil
	}
	var p eventPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return ev, fmt.Errorf("read event %s: %w", source, err)
	}
	if pr := p.PullRequest; pr != nil && (name == "pull_request" || name == "pull_request_target" || name == "") {
		ev.PullRequest = pr.Number
		if ev.PullRequest == 0 {
			ev.PullRequest = p.Number
		}
		ev.BaseRef, ev.BaseSHA, ev.HeadSHA = pr.Base.Ref, pr.Base.SHA, pr.Head.SHA
		// A deleted fork has no head repository; treat it as a fork.
		ev.Fork = pr.Head.Repo == nil || pr.Head.Repo.FullName != pr.Base.Repo.FullName
	}
	return ev, nil
}
