package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"sleeptracker/internal/backup"
	"sleeptracker/internal/imports"
	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

// importCommand runs "sleep-api import --format F FILE [--timezone TZ]
// [--dry-run|--yes]" (SPEC §16.1): the same job code as POST /api/imports, on
// the file in place (nothing is spooled or deleted). It holds the database
// lock like restore, so no server runs on the database meanwhile; it prints
// the preview, asks, and commits in one transaction.
func importCommand(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	var path, format, zoneName string
	dryRun, yes := false, false
	for i := 0; i < len(args); i++ {
		arg := args[i]
		value := func() (string, bool) {
			if _, v, ok := strings.Cut(arg, "="); ok {
				return v, true
			}
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		var ok bool
		switch {
		case arg == "--dry-run":
			dryRun = true
		case arg == "--yes" || arg == "-y":
			yes = true
		case arg == "--format" || strings.HasPrefix(arg, "--format="):
			if format, ok = value(); !ok {
				return usageError(stderr)
			}
		case arg == "--timezone" || strings.HasPrefix(arg, "--timezone="):
			if zoneName, ok = value(); !ok {
				return usageError(stderr)
			}
		case strings.HasPrefix(arg, "-") || path != "":
			return usageError(stderr)
		default:
			path = arg
		}
	}
	if path == "" || format == "" || (dryRun && yes) {
		return usageError(stderr)
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "sleep-api: import: "+err.Error())
		return 1
	}
	table := imports.Formats()
	if format != imports.AutoFormat && !containsName(imports.FormatNames(table), format) {
		return fail(errors.New(imports.FormatMessage(table)))
	}
	cfg, code := loadConfig(env, stderr)
	if code != 0 {
		return code
	}
	if !yes && !dryRun && !stdinIsTerminal() {
		return fail(errors.New("stdin is not a terminal; pass --yes to import without a question, or --dry-run"))
	}
	lock, err := backup.LockDatabase(cfg.DatabasePath)
	if err != nil {
		return fail(err)
	}
	defer lock.Release()
	st, err := store.Open(ctx, cfg.DatabasePath)
	if err != nil {
		return fail(err)
	}
	defer st.Close()

	var zone *time.Location
	if zoneName != "" {
		if zone, err = sleep.LoadZone(zoneName); err != nil {
			return fail(fmt.Errorf("unknown time zone %q", zoneName))
		}
	} else if zoneName, zone, err = st.UserLocation(ctx, cfg.AppTZ, cfg.AppLocation); err != nil {
		return fail(err)
	}
	dir := "."
	if cfg.DatabasePath != store.MemoryPath {
		dir = filepath.Dir(cfg.DatabasePath)
	}
	reg := imports.NewRegistry(imports.Config{Store: st, Dir: dir, MaxBytes: int64(cfg.ImportMaxMB) << 20, Formats: table})
	defer reg.Close()
	id, err := reg.BeginFile(imports.Request{Format: format, Zone: zone, ZoneName: zoneName, Size: -1,
		Name: filepath.Base(path)}, path)
	if err != nil {
		return fail(err)
	}
	job, err := reg.Wait(ctx, id)
	if err != nil {
		return fail(err)
	}
	if job.State == imports.StateFailed {
		return fail(errors.New(job.Error.Message))
	}
	if job.State != imports.StateReady {
		return fail(fmt.Errorf("the import ended in state %s", job.State))
	}
	fmt.Fprintf(stdout, "%s (%s): ", path, job.Format)
	printReport(stdout, job.Report)
	if dryRun {
		fmt.Fprintln(stdout, "dry run: nothing was stored")
		return 0
	}
	if job.Report.Sessions.New+job.Report.Notes.New+job.Report.Exercise.New == 0 && !yes {
		fmt.Fprintln(stdout, "nothing new to import")
		return 0
	}
	if !yes {
		fmt.Fprintf(stdout, "Import into %s? [y/N] ", cfg.DatabasePath)
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(stdout, "not imported")
			return 0
		}
	}
	done, err := reg.Commit(ctx, id)
	if err != nil {
		return fail(err)
	}
	r := done.Report
	fmt.Fprintf(stdout, "imported %s, %s and %s into %s\n", plural(int64(r.Sessions.New), "session", "sessions"),
		plural(int64(r.Notes.New), "note", "notes"), plural(int64(r.Exercise.New), "exercise record", "exercise records"),
		cfg.DatabasePath)
	return 0
}

func containsName(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// printReport writes an ImportReport for people.
func printReport(w io.Writer, r *imports.Report) {
	span := "no dated records"
	if !r.FirstDate.IsZero() {
		span = "from " + r.FirstDate.String() + " to " + r.LastDate.String()
	}
	fmt.Fprintf(w, "%s %s, times without a zone read in %s\n", plural(int64(r.Records), "record", "records"), span, r.Timezone)
	fmt.Fprintf(w, "  sessions: %d new, %d duplicate, %d overlap, %d invalid\n",
		r.Sessions.New, r.Sessions.Duplicate, r.Sessions.Overlap, r.Sessions.Invalid)
	fmt.Fprintf(w, "  notes:    %d new, %d duplicate\n", r.Notes.New, r.Notes.Duplicate)
	fmt.Fprintf(w, "  exercise: %d new, %d duplicate\n", r.Exercise.New, r.Exercise.Duplicate)
	if r.ProblemsTotal > 0 {
		fmt.Fprintf(w, "  problems (%d):\n", r.ProblemsTotal)
		for _, p := range r.Problems {
			fmt.Fprintf(w, "    %s: %s\n", p.Where, p.Message)
		}
		if more := r.ProblemsTotal - len(r.Problems); more > 0 {
			fmt.Fprintf(w, "    … and %d more\n", more)
		}
	}
}
