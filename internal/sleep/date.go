package sleep

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a civil (proleptic Gregorian) calendar date with no time and no zone,
// such as a wake date. It is comparable with == and usable as a map key.
//
// The zero Date is "unset": IsZero reports true, String returns "" and it
// marshals to JSON null. Obtain real dates from ParseDate, DateOf or AddDays.
type Date struct {
	// ord counts days so that 0001-01-01 is 1; keeping 0 free makes the zero
	// value distinguishable from every real date while AddDays and DaysSince
	// stay plain integer arithmetic.
	ord int32
}

// ordUnixEpoch is the ord of 1970-01-01, the epoch of the civil-date formulas.
const ordUnixEpoch = 719163

// Years accepted by ParseDate (SPEC §3.5).
const (
	minParseYear = 1900
	maxParseYear = 2999
)

// ParseDate parses exactly "YYYY-MM-DD": ASCII digits, zero-padded, a real
// calendar date in the years 1900–2999. Anything else ("2025-6-1",
// "2025-02-30", "1899-12-31", "2025-06-01T00:00", surrounding spaces) is
// rejected with ok == false.
func ParseDate(s string) (d Date, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	year, ok1 := parseDigits(s[0:4])
	month, ok2 := parseDigits(s[5:7])
	day, ok3 := parseDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 || year < minParseYear || year > maxParseYear ||
		month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) {
		return Date{}, false
	}
	return dateFromCivil(year, month, day), true
}

// DateOf returns the calendar date of t in t's own location. Convert t with
// t.In(zone) first to get the date in another zone ("today" for the user).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return dateFromCivil(y, int(m), d)
}

// String formats the date as "YYYY-MM-DD" (the wire and storage format), or ""
// for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.appendTo(make([]byte, 0, 10)))
}

func (d Date) appendTo(b []byte) []byte {
	y, m, day := d.civil()
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, m, 2)
	b = append(b, '-')
	return appendPadded(b, day, 2)
}

// IsZero reports whether d is the unset zero Date.
func (d Date) IsZero() bool { return d.ord == 0 }

// AddDays returns the date n days later (earlier when n is negative). The zero
// Date stays zero. Results are meaningful for years 1–9999, far beyond what the
// product stores.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return Date{ord: d.ord + int32(n)}
}

// DaysSince returns d − other in days (positive when d is later). The inclusive
// span of a range [from, to] is to.DaysSince(from) + 1.
func (d Date) DaysSince(other Date) int { return int(d.ord) - int(other.ord) }

// Before reports whether d is strictly earlier than o.
func (d Date) Before(o Date) bool { return d.ord < o.ord }

// After reports whether d is strictly later than o.
func (d Date) After(o Date) bool { return d.ord > o.ord }

// Compare returns -1, 0 or +1 as d is before, equal to or after o; it suits
// slices.SortFunc.
func (d Date) Compare(o Date) int {
	switch {
	case d.ord < o.ord:
		return -1
	case d.ord > o.ord:
		return 1
	}
	return 0
}

// Weekday returns the day of the week (the weekend is Saturday and Sunday).
func (d Date) Weekday() time.Weekday {
	// 0001-01-01 (ord 1) was a Monday, and time.Monday == 1.
	return time.Weekday(((int(d.ord) % 7) + 7) % 7)
}

// Time returns midnight UTC at the start of d. Use it only for calendar
// arithmetic or formatting, never as the instant a user lived through: that
// needs the user's zone (see ComputeDuration).
func (d Date) Time() time.Time {
	y, m, day := d.civil()
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// MarshalJSON encodes d as "YYYY-MM-DD", or null for the zero Date (SPEC §1.3:
// optional values are null, never omitted).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	b := append(make([]byte, 0, 12), '"')
	b = d.appendTo(b)
	return append(b, '"'), nil
}

// UnmarshalJSON accepts a "YYYY-MM-DD" string with the rules of ParseDate, or
// null, which yields the zero Date.
func (d *Date) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("date must be a JSON string: %w", err)
	}
	parsed, ok := ParseDate(s)
	if !ok {
		return fmt.Errorf("invalid date %q: want YYYY-MM-DD, years 1900-2999", s)
	}
	*d = parsed
	return nil
}

// dateFromCivil converts a proleptic Gregorian year/month/day (already valid)
// to a Date, using Howard Hinnant's days_from_civil algorithm.
func dateFromCivil(year, month, day int) Date {
	y := year
	if month <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (month + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	unixDays := era*146097 + doe - 719468
	return Date{ord: int32(unixDays + ordUnixEpoch)}
}

// civil is the inverse of dateFromCivil (Hinnant's civil_from_days).
func (d Date) civil() (year, month, day int) {
	z := int(d.ord) - ordUnixEpoch + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	month = mp + 3
	if month > 12 {
		month -= 12
	}
	year = yoe + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func isLeapYear(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(year, month int) int {
	switch month {
	case 2:
		if isLeapYear(year) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseDigits parses a non-empty run of ASCII digits (no sign, no spaces).
// Callers bound the length, so it cannot overflow.
func parseDigits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// appendPadded appends v in decimal, left-padded with zeros to width digits.
func appendPadded(b []byte, v, width int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	var buf [20]byte
	i := len(buf)
	for v >= 10 || len(buf)-i < width-1 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	buf[i] = byte('0' + v)
	return append(b, buf[i:]...)
}

// DaysSinceEpoch is d as days since 1970-01-01 (negative before it).
func (d Date) DaysSinceEpoch() int64 { return int64(d.ord) - ordUnixEpoch }
