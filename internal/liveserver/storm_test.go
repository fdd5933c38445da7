package liveserver

import (
	"os"
	"os/exec"
	"testing"
)

func TestOnlyRejections(t *testing.T) {
	cases := []struct {
		name   string
		result StormResult
		want   bool
	}{
		{"401 and 429", StormResult{Statuses: map[int]int{401: 5, 429: 95}}, true},
		{"only 401", StormResult{Statuses: map[int]int{401: 100}}, true},
		{"a 503 from a full queue", StormResult{Statuses: map[int]int{401: 99, 503: 1}}, false},
		{"a wrong password accepted", StormResult{Statuses: map[int]int{401: 99, 200: 1}}, false},
		{"a dropped connection", StormResult{Statuses: map[int]int{401: 99}, NoAnswer: 1}, false},
		{"no answers at all", StormResult{Statuses: map[int]int{}}, false},
	}
	for _, tc := range cases {
		if got := tc.result.OnlyRejections(); got != tc.want {
			t.Errorf("%s: OnlyRejections() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// PeakRSSKiB reads a live process's VmHWM; a process that is gone has none.
func TestPeakRSSKiB(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc on this system")
	}
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep command:", err)
	}
	p := &Process{cmd: cmd, exited: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	kib, err := p.PeakRSSKiB()
	if err != nil || kib <= 0 {
		t.Errorf("PeakRSSKiB of a running process = %d, %v", kib, err)
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	if !p.Exited() {
		t.Error("Exited() = false after Kill")
	}
	if _, err := p.PeakRSSKiB(); err == nil {
		t.Error("PeakRSSKiB of a killed process succeeded")
	}
}
