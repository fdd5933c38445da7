package config

import "testing"

func TestImportMaxMB(t *testing.T) {
	runLoadCases(t, "IMPORT_MAX_MB", []loadCase{
		{value: "", check: func(c Config) bool { return c.ImportMaxMB == 2048 }},
		{value: "1", check: func(c Config) bool { return c.ImportMaxMB == 1 }},
		{value: " 16384 ", check: func(c Config) bool { return c.ImportMaxMB == 16384 }},
		{value: "0", wantErr: `config: IMPORT_MAX_MB: want a whole number of MiB from 1 to 16384; got "0"`},
		{value: "16385", wantErr: `config: IMPORT_MAX_MB: want a whole number of MiB from 1 to 16384; got "16385"`},
		{value: "+5", wantErr: `config: IMPORT_MAX_MB: want a whole number of MiB from 1 to 16384; got "+5"`},
		{value: "2e3", wantErr: `config: IMPORT_MAX_MB: want a whole number of MiB from 1 to 16384; got "2e3"`},
	})
}
