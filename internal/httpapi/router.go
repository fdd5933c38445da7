package httpapi

import (
	"net/http"
	"sort"
	"strings"
)

// access says what a route demands before its handler runs (SPEC §5.1).
type access int

const (
	// public routes need nothing.
	public access = iota
	// session routes need a valid login session (401 otherwise).
	session
	// sessionCSRF routes need a session and pass the CSRF check (403 otherwise).
	sessionCSRF
)

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
