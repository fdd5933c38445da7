package sleep

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Text limits, counted in Unicode code points (not bytes).
const (
	// MaxNoteChars bounds a note body and the note field of a sleep input.
	MaxNoteChars = 1000
	// MaxErrorKindChars bounds a normalised friction error_kind.
	MaxErrorKindChars = 100
)

// Integer ranges of the body fields (SPEC §5.2, §5.15).
var (
	LatencyRange          = IntRange{Min: 0, Max: 180}
	AwakeningsRange       = IntRange{Min: 0, Max: 10}
	QualityRange          = IntRange{Min: 1, Max: 5}
	ExerciseDurationRange = IntRange{Min: 1, Max: 1440}
)

// SleepInput is a validated body of POST /api/sleep and PUT /api/sleep/{id}
// (SPEC §5.2, §12.1). Date is the wake date.
type SleepInput struct {
	Date      Date
	Bed, Wake Clock
	// LatencyMin, Awakenings and Quality are always set by ParseSleepInput;
	// ParseSleepUpdate leaves one nil only when the stored value is nil and
	// the body keeps it so (§12.1: an imported night corrected without
	// inventing values).
	LatencyMin, Awakenings, Quality *int
	// DiaryItems are the optional items of §12.1, merged with the stored ones
	// on PUT (absent keeps, null clears).
	DiaryItems
	// ExerciseIntensity, when non-nil, becomes the daily intensity of Date.
	ExerciseIntensity *Intensity
	// Note is the note field trimmed of surrounding whitespace; nil when it
	// was absent or null. Use NoteToAdd to decide whether a note is stored.
	Note *string
}

// ParseSleepInput validates a POST /api/sleep body field by field in the
// order of SPEC §5.2 and then §12.1; the first failing field decides the
// error (an *Error with CodeInvalid and the exact message of the table).
// Absent diary items are null.
func ParseSleepInput(f Fields) (SleepInput, error) {
	return parseSleepInput(f, nil)
}

// ParseSleepUpdate validates a PUT /api/sleep/{id} body against the stored
// session (SPEC §12.1): a diary item that is absent keeps its stored value,
// an explicit null clears it, and the placement checks run on the merged
// values; latency_min, awakenings and quality may be null or absent only
// where the stored value is null. stored nil (no such session) validates as
// ParseSleepInput does, so a bad body is still a 400 before the 404.
func ParseSleepUpdate(f Fields, stored *Session) (SleepInput, error) {
	return parseSleepInput(f, stored)
}

func parseSleepInput(f Fields, stored *Session) (SleepInput, error) {
	r := fieldReader{f: f}
	in := SleepInput{}
	in.Date = r.date("date")
	in.Bed = r.clock("bed_time")
	in.Wake = r.clock("wake_time")
	var keep DiaryItems
	if stored != nil {
		keep = stored.DiaryItems
	}
	in.LatencyMin = r.integerUnlessStoredNull("latency_min", LatencyRange, stored != nil && stored.LatencyMin == nil)
	in.Awakenings = r.integerUnlessStoredNull("awakenings", AwakeningsRange, stored != nil && stored.Awakenings == nil)
	in.Quality = r.integerUnlessStoredNull("quality", QualityRange, stored != nil && stored.Quality == nil)
	in.ExerciseIntensity = r.optionalIntensity("exercise_intensity")
	if note := r.optionalString("note"); note != nil {
		trimmed := strings.TrimSpace(*note)
		r.limitChars("note", trimmed, MaxNoteChars)
		in.Note = &trimmed
	}
	d := &in.DiaryItems
	d.InBed = keepIfAbsent(f, "in_bed_time", keep.InBed, r.optionalClock)
	d.WasoMin = keepIfAbsent(f, "waso_min", keep.WasoMin, func(name string) *int { return r.optionalInteger(name, WasoRange) })
	d.OutOfBed = keepIfAbsent(f, "out_of_bed_time", keep.OutOfBed, r.optionalClock)
	if r.err == nil {
		if PreMin(in.Bed, d.InBed) > MaxPlacementMin {
			r.record(Invalid("in_bed_time must be at most 12 hours before bed_time"))
		} else if PostMin(in.Wake, d.OutOfBed) > MaxPlacementMin {
			r.record(Invalid("out_of_bed_time must be at most 12 hours after wake_time"))
		}
	}
	d.Rested = keepIfAbsent(f, "rested", keep.Rested, func(name string) *int { return r.optionalInteger(name, RestedRange) })
	d.AlcoholDrinks = keepIfAbsent(f, "alcohol_drinks", keep.AlcoholDrinks, func(name string) *int { return r.optionalInteger(name, DrinksRange) })
	d.CaffeineDrinks = keepIfAbsent(f, "caffeine_drinks", keep.CaffeineDrinks, func(name string) *int { return r.optionalInteger(name, DrinksRange) })
	d.Medication = keepIfAbsent(f, "medication", keep.Medication, func(name string) *string {
		m := TrimMedication(r.optionalString(name))
		if m != nil {
			r.limitChars(name, *m, MaxMedicationChars)
		}
		return m
	})
	if r.err != nil {
		return SleepInput{}, r.err
	}
	return in, nil
}

