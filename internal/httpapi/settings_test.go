package httpapi

import (
	"context"
	"net/http"
	"testing"

	"sleeptracker/internal/config"
	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

func timezoneOf(t *testing.T, c *testClient) string {
	t.Helper()
	resp := c.do(t, http.MethodGet, "/api/settings/timezone", nil).mustStatus(t, http.StatusOK)
	assertKeys(t, resp.Body, "timezone")
	var body struct{ Timezone string }
	resp.JSON(t, &body)
	return body.Timezone
}

func withAppTZ(name string) func(*config.Config) {
	return func(cfg *config.Config) {
		loc, err := sleep.LoadZone(name)
		if err != nil {
			panic(err)
		}
		cfg.AppTZ, cfg.AppLocation = name, loc
	}
}

func TestTimezoneFallsBackToAppTZ(t *testing.T) {
	ts := newTestServer(t)
	if got := timezoneOf(t, ts.login(t)); got != "UTC" {
		t.Fatalf("fresh timezone %q, want UTC", got)
	}

	ts = newTestServer(t, withAppTZ("Europe/Berlin"))
	c := ts.login(t)
	if got := timezoneOf(t, c); got != "Europe/Berlin" {
		t.Fatalf("fresh timezone %q, want APP_TZ Europe/Berlin", got)
	}
	// A stored zone that no longer loads is ignored, not an error.
	if err := ts.Store.PutSetting(context.Background(), store.SettingUserTimezone, "Mars/Olympus_Mons"); err != nil {
		t.Fatal(err)
	}
	if got := timezoneOf(t, c); got != "Europe/Berlin" {
		t.Fatalf("timezone with an invalid stored zone %q, want Europe/Berlin", got)
	}
}

func TestTimezoneAcceptsExactZoneNames(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	for given, stored := range map[string]string{
		"Asia/Tokyo":          "Asia/Tokyo",
		"  America/New_York ": "America/New_York",
		"UTC":                 "UTC",
		"GMT":                 "GMT",
		"US/Eastern":          "US/Eastern",
		"Etc/GMT+5":           "Etc/GMT+5",
		"EST5EDT":             "EST5EDT",
	} {
		resp := c.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": given}).mustStatus(t, http.StatusNoContent)
		if len(resp.Body) != 0 {
			t.Fatalf("204 with body %q", resp.Body)
		}
		if got := timezoneOf(t, c); got != stored {
			t.Fatalf("after setting %q: %q, want %q", given, got, stored)
		}
	}
}

func TestTimezoneRejectsInvalidNames(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	c.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": "Asia/Tokyo"}).mustStatus(t, http.StatusNoContent)
	for _, name := range []string{"", "   ", "Local", "asia/tokyo", "ASIA/TOKYO", "Asia/Tokyo/", "Asia/", "Mars/Base", "../etc/passwd", "+09:00"} {
		mustError(t, c.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": name}),
			http.StatusBadRequest, "bad_request", "invalid timezone")
	}
	mustError(t, c.do(t, http.MethodPost, "/api/settings/timezone", `{}`), http.StatusBadRequest, "bad_request", "timezone is required")
	mustError(t, c.do(t, http.MethodPost, "/api/settings/timezone", `{"timezone":null}`), http.StatusBadRequest, "bad_request", "timezone is required")
	mustError(t, c.do(t, http.MethodPost, "/api/settings/timezone", `{"timezone":9}`), http.StatusBadRequest, "bad_request", "timezone must be a string")
	if got := timezoneOf(t, c); got != "Asia/Tokyo" {
		t.Fatalf("timezone %q after rejected writes, want Asia/Tokyo", got)
	}
}
