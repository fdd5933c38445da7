package sleep

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Clock is a local wall-clock time of day with no date and no zone, counted in
// seconds since midnight (0 = 00:00:00, 86399 = 23:59:59). Values outside that
// range are never produced by this package.
type Clock int

// secondsPerDay is the number of clock seconds in a civil day (no leap seconds).
const secondsPerDay = 24 * 60 * 60

// ParseClock parses "HH:MM" or "HH:MM:SS": 24-hour, zero-padded, hour 00–23,
// minute and second 00–59, no fraction. Surrounding Unicode whitespace is
// ignored (SPEC §3.5), so " 07:00 " is 07:00:00 while "7:00", "24:00",
// "07:60" and "07:00:00.5" are rejected.
func ParseClock(s string) (Clock, bool) {
	s = strings.TrimSpace(s)
	if (len(s) != 5 && len(s) != 8) || s[2] != ':' {
		return 0, false
	}
	hour, okH := parseDigits(s[0:2])
	minute, okM := parseDigits(s[3:5])
	second, okS := 0, true
	if len(s) == 8 {
		if s[5] != ':' {
			return 0, false
		}
		second, okS = parseDigits(s[6:8])
	}
	if !okH || !okM || !okS || hour > 23 || minute > 59 || second > 59 {
		return 0, false
	}
	return Clock(hour*3600 + minute*60 + second), true
}

// Hour returns the hour, 0–23.
func (c Clock) Hour() int { return int(c) / 3600 }

// Minute returns the minute within the hour, 0–59.
func (c Clock) Minute() int { return int(c) % 3600 / 60 }

// Second returns the second within the minute, 0–59.
func (c Clock) Second() int { return int(c) % 60 }

// MinuteOfDay returns hour·60 + minute with the seconds dropped, the "clock"
// value that trends and personalization work with (SPEC §7.3).
func (c Clock) MinuteOfDay() int { return int(c) / 60 }

// String formats c as "HH:MM:SS", the only form clock times are returned and
// stored in (its text order equals time order).
func (c Clock) String() string { return string(c.appendTo(make([]byte, 0, 8))) }

func (c Clock) appendTo(b []byte) []byte {
	b = appendPadded(b, c.Hour(), 2)
	b = append(b, ':')
	b = appendPadded(b, c.Minute(), 2)
	b = append(b, ':')
	return appendPadded(b, c.Second(), 2)
}

// MarshalText gives "HH:MM:SS", so JSON encodes c as that string. (A text
// marshaler, unlike MarshalJSON, spares encoding/json re-validating the
// output: lists carry two clock times per row.)
func (c Clock) MarshalText() ([]byte, error) {
	return c.appendTo(make([]byte, 0, 8)), nil
}

// UnmarshalJSON accepts a string in any form ParseClock accepts.
func (c *Clock) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("clock time must be a JSON string: %w", err)
	}
	parsed, ok := ParseClock(s)
	if !ok {
		return fmt.Errorf("invalid clock time %q: want HH:MM or HH:MM:SS", s)
	}
	*c = parsed
	return nil
}
