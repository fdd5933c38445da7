// Command pw-hash prints an argon2id PHC string for ADMIN_PASSWORD_HASH
// (SPEC §9.2): argon2id v19, m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte key.
//
// On a terminal it prompts twice on stderr without echo; from a pipe or file
// it reads one line. Only the hash goes to stdout, so `pw-hash > hash.txt`
// captures just the hash.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"sleeptracker/internal/auth"
)

const usage = `Usage: pw-hash [--help]

Prints an argon2id hash for ADMIN_PASSWORD_HASH on stdout.

On a terminal it asks for the password twice, without echo. Otherwise it reads
one line from standard input; trailing CR/LF are removed, spaces are kept:
  echo 'my password' | pw-hash

Put the hash in SINGLE quotes in .env, or $-expansion corrupts it:
  ADMIN_PASSWORD_HASH='$argon2id$v=19$m=19456,t=2,p=1$...$...'
`

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// secretReader reads one line from the terminal without echoing it.
type secretReader func() (string, error)

func main() {
	readSecret, stop := terminalSecretReader(int(os.Stdin.Fd()))
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, readSecret)
	stop()
	os.Exit(code)
}

// terminalSecretReader returns a no-echo reader when fd is a terminal (nil
// otherwise) and a function that ends the signal watch it starts: Ctrl-C
// during a prompt must leave the terminal echoing again, but ReadPassword
// restores it only when it returns.
func terminalSecretReader(fd int) (secretReader, func()) {
	if !term.IsTerminal(fd) {
		return nil, func() {}
	}
	readSecret := func() (string, error) {
		b, err := term.ReadPassword(fd)
		return string(b), err
	}
	state, err := term.GetState(fd)
	if err != nil {
		return readSecret, func() {}
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		if _, ok := <-signals; ok {
			_ = term.Restore(fd, state)
			fmt.Fprintln(os.Stderr)
			os.Exit(130) // the conventional status after SIGINT
		}
	}()
	return readSecret, func() { signal.Stop(signals) }
}

// run is pw-hash without process globals. readSecret is nil when stdin is
// not a terminal; then one line is read from stdin. It returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, readSecret secretReader) int {
	if len(args) == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help") {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "pw-hash: unexpected argument %q\n\n%s", args[0], usage)
		return exitUsage
	}
	var password string
	var err error
	if readSecret != nil {
		password, err = promptPassword(readSecret, stderr)
	} else {
		password, err = readLine(stdin)
	}
	if err != nil {
		fmt.Fprintf(stderr, "pw-hash: %v\n", err)
		return exitError
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		fmt.Fprintf(stderr, "pw-hash: %v\n", err)
		return exitError
	}
	if _, err := fmt.Fprintln(stdout, hash); err != nil {
		fmt.Fprintf(stderr, "pw-hash: write hash: %v\n", err)
		return exitError
	}
	return exitOK
}

var (
	errEmptyPassword = errors.New("password must not be empty")
	errMismatch      = errors.New("passwords do not match")
)

// promptPassword asks twice on stderr. The empty check comes before the
// confirmation so a stray Enter is reported at once.
func promptPassword(readSecret secretReader, stderr io.Writer) (string, error) {
	ask := func(prompt string) (string, error) {
		fmt.Fprint(stderr, prompt)
		s, err := readSecret()
		fmt.Fprintln(stderr) // the user's Enter was not echoed
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return s, nil
	}
	password, err := ask("Password: ")
	if err != nil {
		return "", err
	}
	if password == "" {
		return "", errEmptyPassword
	}
	confirmation, err := ask("Confirm password: ")
	if err != nil {
		return "", err
	}
	if confirmation != password {
		return "", errMismatch
	}
	return password, nil
}

// readLine reads up to the first newline or end of input and strips trailing
// CR and LF only: every other character, spaces included, is the password.
func readLine(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", errEmptyPassword
	}
	return password, nil
}
