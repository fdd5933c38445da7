package imports

import (
	"context"
	"io"
	"time"

	"sleeptracker/internal/sleep"
)

// SessionRecord is one sleep session as a source gives it, already mapped to
// SleepTracker's fields (SPEC §14) but not yet checked: the shared rules of
// §13.4 (validate, duplicate, overlap, new) decide what happens to it.
type SessionRecord struct {
	// Where names the record's place in the upload for problems:
	// "line 12", "export.xml line 1042", "sleep-2023-04-01.json record 3".
	Where     string
	Date      sleep.Date // wake date
	Bed, Wake sleep.Clock
	// Zone is the record's own IANA zone (Sleep as Android's Tz); nil means the
	// job's time zone is used for the duration (rule 4 of §13.4).
	Zone *time.Location
	// DurationMin is the duration the source knows: the one SleepTracker's
	// own formats stored (§13.5), or the time that passed between two
	// instants with UTC offsets (Apple Health, Oura), so a night recorded
	// across a DST change, or in another zone than the job's, keeps its real
	// length. nil means it is computed by §6.2 from the clock times.
	DurationMin *int
	// Nil when the source does not record them (§12.1).
	LatencyMin, Awakenings, Quality *int
	sleep.DiaryItems
	// Notes tied to this session (a Sleep as Android comment): stored on the
	// wake date only when the session is new (§13.4).
	Notes []string
}

// NoteRecord is a free-standing note of a date.
type NoteRecord struct {
	Where string
	Date  sleep.Date
	Body  string
}

// ExerciseRecord is a daily intensity (StartTime and DurationMin nil) or a
// timed exercise event (§6.5).
type ExerciseRecord struct {
	Where       string
	Date        sleep.Date
	Intensity   sleep.Intensity
	StartTime   *sleep.Clock
	DurationMin *int
}

// SleepWindowRecord is a stored sleep-window prescription (§12.4) carried by
// SleepTracker's own export.
type SleepWindowRecord struct {
	Wake      sleep.Clock
	WindowMin int
	Since     sleep.Date
}

// SettingsRecord carries the settings an own-format file holds (§13.5); each
// is applied only when the database has none.
type SettingsRecord struct {
	Timezone    *string
	SleepWindow *SleepWindowRecord
}

// Sink receives what a parser reads, in file order.
type Sink interface {
	Session(SessionRecord)
	Note(NoteRecord)
	Exercise(ExerciseRecord)
	Settings(SettingsRecord)
	// Invalid reports one record that cannot be mapped (To before From, a bad
	// number); the file as a whole is still readable and parsing goes on.
	Invalid(where, message string)
	// Duplicate reports one source record that the parser itself recognised
	// as a duplicate and did not pass on (an Apple Health night that another
	// device recorded with more asleep minutes, §14 rule 3): counted in
	// sessions.duplicate like a duplicate found by the shared rules.
	Duplicate(where string)
}

// Input is the spooled upload a parser reads.
type Input struct {
	// Reader reads the upload from its start; reading advances the job's
	// progress (bytes_done).
	Reader io.Reader
	// ReaderAt and Size give random access for archives (archive/zip); reads
	// through it count towards progress too.
	ReaderAt io.ReaderAt
	Size     int64
	// Name is the uploaded file's name when known ("" otherwise).
	Name string
	// Path is the spooled file, for a parser that must open it by name (an
	// uploaded SQLite database). The upload may still be arriving: call Wait
	// first. (Reader and ReaderAt block at the writer by themselves.)
	Path string
	// Wait blocks until the whole upload is in the file; an error means the
	// upload was abandoned.
	Wait func() error
	// Timezone is the job's zone for times without zone or offset.
	Timezone *time.Location
	// Limits for untrusted archives (§13.4).
	MaxArchiveEntries int
	MaxExpandedBytes  int64
}

// Parser reads one format. A returned error means the file cannot be read at
// all (not this format, truncated, malformed): the job fails with the error's
// message, which names the file entry and line where possible, and nothing is
// stored.
type Parser func(ctx context.Context, in Input, sink Sink) error

// Format is one row of the format table: adding a format is one parser file
// and one row.
type Format struct {
	Name string
	// Detect reports whether the upload is of this format; head holds the
	// first bytes of the upload (up to 64 KiB). Archives may look inside in.
	Detect func(in Input, head []byte) bool
	Parse  Parser
}
