package trend_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/trend"
)

func readFile(t *testing.T, path string) trend.History {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := trend.ReadHistory(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestAppendReadRoundTrip(t *testing.T) {
	t.Parallel()
	want := fleetHistory(t)
	path := filepath.Join(t.TempDir(), "history.jsonl")
	for _, rec := range want.Records {
		if err := trend.Append(path, rec); err != nil {
			t.Fatal(err)
		}
	}
	got := readFile(t, path)
	if diff := cmp.Diff(want.Records, got.Records); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if got.Format != "jsonl" || len(got.Warnings) != 0 {
		t.Errorf("format %q, warnings %q", got.Format, got.Warnings)
	}
	data, _ := os.ReadFile(path)
	if n := bytes.Count(data, []byte("\n")); n != len(want.Records) {
		t.Errorf("%d lines for %d runs", n, len(want.Records))
	}
}

func TestNewRecordCountsLikeKubeBench(t *testing.T) {
	t.Parallel()
	r := report(t, "prod", "cp-1", "v0.14.1-cis-1.10-insecure.json")
	rec := trend.NewRecord(r, day0, trend.GateCounts{})
	if want := (benchresult.Totals{Pass: 32, Fail: 41, Warn: 57}); rec.Totals != want {
		t.Errorf("totals %+v, want %+v (kube-bench's own)", rec.Totals, want)
	}
	var sum benchresult.Totals
	for _, s := range rec.Sections {
		sum = sum.Plus(s)
	}
	if sum != rec.Totals {
		t.Errorf("sections add up to %+v, totals are %+v", sum, rec.Totals)
	}
	if rec.Gate != nil {
		t.Errorf("zero gate recorded: %+v", rec.Gate)
	}
	if n := len(rec.Failing["cp-1"]); n != 41 {
		t.Errorf("%d failing ids on cp-1, want 41", n)
	}
	if !strings.Contains(rec.Text["2.1"], "--cert-file") {
		t.Errorf("text of 2.1 = %q", rec.Text["2.1"])
	}
}

func TestReadHistory(t *testing.T) {
	t.Parallel()
	line := func(cluster string, d int) string {
		b, err := trend.MarshalLine(trend.Record{Cluster: cluster, Time: day0.Add(time.Duration(d) * time.Hour), Totals: benchresult.Totals{Fail: d}})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	full := line("a", 1) + line("a", 2)
	tests := []struct {
		name    string
		in      string
		runs    int
		warning string // substring of the one warning, "" for none
		err     string // substring of the error, "" for none
		format  string
	}{
		{name: "empty", in: "", runs: 0},
		{name: "white space only", in: " \n\n", runs: 0},
		{name: "two runs", in: full, runs: 2, format: "jsonl"},
		{name: "no final newline on a good line", in: strings.TrimSuffix(full, "\n"), runs: 2, format: "jsonl"},
		{name: "blank lines and CRLF", in: strings.ReplaceAll(full, "\n", "\r\n\r\n"), runs: 2, format: "jsonl"},
		{name: "torn last line", in: full + line("a", 3)[:40], runs: 2, warning: "h.jsonl: line 3: the last line is incomplete", format: "jsonl"},
		{name: "torn middle line", in: line("a", 1) + line("a", 2)[:30] + "\n" + line("a", 3), err: "read h.jsonl: line 2: not a history record"},
		{name: "damaged last line with newline", in: full + "{\"v\":1,\n", err: "read h.jsonl: line 3:"},
		{name: "not a record", in: full + "{}\n" + line("a", 4), err: `read h.jsonl: line 3: record has no version ("v")`},
		{name: "newer version", in: `{"v":99,"time":"2026-03-01T00:00:00Z","cluster":"a","totals":{"pass":0,"fail":0,"warn":0,"info":0}}` + "\n", err: "line 1: record version 99 is newer"},
		{name: "negative total", in: `{"v":1,"time":"2026-03-01T00:00:00Z","cluster":"a","totals":{"pass":-1,"fail":0,"warn":0,"info":0}}` + "\n", err: "line 1: record has a negative total"},
		{name: "kube-bench output is not a history", in: `{"Controls":[]}` + "\n", err: "line 1: record has no version"},
		{name: "seed array", in: `[{"totals": {"pass": 3, "fail": 2, "warn": 1, "info": 0}, "failures": [{"id": "1.2.6", "description": "d", "remediation": "r"}], "date": "2026-01-02T06:00:00.123456"}]`, runs: 1, format: "seed"},
		{name: "seed bad date", in: `[{"totals": {}, "failures": [], "date": "yesterday"}]`, err: `read h.jsonl: seed history: run 1: date "yesterday"`},
		{name: "seed truncated", in: "[\n{\"totals\": {", err: "read h.jsonl: line 2: seed history"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, err := trend.ReadHistory(strings.NewReader(tt.in), "h.jsonl")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				var ie *benchresult.InputError
				if !errors.As(err, &ie) || ie.Source != "h.jsonl" {
					t.Errorf("error %v is not an InputError naming the source", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Records) != tt.runs {
				t.Errorf("%d runs, want %d", len(h.Records), tt.runs)
			}
			if h.Format != tt.format {
				t.Errorf("format %q, want %q", h.Format, tt.format)
			}
			switch {
			case tt.warning == "" && len(h.Warnings) > 0:
				t.Errorf("unexpected warnings %q", h.Warnings)
			case tt.warning != "" && (len(h.Warnings) != 1 || !strings.Contains(h.Warnings[0], tt.warning)):
				t.Errorf("warnings %q, want one containing %q", h.Warnings, tt.warning)
			}
		})
	}
}

func TestReadSeedHistory(t *testing.T) {
	t.Parallel()
	h := readFile(t, "testdata/seed-history.json")
	if h.Format != "seed" || len(h.Records) != 3 {
		t.Fatalf("format %q, %d runs", h.Format, len(h.Records))
	}
	r := h.Records[2]
	if want := time.Date(2026, 1, 3, 6, 0, 1, 250000000, time.UTC); !r.Time.Equal(want) {
		t.Errorf("time %v, want %v", r.Time, want)
	}
	if want := (benchresult.Totals{Pass: 72, Fail: 8, Warn: 50}); r.Totals != want {
		t.Errorf("totals %+v, want %+v", r.Totals, want)
	}
	if diff := cmp.Diff([]string{"1.2.6", "4.2.6"}, r.FailingIDs()); diff != "" {
		t.Errorf("failing ids (-want +got):\n%s", diff)
	}
	// Converted to JSON Lines and read back: the same runs.
	var buf bytes.Buffer
	if err := trend.WriteJSONLines(&buf, h.Records); err != nil {
		t.Fatal(err)
	}
	back, err := trend.ReadHistory(&buf, "converted")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(h.Records, back.Records); diff != "" {
		t.Errorf("converted (-seed +jsonl):\n%s", diff)
	}
}

func TestAppendAfterTornLine(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "h.jsonl")
	rec := trend.Record{Cluster: "a", Time: day0}
	if err := trend.Append(path, rec); err != nil {
		t.Fatal(err)
	}
	line, _ := trend.MarshalLine(rec)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(line[:len(line)/2]) // a run killed mid-write
	f.Close()
	if h := readFile(t, path); len(h.Records) != 1 || len(h.Warnings) != 1 {
		t.Fatalf("before: %d runs, warnings %q", len(h.Records), h.Warnings)
	}
	rec.Time = day0.Add(time.Hour)
	if err := trend.Append(path, rec); err != nil {
		t.Fatal(err)
	}
	h := readFile(t, path)
	if len(h.Records) != 2 || len(h.Warnings) != 0 {
		t.Fatalf("after: %d runs, warnings %q", len(h.Records), h.Warnings)
	}
}

func TestAppendRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	os.WriteFile(seed, []byte(`[{"totals":{},"failures":[],"date":"2026-01-01T00:00:00"}]`), 0o644)
	if err := trend.Append(seed, trend.Record{Time: day0}); !errors.Is(err, trend.ErrSeedFormat) {
		t.Errorf("append to seed: %v, want ErrSeedFormat", err)
	}
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("hello"), 0o644)
	if err := trend.Append(other, trend.Record{Time: day0}); !errors.Is(err, trend.ErrNotHistory) {
		t.Errorf("append to text: %v, want ErrNotHistory", err)
	}
	if data, _ := os.ReadFile(other); string(data) != "hello" {
		t.Errorf("file changed: %q", data)
	}
	if err := trend.Append(filepath.Join(dir, "h.jsonl"), trend.Record{}); err == nil || !strings.Contains(err.Error(), `no "time"`) {
		t.Errorf("append of a record without time: %v", err)
	}
}

