package httpapi

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/config"
)

// wireJob is an ImportJob as the client sees it.
type wireJob struct {
	ID         string `json:"id"`
	Format     string `json:"format"`
	State      string `json:"state"`
	BytesTotal int64  `json:"bytes_total"`
	BytesDone  int64  `json:"bytes_done"`
	Report     *struct {
		Records   int    `json:"records"`
		FirstDate string `json:"first_date"`
		LastDate  string `json:"last_date"`
		Sessions  struct {
			New, Duplicate, Overlap, Invalid int
		} `json:"sessions"`
		Notes    struct{ New, Duplicate int } `json:"notes"`
		Exercise struct{ New, Duplicate int } `json:"exercise"`
		Sample   []map[string]any             `json:"sample"`
		Problems []struct {
			Where, Message string
		} `json:"problems"`
		ProblemsTotal int    `json:"problems_total"`
		Timezone      string `json:"timezone"`
	} `json:"report"`
	Error *struct{ Code, Message string } `json:"error"`
}

const octet = "application/octet-stream"

const exportDoc = `{"format":"sleeptracker-export","version":1,"exported_at":"2025-06-18T07:00:00Z",
"timezone":"Europe/Paris",
"sessions":[
{"date":"2025-06-17","bed_time":"23:05:00","wake_time":"06:30:00","latency_min":15,"awakenings":0,"quality":4,"duration_min":445,"in_bed_time":"22:40:00","waso_min":20,"out_of_bed_time":"06:50:00","rested":3,"alcohol_drinks":null,"caffeine_drinks":2,"medication":"melatonin"},
{"date":"2025-06-18","bed_time":"23:00:00","wake_time":"07:00:00","latency_min":null,"awakenings":null,"quality":null,"duration_min":480,"in_bed_time":null,"waso_min":null,"out_of_bed_time":null,"rested":null,"alcohol_drinks":null,"caffeine_drinks":null,"medication":null}],
"exercise":[{"date":"2025-06-17","intensity":"light","start_time":null,"duration_min":null},{"date":"2025-06-17","intensity":"hard","start_time":"18:00:00","duration_min":45}],
"notes":[{"date":"2025-06-17","body":"late coffee"},{"date":"2025-06-17","body":"late coffee"}],
"sleep_window":{"wake_time":"06:30:00","window_min":345,"since":"2025-06-10"}}`

func (c *testClient) upload(t *testing.T, query, contentType, body string) *testResponse {
	t.Helper()
	return c.do(t, http.MethodPost, "/api/imports"+query, body, "Content-Type", contentType)
}

