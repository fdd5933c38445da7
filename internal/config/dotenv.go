package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// DotenvFile is the name of the optional file read from the working
// directory by sleep-api (SPEC §2.4); parent folders are not searched.
const DotenvFile = ".env"

// Environment returns the variables for Load: the process environment plus
// the .env file at dotenvPath. A missing file is fine; an unreadable or
// malformed one is an *Error ("config: .env line N: problem").
//
// The process environment wins: a .env line only sets a variable that is
// absent from the environment or blank there (blank counts as unset, §2.1).
//
// We parse .env ourselves instead of using godotenv v1.5.1 because that
// library expands only upper-case names and only from earlier .env lines
// (never the process environment), and its errors carry no line number.
func Environment(dotenvPath string) (map[string]string, error) {
	env := processEnvironment()
	content, err := os.ReadFile(dotenvPath)
	if errors.Is(err, fs.ErrNotExist) {
		return env, nil
	}
	if err != nil {
		return nil, &Error{Variable: ".env", Problem: err.Error()}
	}
	if err := applyDotenv(env, content); err != nil {
		return nil, err
	}
	return env, nil
}

func processEnvironment() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if key, value, ok := strings.Cut(kv, "="); ok && key != "" {
			env[key] = value
		}
	}
	return env
}

// applyDotenv parses content line by line and stores each assignment in env
// unless env already holds a non-blank value. $VAR references see env as it
// stands, i.e. the process environment and earlier .env lines.
//
// Syntax: KEY=value; blank lines and "#" lines are skipped; an "export "
// prefix is allowed; single-quoted values are literal; double-quoted values
// process \n \r \t \" \\ \$ and expand $VAR/${VAR}; unquoted values end at
// " #" and expand $VAR/${VAR}. A value spans one line.
func applyDotenv(env map[string]string, content []byte) error {
	text := strings.TrimPrefix(string(content), "\uFEFF") // editors on Windows add a BOM
	lookup := func(name string) string { return env[name] }
	for i, line := range strings.Split(text, "\n") {
		key, value, ok, err := parseDotenvLine(strings.TrimSuffix(line, "\r"), lookup)
		if err != nil {
			return &Error{Variable: fmt.Sprintf(".env line %d", i+1), Problem: err.Error()}
		}
		if ok && strings.TrimSpace(env[key]) == "" {
			env[key] = value
		}
	}
	return nil
}

// parseDotenvLine returns ok=false for blank and comment lines. Errors never
// quote the value: it may be a secret.
func parseDotenvLine(line string, lookup func(string) string) (key, value string, ok bool, err error) {
	s := strings.TrimLeft(line, " \t")
	if s == "" || s[0] == '#' {
		return "", "", false, nil
	}
	if rest, found := strings.CutPrefix(s, "export"); found && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		s = strings.TrimLeft(rest, " \t")
	}
	key, raw, found := strings.Cut(s, "=")
	if !found {
		return "", "", false, errors.New("want KEY=value")
	}
	key = strings.TrimRight(key, " \t")
	if !isVariableName(key) {
		return "", "", false, fmt.Errorf("invalid variable name %q", key)
	}
	value, err = parseDotenvValue(raw, lookup)
	return key, value, err == nil, err
}

func parseDotenvValue(raw string, lookup func(string) string) (string, error) {
	s := strings.TrimLeft(raw, " \t")
	var value, rest string
	switch {
	case strings.HasPrefix(s, "'"):
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", errors.New("unterminated single-quoted value")
		}
		value, rest = s[1:1+end], s[2+end:]
	case strings.HasPrefix(s, `"`):
		var err error
		if value, rest, err = parseDoubleQuoted(s[1:], lookup); err != nil {
			return "", err
		}
	default:
		// The comment test runs on raw so that "KEY= # note" is empty.
		if i := inlineCommentStart(raw); i >= 0 {
			raw = raw[:i]
		}
		return expandUnquoted(strings.TrimSpace(raw), lookup)
	}
	if rest = strings.TrimLeft(rest, " \t"); rest != "" && rest[0] != '#' {
		return "", errors.New("unexpected text after the closing quote")
	}
	return value, nil
}

// inlineCommentStart returns the index of the first "#" preceded by a space
// or tab, or -1.
func inlineCommentStart(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			return i
		}
	}
	return -1
}

func expandUnquoted(s string, lookup func(string) string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			b.WriteByte(s[i])
			continue
		}
		replacement, width, err := expandReference(s[i:], lookup)
		if err != nil {
			return "", err
		}
		b.WriteString(replacement)
		i += width - 1
	}
	return b.String(), nil
}

// parseDoubleQuoted reads up to the closing quote of a value whose opening
// quote is already consumed, and returns the text after it.
func parseDoubleQuoted(s string, lookup func(string) string) (value, rest string, err error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return b.String(), s[i+1:], nil
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '"', '\\', '$':
				b.WriteByte(e)
			default: // unknown escapes stay as written
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		case c == '$':
			replacement, width, err := expandReference(s[i:], lookup)
			if err != nil {
				return "", "", err
			}
			b.WriteString(replacement)
			i += width - 1
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errors.New("unterminated double-quoted value")
}

// expandReference expands the $NAME or ${NAME} at the start of s and returns
// the replacement and how many bytes of s it consumed. A "$" not followed by
// a name stays a literal "$". Unset names expand to "".
func expandReference(s string, lookup func(string) string) (replacement string, width int, err error) {
	if strings.HasPrefix(s, "${") {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "", 0, errors.New(`unterminated "${" in value`)
		}
		if name := s[2:end]; !isVariableName(name) {
			return "", 0, fmt.Errorf("unsupported expansion %q", s[:end+1])
		}
		return lookup(s[2:end]), end + 1, nil
	}
	n := 1
	for n < len(s) && isNameByte(s[n], n == 1) {
		n++
	}
	if n == 1 {
		return "$", 1, nil
	}
	return lookup(s[1:n]), n, nil
}

// isVariableName reports whether s is a shell-style name: [A-Za-z_][A-Za-z0-9_]*.
func isVariableName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i], i == 0) {
			return false
		}
	}
	return true
}

func isNameByte(c byte, first bool) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9'
}
