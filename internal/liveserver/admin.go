package liveserver

import (
	"crypto/rand"

	"sleeptracker/internal/auth"
)

// Admin is the single user of a test server: the login email and password,
// and the argon2id hash passed as ADMIN_PASSWORD_HASH.
type Admin struct {
	Email, Password, PasswordHash string
}

// NewAdmin makes a random 24-character password and hashes it with the
// server's own parameters (auth.HashPassword), so logins cost what they cost
// in production.
func NewAdmin() (Admin, error) {
	password := rand.Text()[:24]
	hash, err := auth.HashPassword(password)
	if err != nil {
		return Admin{}, err
	}
	return Admin{Email: "owner@example.com", Password: password, PasswordHash: hash}, nil
}