// settled polls a job until it leaves parsing.
func settled(t *testing.T, c *testClient, id string) wireJob {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var job wireJob
		c.do(t, http.MethodGet, "/api/imports/"+id, nil).mustStatus(t, http.StatusOK).JSON(t, &job)
		if job.State != "parsing" {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still parsing", id)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func startedJob(t *testing.T, resp *testResponse) wireJob {
	t.Helper()
	resp.mustStatus(t, http.StatusAccepted)
	var job wireJob
	resp.JSON(t, &job)
	if got := resp.Header.Get("Location"); got != "/api/imports/"+job.ID {
		t.Fatalf("Location %q for job %s", got, job.ID)
	}
	return job
}

func TestImportJSONPreviewCommitAndReimport(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	job := startedJob(t, c.upload(t, "", octet, exportDoc))
	if job.Format != "sleeptracker-json" {
		t.Fatalf("detected %q", job.Format)
	}
	job = settled(t, c, job.ID)
	r := job.Report
	if job.State != "ready" || r == nil || r.Sessions.New != 2 || r.Notes.New != 2 || r.Exercise.New != 2 ||
		r.Records != 2 || r.FirstDate != "2025-06-17" || r.LastDate != "2025-06-18" || job.BytesDone != job.BytesTotal ||
		job.BytesTotal != int64(len(exportDoc)) || r.Timezone != "UTC" {
		t.Fatalf("preview %+v %+v", job, r)
	}
	if len(r.Sample) != 2 || r.Sample[0]["medication"] != "melatonin" || r.Sample[1]["quality"] != nil {
		t.Fatalf("sample %v", r.Sample)
	}
	// Nothing is stored before the commit.
	if got := c.do(t, http.MethodGet, "/api/sleep/range?from=2025-06-01&to=2025-06-30", nil); string(got.Body) != "[]\n" {
		t.Fatalf("stored before commit: %s", got.Body)
	}
	var list []wireJob
	c.do(t, http.MethodGet, "/api/imports", nil).mustStatus(t, http.StatusOK).JSON(t, &list)
	if len(list) != 1 || list[0].ID != job.ID || list[0].State != "ready" {
		t.Fatalf("list %+v", list)
	}

	var done wireJob
	c.do(t, http.MethodPost, "/api/imports/"+job.ID+"/commit", nil).mustStatus(t, http.StatusOK).JSON(t, &done)
	if done.State != "committed" || done.Report.Sessions.New != 2 {
		t.Fatalf("commit %+v", done)
	}
	mustError(t, c.do(t, http.MethodPost, "/api/imports/"+job.ID+"/commit", nil), http.StatusConflict, "conflict",
		"import is not ready to commit (state committed)")
	var sessions []map[string]any
	c.do(t, http.MethodGet, "/api/sleep/range?from=2025-06-01&to=2025-06-30", nil).JSON(t, &sessions)
	if len(sessions) != 2 || sessions[0]["duration_min"] != float64(445) || sessions[0]["in_bed_time"] != "22:40:00" {
		t.Fatalf("stored %v", sessions)
	}
	var tz map[string]any
	c.do(t, http.MethodGet, "/api/settings/timezone", nil).JSON(t, &tz)
	if tz["timezone"] != "Europe/Paris" {
		t.Fatalf("timezone not applied to an empty database: %v", tz)
	}

	// The same file again adds nothing; the sleep window is reported, not
	// applied (the time zone is the same, so there is nothing to say).
	again := settled(t, c, startedJob(t, c.upload(t, "?format=sleeptracker-json", octet, exportDoc)).ID)
	if a := again.Report; a.Sessions.New != 0 || a.Sessions.Duplicate != 2 || a.Notes.Duplicate != 2 || a.Exercise.Duplicate != 2 ||
		a.ProblemsTotal != 1 || a.Problems[0].Where != "sleep_window" || a.Timezone != "Europe/Paris" {
		t.Fatalf("re-import %+v", a)
	}
	c.do(t, http.MethodDelete, "/api/imports/"+again.ID, nil).mustStatus(t, http.StatusNoContent)
	var discarded wireJob
	c.do(t, http.MethodGet, "/api/imports/"+again.ID, nil).mustStatus(t, http.StatusOK).JSON(t, &discarded)
	if discarded.State != "discarded" {
		t.Fatalf("state %s", discarded.State)
	}
	if files, _ := filepath.Glob(filepath.Join(filepath.Dir(ts.Cfg.DatabasePath), ".sleeptracker-import-*")); len(files) != 0 {
		t.Fatalf("spool files left: %v", files)
	}
}

func TestImportMultipartCSV(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("note", "ignored")
	fw, _ := mw.CreateFormFile("file", "sleeptracker-export.csv")
	_, _ = fw.Write([]byte("wake_time,date,bed_time,duration_min,notes,exercise_intensity\n07:00:00,2025-06-10,23:00:00,480,'=b | a,hard\n"))
	_ = mw.Close()
	job := settled(t, c, startedJob(t, c.upload(t, "?timezone=Europe/London", mw.FormDataContentType(), body.String())).ID)
	if job.Format != "sleeptracker-csv" || job.State != "ready" || job.Report.Sessions.New != 1 ||
		job.Report.Notes.New != 2 || job.Report.Exercise.New != 1 || job.Report.Timezone != "Europe/London" {
		t.Fatalf("%+v %+v", job, job.Report)
	}
	c.do(t, http.MethodPost, "/api/imports/"+job.ID+"/commit", nil).mustStatus(t, http.StatusOK)
	var notes []wireNote
	c.do(t, http.MethodGet, "/api/note?from=2025-06-10&to=2025-06-10", nil).JSON(t, &notes)
	if len(notes) != 2 || notes[0].Body != "=b" || notes[1].Body != "a" {
		t.Fatalf("notes %+v", notes)
	}
}

func TestImportBadInput(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.ImportMaxMB = 1 })
	c := ts.login(t)
	formats := "format must be one of auto, sleeptracker-json, sleeptracker-csv, sleeptracker-v0-db, sleep-as-android, plees-tracker, fitbit, apple-health, oura"
	mustError(t, c.upload(t, "?format=excel", octet, "x"), http.StatusBadRequest, "bad_request", formats)
	mustError(t, c.upload(t, "?format=", octet, "x"), http.StatusBadRequest, "bad_request", formats)
	mustError(t, c.upload(t, "?timezone=Mars/Base", octet, "x"), http.StatusBadRequest, "bad_request", `unknown time zone "Mars/Base"`)
	mustError(t, c.upload(t, "", octet, ""), http.StatusBadRequest, "bad_request", "import file is empty")
	mustError(t, c.upload(t, "", octet, "just some text\n"), http.StatusBadRequest, "bad_request",
		"could not recognise the file; choose its format")
	mustError(t, c.upload(t, "", octet, strings.Repeat("x", 1<<20+1)), http.StatusRequestEntityTooLarge, "payload_too_large",
		"import file exceeds 1 MiB")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("other", "x")
	_ = mw.Close()
	mustError(t, c.upload(t, "", mw.FormDataContentType(), body.String()), http.StatusBadRequest, "bad_request",
		"multipart body must have a part named file")
	// None of these left a job.
	if got := c.do(t, http.MethodGet, "/api/imports", nil); string(got.Body) != "[]\n" {
		t.Fatalf("jobs after refusals: %s", got.Body)
	}

	// Malformed JSON and CSV fail with the line; a failed job cannot be committed.
	failed := settled(t, c, startedJob(t, c.upload(t, "?format=sleeptracker-json", octet, "{\"format\":\"sleeptracker-export\",\n\"version\":1,\n\"sessions\":[}")).ID)
	if failed.State != "failed" || failed.Error.Code != "bad_request" || !strings.HasPrefix(failed.Error.Message, "line 3: malformed JSON") {
		t.Fatalf("json %+v %+v", failed, failed.Error)
	}
	mustError(t, c.do(t, http.MethodPost, "/api/imports/"+failed.ID+"/commit", nil), http.StatusConflict, "conflict",
		"import is not ready to commit (state failed)")
	failed = settled(t, c, startedJob(t, c.upload(t, "?format=sleeptracker-csv", octet, "date,bed_time,wake_time,duration_min\n2025-06-10,\"23:00:00,07:00:00,480\n")).ID)
	if failed.State != "failed" || !strings.HasPrefix(failed.Error.Message, "line 2: malformed CSV") {
		t.Fatalf("csv %+v %+v", failed, failed.Error)
	}
	// A truncated zip.
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	f, _ := zw.Create("apple_health_export/export.xml")
	_, _ = f.Write(bytes.Repeat([]byte("<HealthData>\n"), 1000))
	_ = zw.Close()
	truncated := zbuf.String()[:zbuf.Len()/2]
	failed = settled(t, c, startedJob(t, c.upload(t, "?format=apple-health", octet, truncated)).ID)
	if failed.State != "failed" || failed.Error == nil || failed.Error.Message == "" {
		t.Fatalf("zip %+v", failed)
	}

	// One job at a time.
	ready := settled(t, c, startedJob(t, c.upload(t, "", octet, "date,bed_time,wake_time,duration_min\n2025-06-10,23:00,07:00,480\n")).ID)
	mustError(t, c.upload(t, "", octet, exportDoc), http.StatusConflict, "conflict",
		"another import is in progress; commit or discard it first")
	c.do(t, http.MethodDelete, "/api/imports/"+ready.ID, nil).mustStatus(t, http.StatusNoContent)
	startedJob(t, c.upload(t, "", octet, exportDoc))

	mustError(t, c.do(t, http.MethodPost, "/api/imports/imp_AAAAAAAAAAAAAAAAAAAAAA/commit", nil), http.StatusNotFound, "not_found", "not found")
	mustError(t, c.do(t, http.MethodGet, "/api/imports/imp_AAAAAAAAAAAAAAAAAAAAAA", nil), http.StatusNotFound, "not_found", "not found")
	c.do(t, http.MethodDelete, "/api/imports/whatever", nil).mustStatus(t, http.StatusNoContent)
	// Session and CSRF first.
	mustError(t, ts.anonymous().upload(t, "", octet, exportDoc), http.StatusUnauthorized, "unauthorized", "authentication required")
}

