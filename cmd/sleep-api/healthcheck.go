package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheck implements "sleep-api healthcheck [--url URL]" for container
// health checks (the runtime image has no shell or curl). It reads only
// API_BIND_ADDR so unrelated configuration cannot make it fail.
func healthcheck(args []string, env environment, stderr io.Writer) int {
	flags := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	flags.SetOutput(stderr)
	target := flags.String("url", "", "URL to check instead of http://<API_BIND_ADDR>/health")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	fail := func(reason string) int {
		fmt.Fprintln(stderr, "healthcheck: "+reason)
		return 1
	}
	if *target == "" {
		vars, err := env()
		if err != nil {
			return fail(err.Error())
		}
		url, err := healthURL(strings.TrimSpace(vars["API_BIND_ADDR"]))
		if err != nil {
			return fail(err.Error())
		}
		*target = url
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(*target)
	if err != nil {
		return fail(err.Error())
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fail(fmt.Sprintf("%s answered %d", *target, resp.StatusCode))
	}
	return 0
}

// healthURL maps the bind address to a local URL: 0.0.0.0 or empty host →
// 127.0.0.1, :: → ::1.
func healthURL(bindAddr string) (string, error) {
	if bindAddr == "" {
		bindAddr = "0.0.0.0:8080"
	}
	host, port, err := net.SplitHostPort(bindAddr)
	if err != nil {
		return "", fmt.Errorf("API_BIND_ADDR: want host:port; got %q", bindAddr)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/health", nil
}
