package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// wireNote is a Note as the client sees it.
type wireNote struct {
	ID   int64  `json:"id"`
	Date string `json:"date"`
	Body string `json:"body"`
}

func listNotesBetween(t *testing.T, c *testClient, from, to string) []wireNote {
	t.Helper()
	resp := c.do(t, http.MethodGet, "/api/note?from="+from+"&to="+to, nil)
	jsonList(t, resp, "id", "date", "body")
	var notes []wireNote
	resp.JSON(t, &notes)
	return notes
}

func TestNotesCreateListUpdateDelete(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	if got := listNotesBetween(t, c, "2025-06-01", "2025-06-30"); len(got) != 0 {
		t.Fatalf("fresh notes %v", got)
	}
	longest := strings.Repeat("é", 1000) // 1000 code points, 2000 bytes
	later := createdID(t, c.do(t, http.MethodPost, "/api/note", map[string]any{"date": "2025-06-12", "body": "  kept as sent \n"}))
	first := createdID(t, c.do(t, http.MethodPost, "/api/note", map[string]any{"date": "2025-06-11"}))
	second := createdID(t, c.do(t, http.MethodPost, "/api/note", map[string]any{"date": "2025-06-11", "body": nil}))
	third := createdID(t, c.do(t, http.MethodPost, "/api/note", map[string]any{"date": "2025-06-11", "body": longest}))

	want := []wireNote{
		{first, "2025-06-11", ""}, {second, "2025-06-11", ""}, {third, "2025-06-11", longest},
		{later, "2025-06-12", "  kept as sent \n"},
	}
	if got := listNotesBetween(t, c, "2025-06-11", "2025-06-12"); !slices.Equal(got, want) {
		t.Fatalf("notes\n got %+v\nwant %+v", got, want)
	}

	path := fmt.Sprintf("/api/note/%d", first)
	resp := c.do(t, http.MethodPut, path, map[string]any{"date": "2025-06-20", "body": "moved"}).mustStatus(t, http.StatusNoContent)
	if len(resp.Body) != 0 {
		t.Fatalf("204 with body %q", resp.Body)
	}
	if got := listNotesBetween(t, c, "2025-06-20", "2025-06-20"); !slices.Equal(got, []wireNote{{first, "2025-06-20", "moved"}}) {
		t.Fatalf("after update %+v", got)
	}
	mustError(t, c.do(t, http.MethodPut, "/api/note/999999", map[string]any{"date": "2025-06-20"}), http.StatusNotFound, "not_found", "not found")

	for range 2 {
		c.do(t, http.MethodDelete, path, nil).mustStatus(t, http.StatusNoContent)
	}
	mustError(t, c.do(t, http.MethodPut, path, map[string]any{"date": "2025-06-20"}), http.StatusNotFound, "not_found", "not found")
	if got := listNotesBetween(t, c, "2025-06-20", "2025-06-20"); len(got) != 0 {
		t.Fatalf("deleted note still listed: %+v", got)
	}
}
