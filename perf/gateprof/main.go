// Command gateprof runs what `bench-action gate --fail-on none [--baseline
// FILE] DIR` runs (Load, the baseline's Parse, Evaluate, WriteText to
// io.Discard) in process, with CPU and heap profiles, to see where a
// fleet's time and memory go:
//
//	go run ./perf/gateprof -cpuprofile /tmp/cpu.prof -memprofile /tmp/mem.prof perf/.cache/fleet-10000
//	go tool pprof -top /tmp/cpu.prof
//
// One run's profile of a small fleet holds few samples: merge several
// (go tool pprof -top /tmp/cpu-*.prof).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	mem := flag.String("memprofile", "", "write a heap profile (allocations) here")
	afterLoad := flag.String("loadprofile", "", "write a heap profile (in use) here, just after Load")
	workers := flag.Int("workers", 0, "files parsed at once (benchresult.LoadOptions.Workers; 0: GOMAXPROCS)")
	repeat := flag.Int("repeat", 1, "run Evaluate and WriteText this many times (to profile them; the catalog decodes once)")
	basePath := flag.String("baseline", "", "gate against this baseline `FILE`, as bench-action gate --baseline")
	flag.Parse()
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fail(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *mem != "" || *afterLoad != "" {
		runtime.MemProfileRate = 512
	}
	cpu0 := cpuTime()
	t0 := time.Now()
	sources, err := benchresult.ResolveInputs(flag.Args())
	if err != nil {
		fail(err)
	}
	t1 := time.Now()
	r, err := benchresult.Load(sources, benchresult.LoadOptions{Workers: *workers})
	if err != nil {
		fail(err)
	}
	t2 := time.Now()
	loadCPU := cpuTime() - cpu0
	cfg := verdict.Config{FailOn: verdict.FailOnNone}
	if *basePath != "" {
		data, err := os.ReadFile(*basePath)
		if err != nil {
			fail(err)
		}
		if cfg.Baseline, err = baseline.Parse(data, *basePath, baseline.ParseOptions{}); err != nil {
			fail(err)
		}
	}
	tb := time.Now()
	if *afterLoad != "" {
		runtime.GC()
		f, err := os.Create(*afterLoad)
		if err != nil {
			fail(err)
		}
		pprof.Lookup("heap").WriteTo(f, 0)
		f.Close()
	}
	var evalTime, writeTime time.Duration
	var v *verdict.Verdict
	for range max(*repeat, 1) {
		tb0 := time.Now()
		v = verdict.Evaluate(r, cfg)
		t3 := time.Now()
		if err := render.WriteText(io.Discard, v); err != nil {
			fail(err)
		}
		evalTime += t3.Sub(tb0)
		writeTime += time.Since(t3)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "resolve %v, load %v (resolve and load: %v of CPU), baseline %v, evaluate %v, write %v; %d checks; heap in use %d MB, total alloc %d MB, %d GCs\n",
		t1.Sub(t0), t2.Sub(t1), loadCPU, tb.Sub(t2), evalTime, writeTime, len(r.Checks), ms.HeapInuse>>20, ms.TotalAlloc>>20, ms.NumGC)
	if *mem != "" {
		f, err := os.Create(*mem)
		if err != nil {
			fail(err)
		}
		runtime.GC()
		pprof.Lookup("allocs").WriteTo(f, 0)
		f.Close()
	}
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gateprof:", err)
	os.Exit(2)
}
