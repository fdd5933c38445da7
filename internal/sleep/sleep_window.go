package sleep

// WindowMinRange is the accepted length of a sleep window (SPEC §12.4).
var WindowMinRange = IntRange{Min: 300, Max: 720}

// SleepWindow is a stored sleep-restriction prescription (SPEC §12.4): a
// fixed rising time and a time in bed, in force since Since.
type SleepWindow struct {
	Wake      Clock `json:"wake_time"`
	WindowMin int   `json:"window_min"`
	Since     Date  `json:"since"`
}

// Bed is the prescribed bedtime: wake_time − window_min on the clock.
func (w SleepWindow) Bed() Clock {
	return Clock(((int(w.Wake)-w.WindowMin*60)%secondsPerDay + secondsPerDay) % secondsPerDay)
}

// ParseSleepWindowInput validates the body of PUT /api/diary/sleep-window in
// the order wake_time, window_min. Since is left for the caller (today in the
// user timezone).
func ParseSleepWindowInput(f Fields) (SleepWindow, error) {
	r := fieldReader{f: f}
	w := SleepWindow{}
	w.Wake = r.clock("wake_time")
	w.WindowMin = r.integer("window_min", WindowMinRange)
	if r.err != nil {
		return SleepWindow{}, r.err
	}
	return w, nil
}
