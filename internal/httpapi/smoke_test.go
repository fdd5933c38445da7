package httpapi

import (
	"net/http"
	"testing"
)

func TestLoginThenSessionProbe(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.anonymous()
	var probe struct{ Authenticated bool }
	anon.do(t, http.MethodGet, "/api/session", nil).mustStatus(t, http.StatusOK).JSON(t, &probe)
	if probe.Authenticated {
		t.Fatal("anonymous client reported as authenticated")
	}
	c := ts.login(t)
	c.do(t, http.MethodGet, "/api/session", nil).mustStatus(t, http.StatusOK).JSON(t, &probe)
	if !probe.Authenticated {
		t.Fatal("signed-in client reported as anonymous")
	}
}
