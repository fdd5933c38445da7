package httpapi

import (
	"net/http"
	"sort"
	"strings"
)

// access says what a route demands before its handler runs (SPEC §5.1) and
// whether API tokens may stand in for the login session (SPEC §16). It is a
// set of flags, so a line of routes.go reads as its kind plus exceptions:
// `session | noTokens`. The token rule defaults from the kind — session
// routes accept a token of either scope for their GET/HEAD, sessionCSRF
// routes a write token — because the route table is the one place that
// decides; TestTokenRuleOfEveryRoute checks every line against SPEC §16.
type access uint8

const (
	// public routes need nothing, and a bearer header is not looked at
	// (health checks, the API document, the session probe, the login page).
	public access = 0
	// session routes need a valid login session (401 otherwise) or an API
	// token; a token of either scope may read.
	session access = 1 << 0
	// sessionCSRF routes need a session that passes the CSRF check (403
	// otherwise), or a write token (a read token gets 403). Bearer requests
	// have no CSRF check: a browser never adds a Bearer header by itself.
	sessionCSRF access = session | csrfChecked
	// noTokens marks a route that API tokens never reach (SPEC §16): a
	// bearer request gets 403 even with a valid token of any scope, so a
	// token can neither mint tokens, nor download the whole database, nor
	// sign in or out. On a public route it still makes a bearer request be
	// judged by its token (401 for a bad one, 403 for a good one).
	noTokens access = 1 << 2

	// csrfChecked is the CSRF part of sessionCSRF; routes name sessionCSRF.
	csrfChecked access = 1 << 1
)

// needsSession reports whether a cookie request needs a login session.
func (a access) needsSession() bool { return a&session != 0 }

// checksCSRF reports whether a cookie request must pass the CSRF check.
func (a access) checksCSRF() bool { return a&csrfChecked != 0 }

// judgesBearer reports whether a request with a Bearer header is judged by
// its token here; on the other public routes the header is ignored.
func (a access) judgesBearer() bool { return a&(session|noTokens) != 0 }

// acceptsTokens reports whether a valid token may be used here at all; its
// scope then decides by method (auth.TokenScope.Allows).
func (a access) acceptsTokens() bool { return a.needsSession() && a&noTokens == 0 }

// String names the access for test messages: "session+CSRF, no tokens".
func (a access) String() string {
	var s string
	switch {
	case a.checksCSRF():
		s = "session+CSRF"
	case a.needsSession():
		s = "session"
	default:
		s = "public"
	}
	if a&noTokens != 0 {
		s += ", no tokens"
	}
	return s
}

// route is one line of the route table in routes.go.
type route struct {
	method  string // GET routes also answer HEAD
	pattern string // "/api/sleep/{id}": segments in braces are path parameters
	access  access
	handler http.HandlerFunc
}

// pathPattern groups the routes of one path so that matching is path first,
// then method (SPEC §3.1): a known path with another method is 405 with Allow.
type pathPattern struct {
	segments []string
	methods  map[string]route
}

// router matches paths against the route table. Static segments beat
// parameters, so /api/sleep/recent never reaches /api/sleep/{id}.
type router struct {
	patterns []*pathPattern
}

func newRouter(routes []route) *router {
	byPattern := map[string]*pathPattern{}
	rt := &router{}
	for _, r := range routes {
		p, ok := byPattern[r.pattern]
		if !ok {
			p = &pathPattern{segments: strings.Split(strings.TrimPrefix(r.pattern, "/"), "/"), methods: map[string]route{}}
			byPattern[r.pattern] = p
			rt.patterns = append(rt.patterns, p)
		}
		if _, dup := p.methods[r.method]; dup {
			panic("httpapi: duplicate route " + r.method + " " + r.pattern)
		}
		p.methods[r.method] = r
	}
	// More static segments first, so the first match is the most specific.
	sort.SliceStable(rt.patterns, func(i, j int) bool {
		return staticRank(rt.patterns[i]) > staticRank(rt.patterns[j])
	})
	return rt
}

// staticRank orders patterns: earlier static segments weigh more.
func staticRank(p *pathPattern) int {
	rank := 0
	for i, s := range p.segments {
		if !isParam(s) {
			rank += 1 << (16 - i)
		}
	}
	return rank
}

func isParam(segment string) bool {
	return strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}")
}

// match finds the pattern for path and fills params; nil when no pattern matches.
func (rt *router) match(path string) (*pathPattern, map[string]string) {
	segments := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, p := range rt.patterns {
		if len(p.segments) != len(segments) {
			continue
		}
		params := map[string]string{}
		ok := true
		for i, s := range p.segments {
			switch {
			case isParam(s):
				if segments[i] == "" {
					ok = false
				}
				params[s[1:len(s)-1]] = segments[i]
			case s != segments[i]:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok {
			return p, params
		}
	}
	return nil, nil
}

// lookup returns the route for method on p; HEAD falls back to GET.
func (p *pathPattern) lookup(method string) (route, bool) {
	if r, ok := p.methods[method]; ok {
		return r, true
	}
	if method == http.MethodHead {
		r, ok := p.methods[http.MethodGet]
		return r, ok
	}
	return route{}, false
}

// allow is the Allow header value for p.
func (p *pathPattern) allow() string {
	order := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete}
	var methods []string
	for _, m := range order {
		if _, ok := p.lookup(m); ok {
			methods = append(methods, m)
		}
	}
	return strings.Join(methods, ", ")
}
