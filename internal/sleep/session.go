package sleep

import (
	"cmp"
	"slices"
)

// Session is one stored sleep session (SPEC §5.2 SleepSession and
// SleepListItem). Date is the wake date; DurationMin is the duration computed
// when the session was written (§6.2) and never recomputed.
type Session struct {
	ID          int64 `json:"id"`
	Date        Date  `json:"date"`
	Bed         Clock `json:"bed_time"`
	Wake        Clock `json:"wake_time"`
	LatencyMin  int   `json:"latency_min"`
	Awakenings  int   `json:"awakenings"`
	Quality     int   `json:"quality"`
	DurationMin int   `json:"duration_min"`
}

// LocalBounds returns the session's naive local bed and wake datetimes (§6.1),
// the interval the overlap rule compares.
func (s Session) LocalBounds() (start, end NaiveDateTime) {
	return LocalBounds(s.Date, s.Bed, s.Wake)
}

// DailyRow is the aggregate of all sessions of one wake date (SPEC §6.4), as
// served by /api/sleep/recent and consumed by trends. It has exactly the eight
// fields and JSON shape of Session, but is a distinct type so that raw
// sessions cannot be passed where aggregated rows are required; build rows
// with AggregateDaily (or DailyRow(s) for a date known to hold one session).
type DailyRow Session

// AggregateDaily folds sessions (in any order, any dates) into one DailyRow per
// wake date, ascending by date:
//
//   - ID: smallest session id; Bed: clock of the earliest bed datetime (it may
//     lie on the previous calendar day); Wake: clock of the latest wake;
//   - LatencyMin and Quality: means truncated to integers (3 and 5 → 4,
//     3 and 4 → 3); Awakenings and DurationMin: sums.
//
// An empty input gives an empty, non-nil slice (JSON "[]").
func AggregateDaily(sessions []Session) []DailyRow {
	type accumulator struct {
		row         DailyRow
		earliestBed NaiveDateTime
		count       int // sessions folded in so far
		latencySum  int
		qualitySum  int
	}
	// Accumulators live in one slice, indexed by date, to avoid an
	// allocation per day.
	index := make(map[Date]int, len(sessions))
	accs := make([]accumulator, 0, len(sessions))
	for _, s := range sessions {
		bed, _ := s.LocalBounds()
		i, seen := index[s.Date]
		if !seen {
			index[s.Date] = len(accs)
			accs = append(accs, accumulator{row: DailyRow(s), earliestBed: bed,
				latencySum: s.LatencyMin, qualitySum: s.Quality, count: 1})
			continue
		}
		acc := &accs[i]
		r := &acc.row
		if bed.Before(acc.earliestBed) {
			acc.earliestBed, r.Bed = bed, s.Bed
		}
		// Wake datetimes all fall on the wake date, so the latest is the
		// largest clock time.
		r.Wake = max(r.Wake, s.Wake)
		r.ID = min(r.ID, s.ID)
		r.Awakenings += s.Awakenings
		r.DurationMin += s.DurationMin
		acc.latencySum += s.LatencyMin
		acc.qualitySum += s.Quality
		acc.count++
	}
	rows := make([]DailyRow, len(accs))
	for i, acc := range accs {
		acc.row.LatencyMin = acc.latencySum / acc.count
		acc.row.Quality = acc.qualitySum / acc.count
		rows[i] = acc.row
	}
	slices.SortFunc(rows, func(a, b DailyRow) int { return a.Date.Compare(b.Date) })
	return rows
}

// SortByBed orders sessions in place by naive bed datetime, then id: the
// chronological order of a timeline view.
func SortByBed(sessions []Session) {
	slices.SortStableFunc(sessions, func(a, b Session) int {
		aBed, _ := a.LocalBounds()
		bBed, _ := b.LocalBounds()
		return cmp.Or(aBed.Compare(bBed), cmp.Compare(a.ID, b.ID))
	})
}

// Note is a stored free-text note of a date (SPEC §5.2, §6.6).
type Note struct {
	ID   int64  `json:"id"`
	Date Date   `json:"date"`
	Body string `json:"body"`
}
