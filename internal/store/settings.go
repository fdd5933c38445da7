package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"sleeptracker/internal/sleep"
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

// SetUserTimezone stores the user timezone (SPEC §5.7). name must already be
// validated (sleep.ParseTimezoneInput); it affects only later writes.
func (s *Store) SetUserTimezone(ctx context.Context, name string) error {
	return s.PutSetting(ctx, SettingUserTimezone, name)
}

// UserLocation returns the user timezone of SPEC §6.7: the stored zone when one
// is stored and still names a zone of the embedded tz database, else the
// fallback (the configured APP_TZ name and location). A stored name that no
// longer loads is ignored rather than failing every request that needs a zone.
func (s *Store) UserLocation(ctx context.Context, fallbackName string, fallback *time.Location) (string, *time.Location, error) {
	name, ok, err := s.Setting(ctx, SettingUserTimezone)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if loc, err := sleep.LoadZone(name); err == nil {
			return name, loc, nil
		}
	}
	return fallbackName, fallback, nil
}
