// Package liveserver builds the real sleep-api binary, runs it as a child
// process on a loopback port, and drives it over HTTP. The black-box tests of
// cmd/sleep-api (crash safety, abuse handling) and the load tool in
// cmd/loadtest share it, so they exercise exactly what ships: the same
// http.Server limits, middleware and SQLite settings.
//
// Only loopback addresses are used; every process started here is killed by
// its owner (Stop or Kill), never by name.
package liveserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// startTimeout bounds how long a start waits for the server to answer /health.
const startTimeout = 30 * time.Second

// Build compiles sleeptracker/cmd/sleep-api into dir and returns the path of
// the binary. It must run inside the module (any folder of the repository).
func Build(ctx context.Context, dir string) (string, error) {
	binary := filepath.Join(dir, "sleep-api")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", binary, "sleeptracker/cmd/sleep-api")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build sleep-api: %v\n%s", err, out)
	}
	return binary, nil
}

// Config is what Start needs to run sleep-api against one database file.
type Config struct {
	// Binary is the path returned by Build.
	Binary string
	// DatabasePath is the SQLite file; it is created on the first start.
	DatabasePath string
	// Admin supplies ADMIN_EMAIL and ADMIN_PASSWORD_HASH.
	Admin Admin
	// LogLevel is LOG_LEVEL; empty means "warn", which keeps the per-request
	// info lines out of a load run.
	LogLevel string
	// ExtraEnv are more NAME=value pairs for the child, for example Go
	// runtime settings such as GOMEMLIMIT=64MiB to try their effect.
	ExtraEnv []string
}

// Process is a running server: sleep-api, or any program that takes its
// address from a command line or environment and answers GET /health.
type Process struct {
	// Addr is the host:port the server listens on.
	Addr string
	// URL is "http://" + Addr.
	URL string

	cmd    *exec.Cmd
	log    *syncBuffer
	exited chan struct{}
	err    error // Wait's result, valid once exited is closed
}

// Start runs sleep-api in development cookie mode (COOKIE_SECURE=0, so the
// cookies travel over plain HTTP) on a free port of 127.0.0.1 and returns
// once /health answers 200. The child gets only the variables below and
// cfg.ExtraEnv, never the caller's environment, and runs in the database's folder so no stray
// .env is read.
//
// The port is picked here rather than with API_BIND_ADDR=…:0 because the
// "sleep-api listening" line that names a :0 port is logged at info level,
// and a load run wants LOG_LEVEL=warn. Another process could take the port
// between the pick and the server's listen; Start then tries a new port.
func Start(cfg Config) (*Process, error) {
	level := cfg.LogLevel
	if level == "" {
		level = "warn"
	}
	return StartOnFreePort(func(addr string) *exec.Cmd {
		cmd := exec.Command(cfg.Binary)
		cmd.Dir = filepath.Dir(cfg.DatabasePath)
		cmd.Env = []string{
			"DATABASE_URL=sqlite:" + cfg.DatabasePath,
			"API_BIND_ADDR=" + addr,
			"COOKIE_SECURE=0",
			"ADMIN_EMAIL=" + cfg.Admin.Email,
			"ADMIN_PASSWORD_HASH=" + cfg.Admin.PasswordHash,
			"LOG_LEVEL=" + level,
		}
		cmd.Env = append(cmd.Env, cfg.ExtraEnv...)
		return cmd
	})
}

// StartOnFreePort picks a free port on 127.0.0.1, starts the command that
// command builds for that address, and waits until GET /health answers 200.
// A process that exits before that (typically: the port was taken meanwhile)
// is retried on a new port, three times in all.
func StartOnFreePort(command func(addr string) *exec.Cmd) (*Process, error) {
	var lastErr error
	for range 3 {
		addr, err := freeLoopbackAddr()
		if err != nil {
			return nil, err
		}
		p, err := startAndWait(command(addr), addr)
		if err == nil {
			return p, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// startAndWait starts cmd and polls addr's /health until it answers 200.
func startAndWait(cmd *exec.Cmd, addr string) (*Process, error) {
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	p := &Process{Addr: addr, URL: "http://" + addr, cmd: cmd, log: &syncBuffer{}, exited: make(chan struct{})}
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	logCopied := make(chan struct{})
	go func() {
		_, _ = io.Copy(p.log, stderr)
		close(logCopied)
	}()
	go func() {
		<-logCopied // Wait closes the pipe; read it to the end first
		p.err = cmd.Wait()
		close(p.exited)
	}()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			return nil, fmt.Errorf("%s exited before serving (%v):\n%s", cmd.Path, p.err, p.log.String())
		default:
		}
		if resp, err := client.Get(p.URL + "/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = p.Kill()
	return nil, fmt.Errorf("%s did not answer /health within %s:\n%s", cmd.Path, startTimeout, p.log.String())
}

// Pid is the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Log returns everything the process wrote to stderr so far.
func (p *Process) Log() string { return p.log.String() }

// Kill sends SIGKILL — no shutdown code runs, as in a crash or power cut of
// the process — and waits for the process to be gone.
func (p *Process) Kill() error {
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-p.exited
	return nil
}

// Stop sends SIGTERM and waits up to 15 s for a clean exit (the server's
// shutdown grace is 10 s), then kills. It returns the exit error, if any.
func (p *Process) Stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-p.exited:
		return p.err
	case <-time.After(15 * time.Second):
		_ = p.Kill()
		return fmt.Errorf("%s ignored SIGTERM for 15 s; killed", p.cmd.Path)
	}
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// PeakRSSKiB returns the process's peak resident set size (VmHWM of
// /proc/<pid>/status) in KiB. It works only while the process runs, and only
// on Linux.
func (p *Process) PeakRSSKiB() (int64, error) {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(p.Pid()) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmHWM line in /proc status")
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
