// Command lighthouse serves the real sleep-api binary for scripts/lighthouse.sh:
// a fresh database with a month of nights (sessions, naps, diary items,
// exercise and notes, all through the API), one login session, and a line
//
//	URL=http://127.0.0.1:port COOKIE=session=…; csrf=… DAY=YYYY-MM-DD
//
// on stdout. It keeps serving until stdin closes or it is interrupted, then
// stops the server. Not part of CI.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"sleeptracker/internal/liveserver"
)

func main() {
	binary := flag.String("binary", "", "sleep-api binary (default: build ./cmd/sleep-api)")
	days := flag.Int("days", 31, "nights to seed, ending yesterday")
	flag.Parse()
	if err := run(*binary, *days); err != nil {
		fmt.Fprintln(os.Stderr, "lighthouse:", err)
		os.Exit(1)
	}
}

func run(binary string, days int) error {
	dir, err := os.MkdirTemp("", "sleep-lighthouse-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	if binary == "" {
		if binary, err = liveserver.Build(ctx, dir); err != nil {
			return err
		}
	}
	admin, err := liveserver.NewAdmin()
	if err != nil {
		return err
	}
	server, err := liveserver.Start(liveserver.Config{Binary: binary, DatabasePath: filepath.Join(dir, "sleep.db"), Admin: admin})
	if err != nil {
		return err
	}
	defer server.Stop()

	seeder := liveserver.NewClient(server.URL, nil)
	if status, err := seeder.Login(ctx, admin.Email, admin.Password); err != nil || status != http.StatusOK {
		return fmt.Errorf("login: %d %v", status, err)
	}
	today := time.Now().UTC()
	for i := days; i >= 1; i-- {
		date := today.AddDate(0, 0, -i+1).Format(time.DateOnly) // wake dates up to today
		bed := fmt.Sprintf("%02d:%02d", 22+i%2, (i*7)%60)
		wake := fmt.Sprintf("%02d:%02d", 6+i%2, (i*11)%60)
		night := map[string]any{
			"date": date, "bed_time": bed, "wake_time": wake,
			"latency_min": 5 + i%20, "awakenings": i % 4, "quality": 1 + i%5,
			"in_bed_time": "22:00", "waso_min": i % 30, "rested": 1 + (i+2)%5,
			"alcohol_drinks": i % 3, "caffeine_drinks": i % 4,
		}
		if err := post(ctx, seeder, "/api/sleep", night); err != nil {
			return err
		}
		if i%5 == 0 {
			nap := map[string]any{"date": date, "bed_time": "14:00", "wake_time": "14:30", "latency_min": 5, "awakenings": 0, "quality": 3}
			if err := post(ctx, seeder, "/api/sleep", nap); err != nil {
				return err
			}
		}
		if i%2 == 0 {
			if err := post(ctx, seeder, "/api/exercise", map[string]any{"date": date, "intensity": []string{"light", "hard", "none"}[i%3]}); err != nil {
				return err
			}
		}
		if i%3 == 0 {
			if err := post(ctx, seeder, "/api/note", map[string]any{"date": date, "body": fmt.Sprintf("Note %d: late coffee, busy day", i)}); err != nil {
				return err
			}
		}
	}
	cookie, err := login(server.URL, admin)
	if err != nil {
		return err
	}
	fmt.Printf("URL=%s COOKIE=%s DAY=%s\n", server.URL, cookie, today.AddDate(0, 0, -1).Format(time.DateOnly))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	closed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); close(closed) }()
	select {
	case <-stop:
	case <-closed:
	}
	return nil
}

// post sends one seeding request; anything but 2xx stops the run.
func post(ctx context.Context, c *liveserver.Client, path string, body any) error {
	resp, err := c.PostJSON(ctx, path, body)
	if err != nil {
		return err
	}
	if resp.Status/100 != 2 {
		return fmt.Errorf("POST %s: %d %s", path, resp.Status, resp.Body)
	}
	return nil
}

// login signs in once more and returns the Cookie header for Lighthouse.
func login(url string, admin liveserver.Admin) (string, error) {
	body, _ := json.Marshal(map[string]string{"email": admin.Email, "password": admin.Password})
	resp, err := http.Post(url+"/api/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("login: %d", resp.StatusCode)
	}
	var pairs []string
	for _, ck := range resp.Cookies() {
		pairs = append(pairs, ck.Name+"="+ck.Value)
	}
	return strings.Join(pairs, "; "), nil
}
