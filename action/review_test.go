package action_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/verdict"
)

// fakeReviews is an in-memory ReviewPublisher.
type fakeReviews struct {
	changed      action.ChangedLines
	changedCalls int
	synced       []action.Review
	err          error
}

var _ action.ReviewPublisher = (*fakeReviews)(nil)

func (f *fakeReviews) ChangedLines(_ context.Context, pr int) (action.ChangedLines, error) {
	f.changedCalls++
	return f.changed, nil
}

func (f *fakeReviews) SyncReview(_ context.Context, r action.Review) (action.ReviewOutcome, error) {
	f.synced = append(f.synced, r)
	if f.err != nil {
		return action.ReviewOutcome{}, f.err
	}
	return action.ReviewOutcome{Created: len(r.Comments)}, nil
}

// firstNew locates the verdict's first new FAIL's control at m.yaml:line.
type firstNew struct {
	id   string
	line int
}

func (l firstNew) Locate(c *benchresult.Check) (verdict.Location, bool) {
	if c.ID != l.id {
		return verdict.Location{}, false
	}
	return verdict.Location{File: "m.yaml", Line: l.line, Fix: &verdict.LineFix{Line: l.line, New: "    - --fixed=true"}}, true
}

func TestPublishReview(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		traced      bool
		changed     action.ChangedLines
		err         error
		event       action.Event
		wantCalls   int // SyncReview calls
		wantComment int // comments asked for
		wantDegrade bool
	}{
		{"traced on a changed line", true, action.ChangedLines{"m.yaml": {9: true}}, nil, action.Event{Name: "pull_request", PullRequest: 7, HeadSHA: "abc"}, 1, 1, false},
		{"traced on an unchanged line", true, action.ChangedLines{"m.yaml": {8: true}}, nil, action.Event{Name: "pull_request", PullRequest: 7}, 1, 0, false},
		{"nothing traced: GitHub not asked", false, action.ChangedLines{"m.yaml": {9: true}}, nil, action.Event{Name: "pull_request", PullRequest: 7}, 0, 0, false},
		{"not a pull request", true, nil, nil, action.Event{Name: "schedule"}, 0, 0, false},
		{"read-only token", true, action.ChangedLines{"m.yaml": {9: true}}, fmt.Errorf("403: %w", action.ErrReadOnly), action.Event{Name: "pull_request", PullRequest: 7}, 1, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := testfleet.Scenario(t)
			if tc.traced {
				v.Locate(firstNew{id: v.NewGroups()[0].Control.ID, line: 9})
			}
			rn := newRunner(t)
			rv := &fakeReviews{changed: tc.changed, err: tc.err}
			p := &action.Publisher{Runner: rn.actions(), Reviews: rv}
			res, err := p.Publish(context.Background(), v, action.PublishOptions{Inputs: action.Inputs{Comment: true}, Event: tc.event})
			if err != nil {
				t.Fatal(err)
			}
			if len(rv.synced) != tc.wantCalls || rv.changedCalls != tc.wantCalls {
				t.Fatalf("%d ChangedLines and %d SyncReview calls, want %d", rv.changedCalls, len(rv.synced), tc.wantCalls)
			}
			if tc.wantCalls == 0 {
				return
			}
			r := rv.synced[0]
			if len(r.Comments) != tc.wantComment || r.PullRequest != 7 || r.CommitID != tc.event.HeadSHA || !strings.HasPrefix(r.Body, r.MarkerPrefix) {
				t.Errorf("review %+v, want %d comments on PR 7 at %q", r, tc.wantComment, tc.event.HeadSHA)
			}
			if got := len(res.Degraded) == 1 && strings.Contains(rn.log.String(), "::warning::the token cannot write the review comments"); got != tc.wantDegrade {
				t.Errorf("degraded %q, want %v; log:\n%s", res.Degraded, tc.wantDegrade, rn.log.String())
			}
		})
	}
}

// TestConfigsAndPredictInputs: the configs and predict inputs reach the
// gate; with predict, results may be left out.
func TestConfigsAndPredictInputs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		env      map[string]string
		wantCode int
		want     action.Inputs // Results, Configs, Predict
	}{
		{"configs", map[string]string{"INPUT_RESULTS": "r/", "INPUT_CONFIGS": "clusters/prod"}, action.ExitFail,
			action.Inputs{Results: []string{"r/"}, Configs: "clusters/prod"}},
		{"predict without results", map[string]string{"INPUT_PREDICT": " clusters/prod ", "INPUT_CONFIGS": "clusters/prod"}, action.ExitFail,
			action.Inputs{Configs: "clusters/prod", Predict: "clusters/prod"}},
		{"neither results nor predict", map[string]string{"INPUT_CONFIGS": "clusters/prod"}, action.ExitUsage, action.Inputs{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got *action.Inputs
			code, _ := action.Run(context.Background(), action.Env{
				Getenv: func(k string) string { return tc.env[k] },
				Runner: &outputs{},
				Gate: func(in action.Inputs) (*verdict.Verdict, error) {
					got = &in
					return verdict.Evaluate(fleet(), verdict.Config{}), nil
				},
			})
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d", code, tc.wantCode)
			}
			if tc.wantCode == action.ExitUsage {
				if got != nil {
					t.Fatal("the gate ran on bad inputs")
				}
				return
			}
			if got == nil || fmt.Sprint(got.Results) != fmt.Sprint(tc.want.Results) || got.Configs != tc.want.Configs || got.Predict != tc.want.Predict {
				t.Fatalf("gate inputs %+v, want results %v, configs %q, predict %q", got, tc.want.Results, tc.want.Configs, tc.want.Predict)
			}
		})
	}
}