// The commit applies the rules again inside its transaction: a night stored
// after the preview is not stored twice (SPEC §13.4).
func TestImportCommitRecounts(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	csv := "date,bed_time,wake_time,duration_min\n2025-06-10,23:00:00,07:00:00,480\n2025-06-11,23:00:00,07:00:00,480\n"
	job := settled(t, c, startedJob(t, c.upload(t, "", octet, csv)).ID)
	if job.Report.Sessions.New != 2 {
		t.Fatalf("preview %+v", job.Report.Sessions)
	}
	c.do(t, http.MethodPost, "/api/sleep", map[string]any{"date": "2025-06-11", "bed_time": "22:00", "wake_time": "06:00",
		"latency_min": 5, "awakenings": 0, "quality": 3}).mustStatus(t, http.StatusCreated)
	var done wireJob
	c.do(t, http.MethodPost, "/api/imports/"+job.ID+"/commit", nil).mustStatus(t, http.StatusOK).JSON(t, &done)
	if s := done.Report.Sessions; s.New != 1 || s.Overlap != 1 || done.Report.ProblemsTotal != 1 {
		t.Fatalf("final report %+v", done.Report)
	}
	var stored []map[string]any
	c.do(t, http.MethodGet, "/api/sleep/range?from=2025-06-10&to=2025-06-11", nil).JSON(t, &stored)
	if len(stored) != 2 {
		t.Fatalf("stored %v", stored)
	}
}

// A slow upload is not cut short by the server's whole-request read timeout:
// the route keeps extending an idle deadline while bytes arrive.
func TestImportUploadOutlivesReadTimeout(t *testing.T) {
	cfg := testConfig(t)
	ts := newTestServer(t, func(c *config.Config) { *c = cfg })
	slow := httptest.NewUnstartedServer(ts.API.Handler())
	slow.Config.ReadTimeout = 300 * time.Millisecond
	slow.Config.WriteTimeout = 300 * time.Millisecond
	slow.Start()
	defer slow.Close()
	c := ts.login(t)

	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte("date,bed_time,wake_time,duration_min\n"))
		for i := range 6 {
			time.Sleep(250 * time.Millisecond)
			fmt.Fprintf(pw, "2025-06-%02d,23:00:00,07:00:00,480\n", 10+i)
		}
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, slow.URL+"/api/imports", pr)
	req.Header.Set("Content-Type", octet)
	req.Header.Set("X-CSRF-Token", c.csrf)
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("upload over %s: %v", time.Since(start), err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusAccepted || time.Since(start) < time.Second {
		t.Fatalf("status %d after %s: %s", resp.StatusCode, time.Since(start), body)
	}
}
