package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"sleeptracker/internal/auth"
)

// csrfTarget is a protected mutating request the CSRF matrix runs against.
type csrfTarget struct {
	method, path string
	body         any
}

// csrfTargets are logout (CSRF only when signed in) and the first sessionCSRF
// route of the table.
func csrfTargets(t testing.TB, ts *testServer) []csrfTarget {
	t.Helper()
	targets := []csrfTarget{{http.MethodPost, "/api/logout", nil}, {http.MethodPost, "/logout", nil}}
	for _, r := range ts.API.routes() {
		if r.access == sessionCSRF {
			return append(targets, csrfTarget{r.method, concretePath(r.pattern), `{}`})
		}
	}
	t.Fatal("the route table has no sessionCSRF route")
	return nil
}

// percentEncodeAll writes every byte of s as an upper- or lower-case %XX escape.
func percentEncodeAll(s string, lower bool) string {
	format := "%%%02X"
	if lower {
		format = "%%%02x"
	}
	var b strings.Builder
	for i := range len(s) {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

func TestCSRFMatrix(t *testing.T) {
	ts := newTestServer(t)
	const (
		crossSite      = "csrf: cross-site request rejected"
		missingCookie  = "csrf: missing cookie"
		missingHeader  = "csrf: missing header token"
		tokenMismatch  = "csrf: token mismatch"
		passes         = ""
		tokenWithSigns = "plus+and%zz-invalid-escape-kept-0123456789x" // 43 characters
	)
	if len(tokenWithSigns) != 43 {
		t.Fatalf("tokenWithSigns has %d characters", len(tokenWithSigns))
	}
	other, _ := ts.forgeSession(t, auth.NewCSRFToken())
	cases := []struct {
		name    string
		token   string                                     // the session's stored token; "" = a fresh random one
		change  func(c *testClient, token string) []string // edits the client, returns extra header pairs
		outcome string
	}{
		{"valid pair", "", func(*testClient, string) []string { return nil }, passes},
		{"missing header", "", func(c *testClient, _ string) []string { c.csrf = ""; return nil }, missingHeader},
		{"empty header", "", func(c *testClient, _ string) []string { return []string{"X-CSRF-Token", " "} }, missingHeader},
		{"header mismatch", "", func(c *testClient, tok string) []string { c.csrf = tok[:42] + differentLast(tok); return nil }, tokenMismatch},
		{"missing cookie", "", func(c *testClient, _ string) []string { delete(c.cookies, "csrf"); return nil }, missingCookie},
		{"empty cookie and empty header", "", func(c *testClient, _ string) []string {
			c.cookies["csrf"], c.csrf = "", ""
			return nil
		}, missingCookie},
		{"cookie and header of another login session", "", func(c *testClient, _ string) []string {
			c.cookies["csrf"], c.csrf = other.csrf, other.csrf
			return nil
		}, tokenMismatch},
		{"cookie of another session, own header", "", func(c *testClient, _ string) []string {
			c.cookies["csrf"] = other.csrf
			return nil
		}, tokenMismatch},
		{"Sec-Fetch-Site cross-site", "", func(*testClient, string) []string { return []string{"Sec-Fetch-Site", "cross-site"} }, crossSite},
		{"Sec-Fetch-Site none", "", func(*testClient, string) []string { return []string{"Sec-Fetch-Site", "none"} }, crossSite},
		{"Sec-Fetch-Site unknown value", "", func(*testClient, string) []string { return []string{"Sec-Fetch-Site", "nested"} }, crossSite},
		{"cross-site beats a missing token", "", func(c *testClient, _ string) []string {
			c.csrf = ""
			return []string{"Sec-Fetch-Site", "cross-site"}
		}, crossSite},
		{"Sec-Fetch-Site same-site", "", func(*testClient, string) []string { return []string{"Sec-Fetch-Site", "same-site"} }, passes},
		{"Sec-Fetch-Site same-origin", "", func(*testClient, string) []string { return []string{"Sec-Fetch-Site", "Same-Origin"} }, passes},
		{"header fully percent-encoded", "", func(c *testClient, tok string) []string {
			c.csrf = percentEncodeAll(tok, false)
			return nil
		}, passes},
		{"header percent-encoded in lower case", "", func(c *testClient, tok string) []string {
			c.csrf = percentEncodeAll(tok[:3], true) + tok[3:]
			return nil
		}, passes},
		{"cookie percent-encoded", "", func(c *testClient, tok string) []string {
			c.cookies["csrf"] = percentEncodeAll(tok[:5], false) + tok[5:]
			return nil
		}, passes},
		{"invalid escape in the header is kept", "", func(c *testClient, tok string) []string {
			c.csrf = tok + "%zz"
			return nil
		}, tokenMismatch},
		{"plus and invalid escape sent as is", tokenWithSigns, func(*testClient, string) []string { return nil }, passes},
		{"%2B decodes to plus, %25 to percent", tokenWithSigns, func(c *testClient, tok string) []string {
			c.csrf = strings.NewReplacer("+", "%2B", "%zz", "%25zz").Replace(tok)
			return nil
		}, passes},
		{"plus is not a space", tokenWithSigns, func(c *testClient, tok string) []string {
			c.csrf = strings.Replace(tok, "+", "%20", 1)
			return nil
		}, tokenMismatch},
	}
	for _, target := range csrfTargets(t, ts) {
		for _, tc := range cases {
			t.Run(target.method+" "+target.path+"/"+tc.name, func(t *testing.T) {
				token := tc.token
				if token == "" {
					token = auth.NewCSRFToken()
				}
				c, _ := ts.forgeSession(t, token)
				headers := tc.change(c, token)
				resp := c.do(t, target.method, target.path, target.body, headers...)
				if tc.outcome != passes {
					mustEnvelope(t, resp, http.StatusForbidden, "forbidden", "CSRF check failed", tc.outcome)
					if !c.authenticated(t) {
						t.Fatal("a refused request ended the session")
					}
					return
				}
				if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized {
					t.Fatalf("passing request refused: %d %s", resp.StatusCode, resp.Body)
				}
				if strings.HasSuffix(target.path, "/logout") {
					resp.mustStatus(t, http.StatusNoContent)
					if c.authenticated(t) {
						t.Fatal("logout passed the CSRF check but the session is still valid")
					}
				}
			})
		}
	}
}

// TestCSRFUsesFirstHeader: with two X-CSRF-Token headers only the first counts.
func TestCSRFUsesFirstHeader(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct {
		name   string
		first  func(token string) string
		second func(token string) string
		status int
	}{
		{"valid first", func(tok string) string { return tok }, func(string) string { return "wrong" }, http.StatusNoContent},
		{"valid second", func(string) string { return "wrong" }, func(tok string) string { return tok }, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := ts.forgeSession(t, auth.NewCSRFToken())
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/logout", nil)
			if err != nil {
				t.Fatal(err)
			}
			for name, value := range c.cookies {
				req.AddCookie(&http.Cookie{Name: name, Value: value})
			}
			req.Header.Add("X-CSRF-Token", tc.first(c.csrf))
			req.Header.Add("X-CSRF-Token", tc.second(c.csrf))
			sendRaw(t, req).mustStatus(t, tc.status)
		})
	}
}

// differentLast returns a base64url character other than tok's last one, so
// a token with it swapped in is guaranteed not to match.
func differentLast(tok string) string {
	if strings.HasSuffix(tok, "A") {
		return "B"
	}
	return "A"
}
