package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"time"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/action/githubapi"
	"github.com/bench-action/bench-action/verdict"
)

// runAction is the GitHub Action's entry point (see action.yml): it wires
// the real world into action.Run.
func runAction(e *env, args []string) int {
	if len(args) > 0 {
		return fail(e, "action", usageError("the action command takes no arguments: it reads INPUT_* and GITHUB_* from the environment"))
	}
	tmp := e.getenv("RUNNER_TEMP")
	if tmp == "" {
		tmp = os.TempDir()
	}
	token := make([]byte, 16)
	_, _ = rand.Read(token)
	env := action.Env{
		Getenv: e.getenv, Now: e.now(), Log: e.stdout, StopToken: hex.EncodeToString(token), TempDir: tmp,
		Runner:    &action.CommandRunner{Out: e.stdout, Getenv: e.getenv, AppendFile: appendFile},
		ReadFile:  os.ReadFile,
		WriteFile: func(p string, b []byte) error { return os.WriteFile(p, b, 0o644) },
		Gate:      func(in action.Inputs) (*verdict.Verdict, error) { return gateInputs(e, in) },
		GitHub: func(c action.GitHubConfig) (action.GitHub, error) {
			cfg := githubapi.Config{Token: c.Token, APIURL: c.APIURL, Owner: c.Owner, Repo: c.Repo}
			if e.tuneGitHub != nil {
				e.tuneGitHub(&cfg)
			}
			client, err := githubapi.New(cfg)
			if err != nil {
				return action.GitHub{}, err
			}
			return action.GitHub{Comments: client, Issues: client, Files: client, Reviews: client}, nil
		},
		RecordTrend: recordTrend, WriteMetrics: writeMetrics, FailingSince: failingSince,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	code, _ := action.Run(ctx, env) // bad input is already reported as annotations
	return code
}
