package auth

import (
	"encoding/base64"
	"testing"
)

func TestNewCSRFToken(t *testing.T) {
	a, b := NewCSRFToken(), NewCSRFToken()
	if a == b {
		t.Fatal("two tokens are equal")
	}
	for _, tok := range []string{a, b} {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if len(tok) != 43 || err != nil || len(raw) != 32 {
			t.Fatalf("token %q: want 43 characters of base64url for 32 bytes (err %v)", tok, err)
		}
	}
}

func TestCheckCSRF(t *testing.T) {
	const token = "tok-en_value"
	base := CSRFRequest{Cookie: token, Header: token, SessionToken: token}
	with := func(change func(*CSRFRequest)) CSRFRequest {
		r := base
		change(&r)
		return r
	}
	site := func(v string) func(*CSRFRequest) {
		return func(r *CSRFRequest) { r.SecFetchSite, r.SecFetchSitePresent = v, true }
	}
	cases := []struct {
		name string
		req  CSRFRequest
		want string
	}{
		{"matching pair, no Sec-Fetch-Site", base, ""},
		{"same-origin", with(site("same-origin")), ""},
		{"same-site, padded and upper case", with(site("  Same-Site ")), ""},
		{"cross-site", with(site("cross-site")), CSRFCrossSite},
		{"none", with(site("none")), CSRFCrossSite},
		{"present but empty", with(site("")), CSRFCrossSite},
		{"other value", with(site("same-origin, cross-site")), CSRFCrossSite},
		{"cross-site wins over a missing cookie", with(func(r *CSRFRequest) { site("cross-site")(r); r.Cookie = "" }), CSRFCrossSite},
		{"missing cookie", with(func(r *CSRFRequest) { r.Cookie = "" }), CSRFMissingCookie},
		{"empty cookie and empty header", with(func(r *CSRFRequest) { r.Cookie, r.Header = "", "" }), CSRFMissingCookie},
		{"missing header", with(func(r *CSRFRequest) { r.Header = "" }), CSRFMissingHeader},
		{"header differs", with(func(r *CSRFRequest) { r.Header = "other" }), CSRFMismatch},
		{"cookie and header agree but are not the session's", with(func(r *CSRFRequest) { r.Cookie, r.Header = "other", "other" }), CSRFMismatch},
		{"percent-encoded header", with(func(r *CSRFRequest) { r.Header = "tok%2Den%5Fvalue" }), ""},
		{"lower-case escapes", with(func(r *CSRFRequest) { r.Header = "tok%2den%5fvalue" }), ""},
		{"plus stays plus", CSRFRequest{Cookie: "a+b", Header: "a+b", SessionToken: "a+b"}, ""},
		{"plus is not a space", CSRFRequest{Cookie: "a b", Header: "a+b", SessionToken: "a b"}, CSRFMismatch},
		{"invalid escape kept", CSRFRequest{Cookie: "a%zzb", Header: "a%zzb", SessionToken: "a%zzb"}, ""},
		{"prefix of the token", with(func(r *CSRFRequest) { r.Header = token[:5] }), CSRFMismatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckCSRF(tc.req); got != tc.want {
				t.Fatalf("CheckCSRF = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPercentDecode(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"a%2Fb", "a/b"},
		{"a%2fb", "a/b"},
		{"%41%42", "AB"},
		{"a+b", "a+b"},
		{"a%2Bb", "a+b"},
		{"%zz", "%zz"},
		{"%4", "%4"},
		{"%", "%"},
		{"a%", "a%"},
		{"%%41", "%A"},
		{"%4g%41", "%4gA"},
	}
	for _, tc := range cases {
		if got := PercentDecode(tc.in); got != tc.want {
			t.Errorf("PercentDecode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
