package trends

// SleepBar is one element of the sleep-bars body (SPEC §7.1): the bed and
// wake clock times of one daily row. A bed time later than the wake time
// means the bed time was on the previous calendar day; it is not flagged.
type SleepBar struct {
	Date     string `json:"date"`
	BedTime  string `json:"bed_time"`
	WakeTime string `json:"wake_time"`
	// Quality is null when no session of the date was rated (§12.1).
	Quality     *int `json:"quality"`
	DurationMin int  `json:"duration_min"`
}

// SleepBars returns one bar per daily row, in ascending date order (SPEC
// §7.1). The caller passes the rows of [from, to]; the result is never nil, so
// no rows encode as [].
func SleepBars(nights []Night) []SleepBar {
	bars := make([]SleepBar, 0, len(nights))
	for _, n := range ascendingByDate(nights) {
		bars = append(bars, SleepBar{
			Date:        formatDate(n.Date),
			BedTime:     formatClock(n.BedSec),
			WakeTime:    formatClock(n.WakeSec),
			Quality:     n.Quality,
			DurationMin: n.DurationMin,
		})
	}
	return bars
}
