package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"sleeptracker/internal/auth"
)

// result is what one run of pw-hash produced.
type result struct {
	code           int
	stdout, stderr string
}

func runPipe(args []string, input string) result {
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(input), &stdout, &stderr, nil)
	return result{code, stdout.String(), stderr.String()}
}

// scriptedTerminal answers successive no-echo reads with lines, then fails.
func scriptedTerminal(lines ...string) secretReader {
	return func() (string, error) {
		if len(lines) == 0 {
			return "", errors.New("no more input")
		}
		line := lines[0]
		lines = lines[1:]
		return line, nil
	}
}

// assertHashOf checks that stdout is exactly one hash line that verifies
// password and nothing else.
func assertHashOf(t *testing.T, r result, password string) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q; want 0", r.code, r.stderr)
	}
	hash, ok := strings.CutSuffix(r.stdout, "\n")
	if !ok || strings.Contains(hash, "\n") || !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("stdout = %q; want one $argon2id$v=19$m=19456,t=2,p=1$… line", r.stdout)
	}
	h, err := auth.ParsePasswordHash(hash)
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	if !h.Verify(password) {
		t.Errorf("output does not verify %q", password)
	}
	if h.Verify(password + "x") {
		t.Errorf("output verifies a different password")
	}
}

func TestPipeInput(t *testing.T) {
	tests := []struct {
		name, input, password string
	}{
		{"LF", "correct horse\n", "correct horse"},
		{"CRLF", "correct horse\r\n", "correct horse"},
		{"no newline", "correct horse", "correct horse"},
		{"spaces kept", "  spaced out \t\n", "  spaced out \t"},
		{"only the first line", "first\nsecond\n", "first"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runPipe(nil, tc.input)
			assertHashOf(t, r, tc.password)
			if r.stderr != "" {
				t.Errorf("stderr = %q; want no prompt from a pipe", r.stderr)
			}
		})
	}
}

func TestEmptyPasswordRefused(t *testing.T) {
	for _, input := range []string{"", "\n", "\r\n", "\n\nlater"} {
		r := runPipe(nil, input)
		if r.code != 1 || r.stdout != "" || r.stderr != "pw-hash: password must not be empty\n" {
			t.Errorf("input %q: got %+v; want exit 1 with the empty-password message", input, r)
		}
	}
}

func TestArguments(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		r := runPipe([]string{arg}, "")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: pw-hash") || r.stderr != "" {
			t.Errorf("%s: got %+v; want usage on stdout, exit 0", arg, r)
		}
	}
	for _, args := range [][]string{{"secret"}, {"--cost=3"}, {"--help", "x"}} {
		r := runPipe(args, "correct horse\n")
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "Usage: pw-hash") {
			t.Errorf("%q: got %+v; want usage on stderr, exit 2", args, r)
		}
	}
}

func TestTerminalInput(t *testing.T) {
	runTerminal := func(lines ...string) result {
		var stdout, stderr bytes.Buffer
		code := run(nil, strings.NewReader("ignored\n"), &stdout, &stderr, scriptedTerminal(lines...))
		return result{code, stdout.String(), stderr.String()}
	}

	r := runTerminal(" same secret ", " same secret ")
	assertHashOf(t, r, " same secret ")
	if r.stderr != "Password: \nConfirm password: \n" {
		t.Errorf("stderr = %q; want both prompts", r.stderr)
	}

	r = runTerminal("one", "two")
	if r.code != 1 || r.stdout != "" || !strings.HasSuffix(r.stderr, "pw-hash: passwords do not match\n") {
		t.Errorf("mismatch: got %+v; want exit 1, passwords do not match", r)
	}

	r = runTerminal("", "")
	if r.code != 1 || r.stdout != "" || r.stderr != "Password: \npw-hash: password must not be empty\n" {
		t.Errorf("empty: got %+v; want exit 1 right after the first prompt", r)
	}

	r = runTerminal() // e.g. the terminal went away
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "pw-hash: read password: no more input") {
		t.Errorf("read error: got %+v; want exit 1 with the cause", r)
	}
}

// TestBinaryEndToEnd runs the real command with piped input: main must choose
// the pipe path (stdin is no terminal) and print only the hash on stdout.
func TestBinaryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Stdin = strings.NewReader("correct horse\r\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run: %v\n%s", err, stderr.String())
	}
	assertHashOf(t, result{0, stdout.String(), stderr.String()}, "correct horse")
}
