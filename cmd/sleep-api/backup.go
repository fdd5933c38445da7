package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"sleeptracker/internal/backup"
	"sleeptracker/internal/config"
	"sleeptracker/internal/store"
)

// stdin and stdinIsTerminal are the restore confirmation's input; tests
// replace them.
var (
	stdin           io.Reader = os.Stdin
	stdinIsTerminal           = func() bool { return term.IsTerminal(int(os.Stdin.Fd())) }
)

// backupCommand is "sleep-api backup [--out PATH]" (SPEC §13.2, §16.1): a
// checked, consistent copy of DATABASE_URL, also while a server runs on it
// (it takes no lock and runs no migrations: it only reads).
func backupCommand(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	var out string
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "--out" || arg == "-out":
			if i+1 >= len(args) || args[i+1] == "" {
				return usageError(stderr)
			}
			i++
			out = args[i]
		case strings.HasPrefix(arg, "--out=") && len(arg) > len("--out="):
			out = strings.TrimPrefix(arg, "--out=")
		default:
			return usageError(stderr)
		}
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "sleep-api: backup: "+err.Error())
		return 1
	}
	cfg, code := loadConfig(env, stderr)
	if code != 0 {
		return code
	}
	if cfg.DatabasePath == config.MemoryDatabase {
		return fail(errors.New("DATABASE_URL is sqlite::memory:, which has no file to back up"))
	}
	if out == "" {
		out = "./" + backup.DownloadName(time.Now())
	}
	src, err := store.OpenFileSource(ctx, cfg.DatabasePath)
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	info, err := backup.Snapshot(ctx, src, out)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "backup written to %s: %s\n", out, describe(info))
	return 0
}

// restoreCommand is "sleep-api restore PATH [--yes]" (SPEC §13.3, §16.1).
func restoreCommand(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	var path string
	yes := false
	for _, arg := range args {
		switch {
		case arg == "--yes" || arg == "-yes" || arg == "-y":
			yes = true
		case strings.HasPrefix(arg, "-") || path != "":
			return usageError(stderr)
		default:
			path = arg
		}
	}
	if path == "" {
		return usageError(stderr)
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "sleep-api: restore: "+err.Error())
		return 1
	}
	cfg, code := loadConfig(env, stderr)
	if code != 0 {
		return code
	}
	if !yes && !stdinIsTerminal() {
		return fail(errors.New("stdin is not a terminal; pass --yes to restore without a question"))
	}
	opts := backup.RestoreOptions{DatabasePath: cfg.DatabasePath, BackupPath: path}
	if !yes {
		opts.Confirm = func(info backup.Info) bool {
			fmt.Fprintf(stdout, "%s holds %s.\nReplace %s with it? The current database is kept beside it, "+
				"and everyone must sign in again. [y/N] ", path, describe(info), cfg.DatabasePath)
			answer, _ := bufio.NewReader(stdin).ReadString('\n')
			switch strings.ToLower(strings.TrimSpace(answer)) {
			case "y", "yes":
				return true
			}
			return false
		}
	}
	res, err := backup.Restore(ctx, opts)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "restored %s into %s: %s\n", path, cfg.DatabasePath, describe(res.Info))
	if res.MovedAside != "" {
		fmt.Fprintf(stdout, "the previous database was moved to %s\n", res.MovedAside)
	} else {
		fmt.Fprintln(stdout, "there was no previous database")
	}
	fmt.Fprintln(stdout, "everyone must sign in again and API tokens must be created anew: "+
		"the restored database keeps no login sessions, API tokens or idempotency records")
	return 0
}

// describe summarises a backup's records for people.
func describe(info backup.Info) string {
	sessions := plural(info.Sessions, "session", "sessions")
	if info.Sessions > 0 {
		sessions += " from " + info.FirstDate + " to " + info.LastDate
	}
	return fmt.Sprintf("%s, %s, %s", sessions, plural(info.Notes, "note", "notes"),
		plural(info.Exercise, "exercise record", "exercise records"))
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// loadConfig reads and validates the configuration; on failure it prints the
// one-line error and returns exit status 1.
func loadConfig(env environment, stderr io.Writer) (config.Config, int) {
	vars, err := env()
	if err == nil {
		var cfg config.Config
		if cfg, err = config.Load(vars); err == nil {
			return cfg, 0
		}
	}
	fmt.Fprintln(stderr, "sleep-api: "+err.Error())
	return config.Config{}, 1
}

// usageError prints the usage to stderr: exit status 2 (SPEC §9.1).
func usageError(stderr io.Writer) int {
	fmt.Fprint(stderr, usage)
	return 2
}