// keepIfAbsent reads field name with read, or returns the kept (stored) value
// when the body does not mention the field at all. On POST kept is nil, so
// absent means null.
func keepIfAbsent[T any](f Fields, name string, kept *T, read func(string) *T) *T {
	if _, present := f[name]; !present {
		return kept
	}
	return read(name)
}

// integerUnlessStoredNull reads a required integer field, except that null or
// absent is accepted (and kept as nil) when nullAllowed.
func (r *fieldReader) integerUnlessStoredNull(name string, rng IntRange, nullAllowed bool) *int {
	if nullAllowed {
		return r.optionalInteger(name, rng)
	}
	v := r.integer(name, rng)
	return &v
}

// NoteToAdd returns the trimmed note text and true when a note must be added
// with the session (SPEC §5.8 step 4: only when non-empty after trimming).
func (in SleepInput) NoteToAdd() (string, bool) {
	if in.Note == nil || *in.Note == "" {
		return "", false
	}
	return *in.Note, true
}

// Session returns the session record of the input with the given id and
// computed duration, with its derived values.
func (in SleepInput) Session(id int64, durationMin int) Session {
	return Session{ID: id, Date: in.Date, Bed: in.Bed, Wake: in.Wake, LatencyMin: in.LatencyMin,
		Awakenings: in.Awakenings, Quality: in.Quality, DurationMin: durationMin,
		DiaryItems: in.DiaryItems}.WithDerived()
}

// ExerciseInput is a validated body of POST /api/exercise (SPEC §5.15).
type ExerciseInput struct {
	Date        Date
	Intensity   Intensity
	StartTime   *Clock // nil when absent or null
	DurationMin *int   // nil when absent or null; else 1–1440
}

// ParseExerciseInput validates an exercise body in the order date, intensity,
// start_time, duration_min (SPEC §5.15).
func ParseExerciseInput(f Fields) (ExerciseInput, error) {
	r := fieldReader{f: f}
	in := ExerciseInput{}
	in.Date = r.date("date")
	in.Intensity = r.intensity("intensity")
	in.StartTime = r.optionalClock("start_time")
	in.DurationMin = r.optionalInteger("duration_min", ExerciseDurationRange)
	if r.err != nil {
		return ExerciseInput{}, r.err
	}
	return in, nil
}

// IsDailyIntensity reports whether the input sets the date's daily intensity
// (no start time and no duration) rather than adding a timed event (§6.5).
func (in ExerciseInput) IsDailyIntensity() bool {
	return in.StartTime == nil && in.DurationMin == nil
}

// NoteInput is a validated body of POST /api/note and PUT /api/note/{id}.
type NoteInput struct {
	Date Date
	// Body is exactly as sent (not trimmed); "" when absent or null.
	Body string
}

// ParseNoteInput validates a note body: date, then body (optional string of
// at most MaxNoteChars code points) (SPEC §5.17).
func ParseNoteInput(f Fields) (NoteInput, error) {
	r := fieldReader{f: f}
	in := NoteInput{}
	in.Date = r.date("date")
	if body := r.optionalString("body"); body != nil {
		r.limitChars("body", *body, MaxNoteChars)
		in.Body = *body
	}
	if r.err != nil {
		return NoteInput{}, r.err
	}
	return in, nil
}

