package sleep

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Fields is a decoded JSON request object, keyed by field name. Validation
// helpers read it field by field in the documented order, so the first failing
// field decides the error message (SPEC §3.3, §3.4).
type Fields map[string]json.RawMessage

// IntRange is the inclusive range an integer field or query parameter must lie
// in. Values outside it — including integers too large for int64 — get the
// range message built from the field name:
//
//	IntRange{Min: 0, Max: 180}                         "latency_min must be between 0 and 180"
//	IntRange{Min: 0, Max: 2147483647, Split: true}     "form_time_ms must be >= 0" / "... must be <= 2147483647"
type IntRange struct {
	Min, Max int64
	// Split selects one message per side ("must be >= Min" below the range,
	// "must be <= Max" above it), as the friction fields use, instead of the
	// single "must be between Min and Max".
	Split bool
}

// Int32Range is the range of a non-negative 32-bit counter (friction fields).
var Int32Range = IntRange{Min: 0, Max: 2147483647, Split: true}

// outOfRange returns the range error of field name for a value below
// (below == true) or above the range.
func (r IntRange) outOfRange(name string, below bool) error {
	switch {
	case !r.Split:
		return Invalidf("%s must be between %d and %d", name, r.Min, r.Max)
	case below:
		return Invalidf("%s must be >= %d", name, r.Min)
	default:
		return Invalidf("%s must be <= %d", name, r.Max)
	}
}

// Outside reports whether an optional value is set and lies outside r.
func (r IntRange) Outside(v *int) bool {
	return v != nil && (int64(*v) < r.Min || int64(*v) > r.Max)
}

// Message is the 400 message of field name for a value outside r, as the
// API's validation gives it (imports report the same text).
func (r IntRange) Message(name string, below bool) string {
	return AsError(r.outOfRange(name, below)).Message
}

// check returns v when it lies in the range, else the range error.
func (r IntRange) check(name string, v int64) (int64, error) {
	if v < r.Min {
		return 0, r.outOfRange(name, true)
	}
	if v > r.Max {
		return 0, r.outOfRange(name, false)
	}
	return v, nil
}

// parseDecimal parses an optionally signed run of ASCII decimal digits against
// r. It reports isInteger == false for anything else (fractions, exponents,
// spaces, empty text); an integer that overflows int64 gets the range error of
// its side, as SPEC §3.4 asks.
func (r IntRange) parseDecimal(name, text string) (v int64, isInteger bool, err error) {
	digits := text
	if digits != "" && (digits[0] == '-' || digits[0] == '+') {
		digits = digits[1:]
	}
	if digits == "" {
		return 0, false, nil
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false, nil
		}
	}
	v, perr := strconv.ParseInt(text, 10, 64)
	if perr != nil { // only ErrRange is possible here
		return 0, true, r.outOfRange(name, text[0] == '-')
	}
	v, err = r.check(name, v)
	return v, true, err
}

// jsonKind is the JSON type of a raw field value, read from its first byte.
type jsonKind int

const (
	kindNull jsonKind = iota // also used for an absent field
	kindString
	kindNumber
	kindBool
	kindOther // object, array or malformed text
)

func kindOf(raw []byte) jsonKind {
	if len(raw) == 0 {
		return kindNull
	}
	switch c := raw[0]; {
	case c == 'n':
		return kindNull
	case c == '"':
		return kindString
	case c == 't' || c == 'f':
		return kindBool
	case c == '-' || (c >= '0' && c <= '9'):
		return kindNumber
	}
	return kindOther
}

// value returns the field's raw JSON without surrounding whitespace and its
// kind; an absent field reads as null because SPEC §3.4 treats both alike.
func (f Fields) value(name string) ([]byte, jsonKind) {
	raw := bytes.TrimSpace(f[name])
	return raw, kindOf(raw)
}

func requiredError(name string) error { return Invalid(name + " is required") }

// RequiredString returns the string field name. Missing or null →
// "<name> is required"; another JSON type → "<name> must be a string".
func (f Fields) RequiredString(name string) (string, error) {
	s, err := f.OptionalString(name)
	if err != nil {
		return "", err
	}
	if s == nil {
		return "", requiredError(name)
	}
	return *s, nil
}

// OptionalString returns the string field name, or nil when it is missing or
// null. Another JSON type → "<name> must be a string".
func (f Fields) OptionalString(name string) (*string, error) {
	raw, kind := f.value(name)
	switch kind {
	case kindNull:
		return nil, nil
	case kindString:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, Invalid(name + " must be a string")
		}
		return &s, nil
	}
	return nil, Invalid(name + " must be a string")
}

// RequiredInt returns the integer field name, checked against r. Missing or
// null → "<name> is required"; not a JSON number without fraction or exponent
// ("10.0", "1e1", "\"10\"", true) → "<name> must be an integer"; outside r,
// even beyond int64 → r's range message.
func (f Fields) RequiredInt(name string, r IntRange) (int64, error) {
	v, err := f.OptionalInt(name, r)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return 0, requiredError(name)
	}
	return *v, nil
}

// OptionalInt is RequiredInt for a field that may be missing or null (nil).
func (f Fields) OptionalInt(name string, r IntRange) (*int64, error) {
	raw, kind := f.value(name)
	switch kind {
	case kindNull:
		return nil, nil
	case kindNumber: // starts with '-' or a digit, so never with '+'
		v, isInteger, err := r.parseDecimal(name, string(raw))
		if err != nil {
			return nil, err
		}
		if isInteger {
			return &v, nil
		}
	}
	return nil, Invalid(name + " must be an integer")
}

// RequiredBool returns the boolean field name. Missing or null →
// "<name> is required"; another JSON type → "<name> must be a boolean".
func (f Fields) RequiredBool(name string) (bool, error) {
	raw, kind := f.value(name)
	switch {
	case kind == kindNull:
		return false, requiredError(name)
	case string(raw) == "true":
		return true, nil
	case string(raw) == "false":
		return false, nil
	}
	return false, Invalid(name + " must be a boolean")
}

// requiredFormatted reads the required string field name and converts it with
// parse; a string parse rejects gets formatMsg. It is the shape shared by
// dates, clock times and intensities.
func requiredFormatted[T any](f Fields, name string, parse func(string) (T, bool), formatMsg string) (T, error) {
	var zero T
	s, err := f.RequiredString(name)
	if err != nil {
		return zero, err
	}
	v, ok := parse(s)
	if !ok {
		return zero, Invalid(formatMsg)
	}
	return v, nil
}

// optionalFormatted is requiredFormatted for a field that may be missing or
// null (nil).
func optionalFormatted[T any](f Fields, name string, parse func(string) (T, bool), formatMsg string) (*T, error) {
	s, err := f.OptionalString(name)
	if err != nil || s == nil {
		return nil, err
	}
	v, ok := parse(*s)
	if !ok {
		return nil, Invalid(formatMsg)
	}
	return &v, nil
}
