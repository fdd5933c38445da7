package config

import (
	"strings"
	"testing"
)

// The scheduled-backup variables of SPEC §13.2.

func TestLoadBackupDefaults(t *testing.T) {
	c, err := Load(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if c.BackupDir != "" || c.BackupIntervalHours != 24 || c.BackupKeep != 14 {
		t.Fatalf("backup defaults = %q %d %d; want off, 24, 14", c.BackupDir, c.BackupIntervalHours, c.BackupKeep)
	}
}

func TestLoadBackupDir(t *testing.T) {
	runLoadCases(t, "BACKUP_DIR", []loadCase{
		{value: "/data/backups", check: func(c Config) bool { return c.BackupDir == "/data/backups" }},
		{value: "  ./backups  ", check: func(c Config) bool { return c.BackupDir == "./backups" }},
		{value: "   ", check: func(c Config) bool { return c.BackupDir == "" }},
	})
}

func TestLoadBackupInterval(t *testing.T) {
	hours := func(want int) func(Config) bool { return func(c Config) bool { return c.BackupIntervalHours == want } }
	bad := func(v string) loadCase {
		return loadCase{value: v, wantErr: `config: BACKUP_INTERVAL_HOURS: want a whole number of hours from 1 to 8760; got "` + v + `"`}
	}
	runLoadCases(t, "BACKUP_INTERVAL_HOURS", []loadCase{
		{value: "1", check: hours(1)},
		{value: "8760", check: hours(8760)},
		{value: "012", check: hours(12)},
		bad("0"), bad("8761"), bad("-1"), bad("+2"), bad("1.5"), bad("24h"), bad("1_0"), bad("99999999999999999999"),
	})
}

func TestLoadBackupKeep(t *testing.T) {
	keep := func(want int) func(Config) bool { return func(c Config) bool { return c.BackupKeep == want } }
	bad := func(v string) loadCase {
		return loadCase{value: v, wantErr: `config: BACKUP_KEEP: want a whole number of backups from 1 to 1000; got "` + v + `"`}
	}
	runLoadCases(t, "BACKUP_KEEP", []loadCase{
		{value: "1", check: keep(1)},
		{value: "1000", check: keep(1000)},
		bad("0"), bad("1001"), bad("-3"), bad("ten"), bad("5 " + "x"),
	})
}

func TestVariablesHelpListsBackupVariables(t *testing.T) {
	help := VariablesHelp()
	for _, want := range []string{"BACKUP_DIR", "unset: no scheduled backups", "BACKUP_INTERVAL_HOURS", "default: 24",
		"BACKUP_KEEP", "default: 14"} {
		if !strings.Contains(help, want) {
			t.Errorf("VariablesHelp lacks %q", want)
		}
	}
}