// ParseTimezoneInput validates the body of POST /api/settings/timezone
// (SPEC §5.7): timezone is a required string, trimmed, that must name a zone
// of the embedded tz database exactly (case-sensitive; "", "Local" refused),
// else "invalid timezone". It returns the trimmed name to store and its zone.
func ParseTimezoneInput(f Fields) (name string, loc *time.Location, err error) {
	raw, err := f.RequiredString("timezone")
	if err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(raw)
	loc, lerr := LoadZone(name)
	if lerr != nil {
		return "", nil, Invalid("invalid timezone")
	}
	return name, loc, nil
}

// FrictionInput is a validated friction telemetry event (SPEC §5.21).
type FrictionInput struct {
	FormTimeMs int64
	RetryCount int64
	// ErrorKind is normalised (trimmed, Unicode lower-case); nil when absent,
	// null or blank.
	ErrorKind       *string
	ImmediateEdit   bool
	FollowUpFailure bool
}

// ParseFrictionInput validates a friction event in the order form_time_ms,
// error_kind, retry_count, immediate_edit, follow_up_failure (SPEC §5.21).
func ParseFrictionInput(f Fields) (FrictionInput, error) {
	r := fieldReader{f: f}
	in := FrictionInput{}
	in.FormTimeMs = r.integer64("form_time_ms", Int32Range)
	if kind := r.optionalString("error_kind"); kind != nil {
		normalised := strings.ToLower(strings.TrimSpace(*kind))
		r.limitChars("error_kind", normalised, MaxErrorKindChars)
		if normalised != "" {
			in.ErrorKind = &normalised
		}
	}
	in.RetryCount = r.integer64("retry_count", Int32Range)
	in.ImmediateEdit = r.boolean("immediate_edit")
	in.FollowUpFailure = r.boolean("follow_up_failure")
	if r.err != nil {
		return FrictionInput{}, r.err
	}
	return in, nil
}

// fieldReader reads fields in documented order and keeps only the first
// error, so each parser above is a plain list of fields. Methods still run
// after a failure (the values are discarded), which keeps them one-liners.
type fieldReader struct {
	f   Fields
	err error
}

func (r *fieldReader) record(err error) {
	if r.err == nil {
		r.err = err
	}
}

func dateMessage(name string) string {
	return name + " must be a date in YYYY-MM-DD format (years 1900-2999)"
}

func clockMessage(name string) string {
	return name + " must be a time in HH:MM or HH:MM:SS format"
}

func intensityMessage(name string) string {
	return name + " must be one of none, light, hard"
}

func (r *fieldReader) date(name string) Date {
	v, err := requiredFormatted(r.f, name, ParseDate, dateMessage(name))
	r.record(err)
	return v
}

func (r *fieldReader) clock(name string) Clock {
	v, err := requiredFormatted(r.f, name, ParseClock, clockMessage(name))
	r.record(err)
	return v
}

func (r *fieldReader) optionalClock(name string) *Clock {
	v, err := optionalFormatted(r.f, name, ParseClock, clockMessage(name))
	r.record(err)
	return v
}

func (r *fieldReader) intensity(name string) Intensity {
	v, err := requiredFormatted(r.f, name, ParseIntensity, intensityMessage(name))
	r.record(err)
	return v
}

func (r *fieldReader) optionalIntensity(name string) *Intensity {
	v, err := optionalFormatted(r.f, name, ParseIntensity, intensityMessage(name))
	r.record(err)
	return v
}

func (r *fieldReader) integer64(name string, rng IntRange) int64 {
	v, err := r.f.RequiredInt(name, rng)
	r.record(err)
	return v
}

// integer is integer64 for ranges that fit in int.
func (r *fieldReader) integer(name string, rng IntRange) int {
	return int(r.integer64(name, rng))
}

func (r *fieldReader) optionalInteger(name string, rng IntRange) *int {
	v, err := r.f.OptionalInt(name, rng)
	r.record(err)
	if v == nil {
		return nil
	}
	n := int(*v)
	return &n
}

func (r *fieldReader) optionalString(name string) *string {
	v, err := r.f.OptionalString(name)
	r.record(err)
	return v
}

func (r *fieldReader) boolean(name string) bool {
	v, err := r.f.RequiredBool(name)
	r.record(err)
	return v
}

// limitChars records "<name> must be at most <limit> characters" when s has
// more than limit Unicode code points.
func (r *fieldReader) limitChars(name, s string, limit int) {
	if utf8.RuneCountInString(s) > limit {
		r.record(Invalidf("%s must be at most %d characters", name, limit))
	}
}
