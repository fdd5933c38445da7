// Package auth holds password verification, session cookie sealing, CSRF tokens and the login throttle.
package auth
