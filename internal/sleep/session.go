package sleep

import (
	"cmp"
	"slices"
)

// Session is one stored sleep session (SPEC §5.2 SleepSession, §12.1, §12.2).
// Date is the wake date; DurationMin is the duration computed when the
// session was written (§6.2) and never recomputed. LatencyMin, Awakenings and
// Quality are nil only on nights imported from sources that do not record
// them (§12.1). Derived holds the values of §12.2, filled by WithDerived on
// every read; it is never stored.
type Session struct {
	ID          int64 `json:"id"`
	Date        Date  `json:"date"`
	Bed         Clock `json:"bed_time"`
	Wake        Clock `json:"wake_time"`
	LatencyMin  *int  `json:"latency_min"`
	Awakenings  *int  `json:"awakenings"`
	Quality     *int  `json:"quality"`
	DurationMin int   `json:"duration_min"`
	DiaryItems
	Derived
}

// WithDerived returns s with its derived values (§12.2) computed.
func (s Session) WithDerived() Session {
	s.Derived = ComputeDerived(s)
	return s
}

// LocalBounds returns the session's naive local bed and wake datetimes (§6.1),
// the interval the overlap rule compares.
func (s Session) LocalBounds() (start, end NaiveDateTime) {
	return LocalBounds(s.Date, s.Bed, s.Wake)
}

// DailyRow is the aggregate of all sessions of one wake date (SPEC §6.4,
// §12.1), as served by /api/sleep/recent and consumed by trends: the eight
// fields of §5.2, without diary items. Build rows with AggregateDaily.
type DailyRow struct {
	ID          int64 `json:"id"`
	Date        Date  `json:"date"`
	Bed         Clock `json:"bed_time"`
	Wake        Clock `json:"wake_time"`
	LatencyMin  *int  `json:"latency_min"`
	Awakenings  *int  `json:"awakenings"`
	Quality     *int  `json:"quality"`
	DurationMin int   `json:"duration_min"`
}

// nullableSum accumulates the non-null values of one field (§12.1: a daily
// row averages or sums only non-null values, null when all are null).
type nullableSum struct{ sum, count int }

func (n *nullableSum) add(p *int) {
	if p != nil {
		n.sum += *p
		n.count++
	}
}

// truncatedMean is the mean truncated to an integer, nil when no value.
func (n nullableSum) truncatedMean() *int {
	if n.count == 0 {
		return nil
	}
	m := n.sum / n.count
	return &m
}

func (n nullableSum) total() *int {
	if n.count == 0 {
		return nil
	}
	t := n.sum
	return &t
}

// AggregateDaily folds sessions (in any order, any dates) into one DailyRow per
// wake date, ascending by date:
//
//   - ID: smallest session id; Bed: clock of the earliest bed datetime (it may
//     lie on the previous calendar day); Wake: clock of the latest wake;
//   - LatencyMin and Quality: means of the non-null values truncated to
//     integers (3 and 5 → 4, 3 and 4 → 3); Awakenings: sum of the non-null
//     values; each nil when every session's value is nil; DurationMin: sum.
//
// An empty input gives an empty, non-nil slice (JSON "[]").
func AggregateDaily(sessions []Session) []DailyRow {
	type accumulator struct {
		row                          DailyRow
		earliestBed                  NaiveDateTime
		latency, awakenings, quality nullableSum
	}
	// Accumulators live in one slice, indexed by date, to avoid an
	// allocation per day.
	index := make(map[Date]int, len(sessions))
	accs := make([]accumulator, 0, len(sessions))
	for _, s := range sessions {
		bed, _ := s.LocalBounds()
		i, seen := index[s.Date]
		if !seen {
			i = len(accs)
			index[s.Date] = i
			accs = append(accs, accumulator{earliestBed: bed, row: DailyRow{
				ID: s.ID, Date: s.Date, Bed: s.Bed, Wake: s.Wake, DurationMin: 0}})
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
		r.DurationMin += s.DurationMin
		acc.latency.add(s.LatencyMin)
		acc.awakenings.add(s.Awakenings)
		acc.quality.add(s.Quality)
	}
	rows := make([]DailyRow, len(accs))
	for i, acc := range accs {
		acc.row.LatencyMin = acc.latency.truncatedMean()
		acc.row.Awakenings = acc.awakenings.total()
		acc.row.Quality = acc.quality.truncatedMean()
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
