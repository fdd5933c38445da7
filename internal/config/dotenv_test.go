package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestApplyDotenvSyntax(t *testing.T) {
	real := map[string]string{"HOME_DIR": "/home/me", "EMPTY": ""}
	tests := []struct {
		name string
		line string
		want map[string]string // the variables the line adds or changes
	}{
		{"plain", "A=b", map[string]string{"A": "b"}},
		{"spaces around", "  A = b c  ", map[string]string{"A": "b c"}},
		{"export prefix", "export A=b", map[string]string{"A": "b"}},
		{"export with tab", "export\tA=b", map[string]string{"A": "b"}},
		{"variable named export", "export=b", map[string]string{"export": "b"}},
		{"blank", "   ", nil},
		{"comment", "# A=b", nil},
		{"indented comment", "   # A=b", nil},
		{"inline comment", "A=b # note", map[string]string{"A": "b"}},
		{"inline comment with tab", "A=b\t# note", map[string]string{"A": "b"}},
		{"hash without space is data", "A=b#c", map[string]string{"A": "b#c"}},
		{"only a comment", "A= # note", map[string]string{"A": ""}},
		{"empty value", "A=", map[string]string{"A": ""}},
		{"equals in value", "A=b=c", map[string]string{"A": "b=c"}},
		{"CRLF line end", "A=b\r", map[string]string{"A": "b"}},
		{"single quotes literal", `A='$HOME_DIR ${HOME_DIR} \n # x'`, map[string]string{"A": `$HOME_DIR ${HOME_DIR} \n # x`}},
		{"single quotes then comment", "A='b c' # note", map[string]string{"A": "b c"}},
		{"double quotes expand", `A="$HOME_DIR/x ${HOME_DIR}"`, map[string]string{"A": "/home/me/x /home/me"}},
		{"double quotes escapes", `A="l1\nl2\t\"q\" \\ \$HOME_DIR \z"`, map[string]string{"A": "l1\nl2\t\"q\" \\ $HOME_DIR \\z"}},
		{"double quotes keep #", `A="b # c"`, map[string]string{"A": "b # c"}},
		{"unquoted expands", "A=$HOME_DIR/data", map[string]string{"A": "/home/me/data"}},
		{"unquoted braces", "A=${HOME_DIR}data", map[string]string{"A": "/home/medata"}},
		{"lower-case names expand", "A=x$home_dir", map[string]string{"A": "x"}},
		{"unset expands empty", "A=[$NOPE]", map[string]string{"A": "[]"}},
		{"lone dollar literal", "A=5$ and $1", map[string]string{"A": "5$ and $1"}},
		{"blank real value is overridden", "EMPTY=x", map[string]string{"EMPTY": "x"}},
		{"real value wins", "HOME_DIR=/other", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := copyMap(real)
			if err := applyDotenv(env, []byte(tc.line)); err != nil {
				t.Fatalf("applyDotenv(%q): %v", tc.line, err)
			}
			want := copyMap(real)
			for k, v := range tc.want {
				want[k] = v
			}
			if !reflect.DeepEqual(env, want) {
				t.Errorf("applyDotenv(%q) = %q; want %q", tc.line, env, want)
			}
		})
	}
}

func TestApplyDotenvErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		content string
		want    string
	}{
		{"A=1\nNOEQUALS\n", "config: .env line 2: want KEY=value"},
		{"# c\n\nMY VAR=1", `config: .env line 3: invalid variable name "MY VAR"`},
		{"1A=x", `config: .env line 1: invalid variable name "1A"`},
		{"=x", `config: .env line 1: invalid variable name ""`},
		{"A=ok\r\nB='open", "config: .env line 2: unterminated single-quoted value"},
		{`A="open`, "config: .env line 1: unterminated double-quoted value"},
		{`A="multi` + "\n" + `line"`, "config: .env line 1: unterminated double-quoted value"},
		{"A='b' c", "config: .env line 1: unexpected text after the closing quote"},
		{`A="b"c`, "config: .env line 1: unexpected text after the closing quote"},
		{"A=${B", `config: .env line 1: unterminated "${" in value`},
		{"A=${B:-x}", `config: .env line 1: unsupported expansion "${B:-x}"`},
	}
	for _, tc := range tests {
		err := applyDotenv(map[string]string{}, []byte(tc.content))
		var cfgErr *Error
		if err == nil || err.Error() != tc.want || !errors.As(err, &cfgErr) {
			t.Errorf("applyDotenv(%q) error = %v; want *Error %q", tc.content, err, tc.want)
		}
	}
}