func TestCompact(t *testing.T) {
	t.Parallel()
	mk := func(t *testing.T) string {
		path := filepath.Join(t.TempDir(), "h.jsonl")
		for d := 0; d < 10; d++ {
			for _, c := range []string{"a", "b"} {
				if err := trend.Append(path, trend.Record{Cluster: c, Time: day0.Add(time.Duration(d) * 24 * time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		return path
	}
	now := day0.Add(9*24*time.Hour + time.Hour)
	tests := []struct {
		name string
		keep trend.KeepPolicy
		kept int
	}{
		{"age", trend.KeepPolicy{MaxAge: 3 * 24 * time.Hour}, 6},
		{"runs per cluster", trend.KeepPolicy{MaxRuns: 4}, 8},
		{"both", trend.KeepPolicy{MaxAge: 3 * 24 * time.Hour, MaxRuns: 2}, 4},
		{"none", trend.KeepPolicy{}, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := mk(t)
			res, err := trend.Compact(path, tt.keep, now)
			if err != nil {
				t.Fatal(err)
			}
			if res.Kept != tt.kept || res.Dropped != 20-tt.kept {
				t.Errorf("kept %d dropped %d, want %d kept", res.Kept, res.Dropped, tt.kept)
			}
			h := readFile(t, path)
			if len(h.Records) != tt.kept {
				t.Errorf("file has %d runs, want %d", len(h.Records), tt.kept)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("temporary files left: %v", entries)
			}
			// Appending still works after a compaction.
			if err := trend.Append(path, trend.Record{Cluster: "a", Time: now}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestParseAge(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{"400d": 400 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "36h": 36 * time.Hour} {
		if got, err := trend.ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "-3d", "0d", "1.5d", "forever"} {
		if _, err := trend.ParseAge(in); err == nil {
			t.Errorf("ParseAge(%q) accepted", in)
		}
	}
}

func TestCheckCluster(t *testing.T) {
	t.Parallel()
	rec := func(c string) trend.Record { return trend.Record{Version: 1, Time: day0, Cluster: c} }
	for _, tt := range []struct {
		name     string
		clusters []string
		ask      string
		want     string // "" for no error
	}{
		{"held", []string{"prod", "staging"}, "prod", ""},
		{"one other", []string{"staging", "staging"}, "prod", `the history holds runs of cluster "staging" and none of cluster "prod": report with --cluster staging, or without --cluster for every cluster`},
		{"several others", []string{"staging", "dev", "eu west"}, "prod", `the history holds runs of clusters "dev", "eu west", "staging" and none of cluster "prod": report with --cluster dev, or without --cluster for every cluster`},
		{"a name to quote first", []string{"eu west"}, "prod", `the history holds runs of cluster "eu west" and none of cluster "prod": report with --cluster "eu west", or without --cluster for every cluster`},
		{"unnamed", []string{""}, "prod", `the history holds runs of cluster "" (runs appended without --cluster) and none of cluster "prod": report without --cluster, or append runs with --cluster prod`},
		{"empty", nil, "prod", `the history holds no runs, so none of cluster "prod"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var h trend.History
			for _, c := range tt.clusters {
				h.Records = append(h.Records, rec(c))
			}
			err := h.CheckCluster(tt.ask)
			if tt.want == "" {
				if err != nil {
					t.Errorf("CheckCluster(%q) = %v, want nil", tt.ask, err)
				}
				return
			}
			if err == nil || err.Error() != tt.want || !errors.Is(err, trend.ErrUnknownCluster) {
				t.Errorf("CheckCluster(%q) = %v\nwant %s (and errors.Is ErrUnknownCluster)", tt.ask, err, tt.want)
			}
		})
	}
}
