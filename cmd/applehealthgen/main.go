// Command applehealthgen writes a synthetic Apple Health export.xml
// (internal/imports/applehealthgen) and measures the importer's Apple Health
// parser on it against the disk floor.
//
// Usage (from the repository root):
//
//	go run ./cmd/applehealthgen -o /tmp/export.xml -size 1024 [-seed 1] [-days 3650]
//	go run ./cmd/applehealthgen -parse /tmp/export.xml [-runs 3]
//
// -parse alternates, -runs times: the floor (copy the file to a temp file in
// the same folder and read the copy back once, the I/O any import of an
// upload needs) and the parse of the file through imports.ParseAppleHealth
// into a counting sink. It prints both times, the parser's throughput (wall
// clock and CPU time), the ratio, what it found, and the process's peak RSS
// (VmHWM) and peak heap.
// Generated files must never be committed.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"sleeptracker/internal/imports"
	"sleeptracker/internal/imports/applehealthgen"
	"sleeptracker/internal/sleep"
)

func main() {
	out := flag.String("o", "", "write a generated export.xml to this path")
	sizeMiB := flag.Int64("size", 256, "approximate size of the generated file in MiB")
	seed := flag.Uint64("seed", 1, "generator seed")
	days := flag.Int("days", 3650, "days of data")
	parse := flag.String("parse", "", "measure the parser on this export.xml")
	runs := flag.Int("runs", 3, "alternating floor/parse runs with -parse")
	cpuprofile := flag.String("cpuprofile", "", "with -parse: write a CPU profile of the parses to this file")
	flag.Parse()
	switch {
	case *out != "":
		if err := generate(*out, *sizeMiB, *seed, *days); err != nil {
			fmt.Fprintln(os.Stderr, "applehealthgen:", err)
			os.Exit(1)
		}
	case *parse != "":
		if err := measure(*parse, *runs, *cpuprofile); err != nil {
			fmt.Fprintln(os.Stderr, "applehealthgen:", err)
			os.Exit(1)
		}
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func generate(path string, sizeMiB int64, seed uint64, days int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	start := time.Now()
	st, err := applehealthgen.Generate(f, applehealthgen.Options{Seed: seed, Size: sizeMiB << 20, Days: days})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s in %s: %s\n", path, time.Since(start).Round(time.Millisecond), st)
	return nil
}

// countSink counts what the parser reports.
type countSink struct {
	sessions, duplicates, invalid int
	first, last                   sleep.Date
}

func (c *countSink) Session(r imports.SessionRecord) {
	c.sessions++
	if c.first.IsZero() || r.Date.Before(c.first) {
		c.first = r.Date
	}
	if r.Date.After(c.last) {
		c.last = r.Date
	}
}
func (c *countSink) Note(imports.NoteRecord)         {}
func (c *countSink) Exercise(imports.ExerciseRecord) {}
func (c *countSink) Settings(imports.SettingsRecord) {}
func (c *countSink) Invalid(string, string)          { c.invalid++ }
func (c *countSink) Duplicate(string)                { c.duplicates++ }

func measure(path string, runs int, cpuprofile string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	size := info.Size()
	var peakHeap atomic.Uint64
	stop := make(chan struct{})
	go func() { // sample the heap while parsing
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peakHeap.Load() {
					peakHeap.Store(ms.HeapInuse)
				}
			}
		}
	}()
	defer close(stop)
	mib := float64(size) / (1 << 20)
	for i := 1; i <= runs; i++ {
		floor, err := diskFloor(path)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		sink := &countSink{}
		if cpuprofile != "" {
			pf, err := os.Create(cpuprofile)
			if err != nil {
				return err
			}
			defer pf.Close()
			if err := pprof.StartCPUProfile(pf); err != nil {
				return err
			}
		}
		cpu0 := cpuTime()
		start := time.Now()
		err = imports.ParseAppleHealth(context.Background(), imports.Input{
			Reader: f, ReaderAt: f, Size: size, Name: filepath.Base(path), Timezone: time.UTC,
		}, sink)
		parse := time.Since(start)
		cpu := cpuTime() - cpu0
		if cpuprofile != "" {
			pprof.StopCPUProfile()
			cpuprofile = "" // the first parse only
		}
		f.Close()
		if err != nil {
			return err
		}
		fmt.Printf("run %d: %.0f MiB  floor (write+read) %s = %.0f MiB/s  parse %s = %.0f MiB/s (CPU %s = %.0f MiB/s)  parse/floor %.2f\n",
			i, mib, floor.Round(time.Millisecond), mib/floor.Seconds(), parse.Round(time.Millisecond), mib/parse.Seconds(),
			cpu.Round(time.Millisecond), mib/cpu.Seconds(), parse.Seconds()/floor.Seconds())
		fmt.Printf("       sessions %d, duplicates %d, invalid %d, dates %s … %s\n",
			sink.sessions, sink.duplicates, sink.invalid, sink.first, sink.last)
	}
	fmt.Printf("peak RSS %s, peak heap in use %.1f MiB\n", vmHWM(), float64(peakHeap.Load())/(1<<20))
	return nil
}

// diskFloor copies path to a temp file beside it and reads the copy back.
func diskFloor(path string) (time.Duration, error) {
	src, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".floor-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	start := time.Now()
	buf := make([]byte, 1<<20)
	if _, err := io.CopyBuffer(tmp, src, buf); err != nil {
		return 0, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	if _, err := io.CopyBuffer(io.Discard, tmp, buf); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// cpuTime is the process's user plus system CPU time so far: on a shared
// machine it shows the parser's own cost apart from waiting for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "unknown"
}