func TestApplyDotenvExpansionSeesEarlierLinesAndRealEnv(t *testing.T) {
	env := map[string]string{"REAL": "r", "BOTH": "from-env"}
	content := "\uFEFFFIRST=1\nBOTH=from-file\nSECOND=${FIRST}-$REAL-$BOTH-$LATER\nLATER=x\n"
	if err := applyDotenv(env, []byte(content)); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"REAL": "r", "BOTH": "from-env", "FIRST": "1", "SECOND": "1-r-from-env-", "LATER": "x"}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("env = %q; want %q", env, want)
	}
}

func TestDotenvQuotingOfPasswordHash(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		wantErr string
	}{
		{"single quotes keep every $", "ADMIN_PASSWORD_HASH='" + validHash + "'", ""},
		{"export and single quotes", "export ADMIN_PASSWORD_HASH='" + validHash + "' # from pw-hash", ""},
		{"unquoted is expanded away", "ADMIN_PASSWORD_HASH=" + validHash,
			"config: ADMIN_PASSWORD_HASH: not an argon2 PHC string (quote it with single quotes in .env)"},
		{"double quotes expand too", `ADMIN_PASSWORD_HASH="` + validHash + `"`,
			"config: ADMIN_PASSWORD_HASH: not an argon2 PHC string (quote it with single quotes in .env)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			if err := applyDotenv(env, []byte(tc.line+"\n")); err != nil {
				t.Fatal(err)
			}
			c, err := Load(env)
			if tc.wantErr == "" {
				if err != nil || c.AdminPasswordHash == nil || !c.AdminPasswordHash.Verify("correct horse") {
					t.Fatalf("Load error %v, hash %v; want the hash to verify", err, c.AdminPasswordHash)
				}
				return
			}
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("Load error = %v (value %q); want %q", err, env["ADMIN_PASSWORD_HASH"], tc.wantErr)
			}
		})
	}
}

func TestEnvironmentPrecedence(t *testing.T) {
	dir := t.TempDir()
	dotenv := filepath.Join(dir, ".env")
	content := "APP_TZ=Europe/Berlin\nLOG_LEVEL=debug\nAPI_BIND_ADDR=127.0.0.1:${TEST_PORT}\n"
	if err := os.WriteFile(dotenv, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("APP_TZ", "Asia/Tokyo") // real env beats .env
	t.Setenv("LOG_LEVEL", "  ")      // blank counts as unset, so .env applies
	t.Setenv("TEST_PORT", "9090")    // .env expansion sees the real env
	t.Setenv("SESSION_TTL_HOURS", "")
	env, err := Environment(dotenv)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	if c.AppTZ != "Asia/Tokyo" || c.LogLevel.String() != "DEBUG" || c.BindAddr != "127.0.0.1:9090" || c.SessionTTLHours != 12 {
		t.Errorf("got tz %q, level %v, addr %q, ttl %d; want Asia/Tokyo, DEBUG, 127.0.0.1:9090, 12 (default)",
			c.AppTZ, c.LogLevel, c.BindAddr, c.SessionTTLHours)
	}
}

func TestEnvironmentMissingDotenvIsFine(t *testing.T) {
	t.Setenv("APP_TZ", "Asia/Tokyo")
	env, err := Environment(filepath.Join(t.TempDir(), ".env"))
	if err != nil || env["APP_TZ"] != "Asia/Tokyo" {
		t.Fatalf("Environment = %v, %v; want the process environment", env["APP_TZ"], err)
	}
}

func TestEnvironmentUnreadableOrMalformedDotenv(t *testing.T) {
	dir := t.TempDir()
	// A folder named .env cannot be read as a file, whoever runs the test.
	if err := os.Mkdir(filepath.Join(dir, "folder"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Environment(filepath.Join(dir, "folder"))
	if err == nil || !strings.HasPrefix(err.Error(), "config: .env: ") {
		t.Errorf("unreadable .env: error = %v; want config: .env: …", err)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("# ok\nA=1\nnot an assignment\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Environment(bad)
	if err == nil || err.Error() != "config: .env line 3: want KEY=value" {
		t.Errorf("malformed .env: error = %v; want config: .env line 3: want KEY=value", err)
	}
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
