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
	t0 := time.Now()
	sources, err := benchresult.ResolveInputs(flag.Args())
	if err != nil {
		fail(err)
	}
	t1 := time.Now()
	r, err := benchresult.Load(sources, benchresult.LoadOptions{})
	if err != nil {
		fail(err)
	}
	t2 := time.Now()
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
	tb0 := time.Now()
	v := verdict.Evaluate(r, cfg)
	t3 := time.Now()
	if err := render.WriteText(io.Discard, v); err != nil {
		fail(err)
	}
	t4 := time.Now()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "resolve %v, load %v, baseline %v, evaluate %v, write %v; %d checks; heap in use %d MB, total alloc %d MB, %d GCs\n",
		t1.Sub(t0), t2.Sub(t1), tb.Sub(t2), t3.Sub(tb0), t4.Sub(t3), len(r.Checks), ms.HeapInuse>>20, ms.TotalAlloc>>20, ms.NumGC)
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

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gateprof:", err)
	os.Exit(2)
}
