package liveserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Client sends requests to one server. After Login it carries the session
// and CSRF cookies (development-mode names "session" and "csrf") and the
// X-CSRF-Token header on every request. A logged-in Client is safe for
// concurrent use: its cookies never change after Login.
type Client struct {
	// BaseURL is the server's root, for example Process.URL.
	BaseURL string

	http   *http.Client
	cookie string // Cookie header value after Login
	csrf   string
}

// NewClient returns a client for baseURL over transport (nil means a
// transport of its own that keeps up to 64 idle connections to the server).
func NewClient(baseURL string, transport *http.Transport) *Client {
	if transport == nil {
		transport = NewTransport("", 64)
	}
	return &Client{BaseURL: baseURL, http: &http.Client{
		Transport: transport,
		Timeout:   30 * time.Second,
		// Redirects (303 form logins) are answers to check, not to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// NewTransport returns a keep-alive transport without compression whose
// connections leave from sourceIP (for example "127.0.0.2", another client
// as far as the server's login throttle is concerned; "" lets the kernel
// choose) and which keeps up to maxIdle idle connections per host.
func NewTransport(sourceIP string, maxIdle int) *http.Transport {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if sourceIP != "" {
		dialer.LocalAddr = &net.TCPAddr{IP: net.ParseIP(sourceIP)}
	}
	return &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConns:        maxIdle,
		MaxIdleConnsPerHost: maxIdle,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
}

// Login posts the credentials as JSON to /api/login and, on 200, keeps the
// cookies the server set. It returns the status; an error only when no
// answer came back.
func (c *Client) Login(ctx context.Context, email, password string) (int, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/api/login", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	var pairs []string
	for _, ck := range resp.Cookies() {
		pairs = append(pairs, ck.Name+"="+ck.Value)
		if ck.Name == "csrf" {
			c.csrf = ck.Value
		}
	}
	if c.csrf == "" {
		return resp.StatusCode, fmt.Errorf("login answered 200 without a csrf cookie (is COOKIE_SECURE=0?)")
	}
	c.cookie = strings.Join(pairs, "; ")
	return resp.StatusCode, nil
}

// Response is a fully read answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends one request and reads the whole answer. A non-nil body is sent
// as application/json. Any status is a Response; err means no answer.
func (c *Client) Do(ctx context.Context, method, path string, body []byte) (Response, error) {
	if body == nil {
		return c.DoRequest(ctx, method, path, "", nil)
	}
	return c.DoRequest(ctx, method, path, "application/json", bytes.NewReader(body))
}

// DoRequest is Do with any body and Content-Type (none when contentType is
// ""). A body whose length the client cannot see (not a *bytes.Reader,
// *bytes.Buffer or *strings.Reader) is sent chunked.
func (c *Client) DoRequest(ctx context.Context, method, path, contentType string, body io.Reader) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, body)
	if err != nil {
		return Response{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, err
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// PostJSON encodes v and sends it with Do.
func (c *Client) PostJSON(ctx context.Context, path string, v any) (Response, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return Response{}, err
	}
	return c.Do(ctx, http.MethodPost, path, body)
}

// WithBaseURL returns a copy of the client, cookies included, that talks to
// another address — the same server restarted on a new port, whose login
// sessions survived in the database.
func (c *Client) WithBaseURL(baseURL string) *Client {
	copied := *c
	copied.BaseURL = baseURL
	return &copied
}
