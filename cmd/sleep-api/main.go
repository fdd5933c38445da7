// Command sleep-api is the SleepTracker server: one process that serves the
// JSON API, the seed-named aliases and the embedded web UI over one SQLite file.
//
//	sleep-api                          start the server (same as "sleep-api serve")
//	sleep-api serve                    start the server
//	sleep-api healthcheck [--url URL]  exit 0 if the server's /health answers 200
//	sleep-api backup [--out PATH]      write a consistent backup of DATABASE_URL (server may be running)
//	sleep-api restore PATH [--yes]     replace DATABASE_URL with a backup (server must be stopped)
//	sleep-api import --format F FILE   run an import from the command line: print the preview, ask, commit
//	sleep-api version                  print version information
//	sleep-api --help | -h | help       print usage
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"

	"sleeptracker/internal/config"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `Usage:
  sleep-api                          start the server (same as "sleep-api serve")
  sleep-api serve                    start the server
  sleep-api healthcheck [--url URL]  exit 0 if the server's /health answers 200
  sleep-api backup [--out PATH]      write a consistent backup of DATABASE_URL (server may be running)
  sleep-api restore PATH [--yes]     replace DATABASE_URL with a backup (server must be stopped)
  sleep-api import --format F FILE   run an import from the command line: print the preview, ask, commit
             [--timezone TZ] [--dry-run|--yes]
  sleep-api version                  print version information
  sleep-api --help | -h | help       print this usage
`

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT is set.
// Each argon2 check allocates 19 MiB; without a limit the collector lets a
// login burst grow the heap far past what the diary itself needs.
const defaultMemoryLimit = 64 << 20

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], processEnvironment, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// environment returns the variables a command is configured from. main reads
// the process environment plus .env; tests pass a fixed map, so they never
// touch the real environment or working directory.
type environment func() (map[string]string, error)

// processEnvironment is the real environment: process variables win over the
// .env file of the working directory (SPEC §2.4).
func processEnvironment() (map[string]string, error) {
	return config.Environment(config.DotenvFile)
}

// run dispatches the subcommand and returns the process exit status.
func run(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	command := "serve"
	if len(args) > 0 {
		command, args = args[0], args[1:]
	}
	switch command {
	case "serve":
		if len(args) > 0 {
			break
		}
		return serve(ctx, env, stderr)
	case "healthcheck":
		return healthcheck(args, env, stderr)
	case "backup":
		return backupCommand(ctx, args, env, stdout, stderr)
	case "restore":
		return restoreCommand(ctx, args, env, stdout, stderr)
	case "import":
		return importCommand(ctx, args, env, stdout, stderr)
	case "version":
		if len(args) > 0 {
			break
		}
		fmt.Fprintln(stdout, versionLine())
		return 0
	case "--help", "-h", "help":
		fmt.Fprint(stdout, usage+"\n"+config.VariablesHelp())
		return 0
	}
	fmt.Fprint(stderr, usage)
	return 2
}

// versionLine is "sleep-api <version> (<commit>, <go version>)".
func versionLine() string {
	commit := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				commit = s.Value[:min(7, len(s.Value))]
			}
		}
	}
	return fmt.Sprintf("sleep-api %s (%s, %s)", version, commit, runtime.Version())
}
