package sleep

import (
	"errors"
	"fmt"
)

// ErrorCode classifies a domain error; the HTTP layer maps each code to one status.
type ErrorCode string

// Domain error codes.
const (
	// CodeInvalid: the input breaks a validation or domain rule (HTTP 400).
	CodeInvalid ErrorCode = "invalid"
	// CodeNotFound: the addressed record does not exist (HTTP 404).
	CodeNotFound ErrorCode = "not_found"
)

// Error is a domain error with a stable code and a message safe to show to users.
type Error struct {
	Code    ErrorCode
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Invalid returns a CodeInvalid error with the given user-facing message.
func Invalid(message string) *Error { return &Error{Code: CodeInvalid, Message: message} }

// Invalidf is Invalid with fmt.Sprintf formatting.
func Invalidf(format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is returned when a session or note does not exist.
var ErrNotFound = &Error{Code: CodeNotFound, Message: "not found"}

// ErrOverlap is returned when a session's interval meets a stored session (§6.3).
var ErrOverlap = Invalid("sleep session overlaps existing session")

// AsError returns the *Error inside err, or nil when err is not a domain error.
func AsError(err error) *Error {
	var de *Error
	if errors.As(err, &de) {
		return de
	}
	return nil
}
