package store

import (
	"context"
	"database/sql"
	"errors"

	"sleeptracker/internal/store/db"
)

// Setting keys of the settings table (SPEC §6.8).
const (
	SettingUserTimezone      = "user_timezone"
	SettingSessionSecret     = "session_secret"
	SettingAdminPasswordHash = "admin_password_hash"
)

// Setting returns the value stored under key and whether it exists.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	v, err := s.rq.GetSetting(ctx, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return v, true, nil
}

// PutSetting stores value under key, replacing any previous value.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	return s.wq.PutSetting(ctx, db.PutSettingParams{Key: key, Value: value})
}

// SettingOrInit returns the value under key; when there is none it stores
// initial and returns that. Two processes racing on a first start therefore
// agree on one value.
func (s *Store) SettingOrInit(ctx context.Context, key, initial string) (value string, created bool, err error) {
	err = s.inWriteTx(ctx, func(q *db.Queries) error {
		v, err := q.GetSetting(ctx, key)
		if err == nil {
			value = v
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		value, created = initial, true
		return q.InsertSettingIfAbsent(ctx, db.InsertSettingIfAbsentParams{Key: key, Value: initial})
	})
	return value, created, err
}
