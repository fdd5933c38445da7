package httpapi

import (
	"io"
	"net/http"
	"time"
)

// fileIdleTimeout ends a file transfer that makes no progress for this long.
// Routes that move whole files (uploads of imports, exports, backups) replace
// the whole-request timeouts of SPEC §3.9 by it (Part II): a gigabyte upload
// or a slow download goes on as long as bytes move.
const fileIdleTimeout = 60 * time.Second

// idleDeadline keeps a connection's read and write deadlines fileIdleTimeout
// ahead while bytes move. Both matter in both directions: the server also
// reads a GET connection to notice the client going away, and that read
// ending at the old whole-request deadline would cancel the request's
// context in the middle of a file.
type idleDeadline struct {
	rc       *http.ResponseController
	extended time.Time
}

func newIdleDeadline(w http.ResponseWriter) *idleDeadline {
	d := &idleDeadline{rc: http.NewResponseController(w)}
	d.extend()
	return d
}

// touch records progress; it extends the deadlines at most once a second.
func (d *idleDeadline) touch() {
	if time.Since(d.extended) > time.Second {
		d.extend()
	}
}

func (d *idleDeadline) extend() {
	now := time.Now()
	d.extended = now
	_ = d.rc.SetReadDeadline(now.Add(fileIdleTimeout))
	_ = d.rc.SetWriteDeadline(now.Add(fileIdleTimeout))
}

// idleReader is an upload body that extends the deadlines as it is read.
type idleReader struct {
	r    io.Reader
	idle *idleDeadline
}

func (r idleReader) Read(p []byte) (int, error) {
	r.idle.touch()
	return r.r.Read(p)
}
