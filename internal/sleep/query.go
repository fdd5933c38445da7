package sleep

import "strconv"

// ParseID parses a path id: a positive decimal integer (ASCII digits only, no
// sign or spaces; leading zeros allowed) that fits in int64. Anything else is
// Invalid("invalid id") (SPEC §3.5).
func ParseID(s string) (int64, error) {
	if s == "" || s[0] < '0' || s[0] > '9' { // ParseInt alone would take a sign
		return 0, Invalid("invalid id")
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, Invalid("invalid id")
	}
	return id, nil
}

// ParsePathDate parses a path date with the rule of ParseDate, else
// Invalid("invalid date") (SPEC §3.5).
func ParsePathDate(s string) (Date, error) {
	d, ok := ParseDate(s)
	if !ok {
		return Date{}, Invalid("invalid date")
	}
	return d, nil
}

// QueryParam is one query parameter as the request carried it: Value is its
// first occurrence and Present reports whether the key appeared at all. A
// present but empty value ("?days=") is invalid, never the default (§3.5).
type QueryParam struct {
	Value   string
	Present bool
}

// LookupQuery returns parameter name of a parsed query string; pass a
// url.Values directly. When the key repeats, the first occurrence wins.
func LookupQuery(values map[string][]string, name string) QueryParam {
	vs, ok := values[name]
	if !ok || len(vs) == 0 {
		return QueryParam{}
	}
	return QueryParam{Value: vs[0], Present: true}
}

// ParseQueryInt parses the optional integer query parameter name: absent →
// def; present but not an optionally signed run of ASCII digits (empty, "1.5",
// " 7") → "<name> must be an integer"; outside r, even beyond int64 → r's
// range message ("days must be between 1 and 31").
func ParseQueryInt(name string, p QueryParam, def int64, r IntRange) (int64, error) {
	if !p.Present {
		return def, nil
	}
	v, isInteger, err := r.parseDecimal(name, p.Value)
	if err != nil {
		return 0, err
	}
	if !isInteger {
		return 0, Invalid(name + " must be an integer")
	}
	return v, nil
}

// ParseQueryDate parses the optional date query parameter name (such as the
// `to` of personalization): absent → the zero Date and no error, so the caller
// applies its default; present but not a date (empty included) →
// "invalid <name> date".
func ParseQueryDate(name string, p QueryParam) (Date, error) {
	if !p.Present {
		return Date{}, nil
	}
	d, ok := ParseDate(p.Value)
	if !ok {
		return Date{}, Invalid("invalid " + name + " date")
	}
	return d, nil
}

// DateRangeRule describes the required from/to query parameters of a date
// range and how they are checked. Checks run in this order (SPEC §5.14,
// §5.23): from ("from is required", "invalid from date"), to ("to is
// required", "invalid to date"), then order (OrderMessage), then the
// inclusive span (to − from) + 1 against MaxDays ("range must be <= N days";
// exactly MaxDays is allowed).
type DateRangeRule struct {
	MaxDays      int
	OrderMessage string // returned when from is after to
}

// The two range rules of the API.
var (
	// ListRangeRule serves /api/sleep/range, /api/exercise/intensity and
	// GET /api/note.
	ListRangeRule = DateRangeRule{MaxDays: 62, OrderMessage: "from must be <= to"}
	// TrendsRangeRule serves /api/trends/sleep-bars and /api/trends/summary.
	TrendsRangeRule = DateRangeRule{MaxDays: 3660, OrderMessage: "to must be >= from"}
)

// Parse checks the from and to parameters by the rule.
func (rule DateRangeRule) Parse(fromParam, toParam QueryParam) (from, to Date, err error) {
	from, err = parseRequiredQueryDate("from", fromParam)
	if err != nil {
		return Date{}, Date{}, err
	}
	to, err = parseRequiredQueryDate("to", toParam)
	if err != nil {
		return Date{}, Date{}, err
	}
	if from.After(to) {
		return Date{}, Date{}, Invalid(rule.OrderMessage)
	}
	if to.DaysSince(from)+1 > rule.MaxDays {
		return Date{}, Date{}, Invalidf("range must be <= %d days", rule.MaxDays)
	}
	return from, to, nil
}

func parseRequiredQueryDate(name string, p QueryParam) (Date, error) {
	if !p.Present {
		return Date{}, Invalid(name + " is required")
	}
	return ParseQueryDate(name, p)
}

// Ranges of the integer query parameters (SPEC §5.13, §5.22, §5.25).
var (
	// RecentDaysRange bounds days of /api/sleep/recent (default 7).
	RecentDaysRange = IntRange{Min: 1, Max: 31}
	// WindowDaysRange bounds window_days of personalization and the friction
	// backlog (default 28).
	WindowDaysRange = IntRange{Min: 1, Max: 365}
)

// MinDate is the first date of the contract (SPEC §1.3): 1900-01-01.
var MinDate = dateFromCivil(minParseYear, 1, 1)

// ErrWindowBefore1900 refuses a derived window that would start before
// MinDate (SPEC §7.3, Part II intro).
var ErrWindowBefore1900 = Invalid("window would start before 1900-01-01")

// CheckWindowStart returns ErrWindowBefore1900 when a derived window's first
// date lies before 1900-01-01. Dates before MinDate exist as values (AddDays
// does not clamp) but never reach the wire.
func CheckWindowStart(first Date) error {
	if first.Before(MinDate) {
		return ErrWindowBefore1900
	}
	return nil
}

// DefaultedRangeRule is a DateRangeRule whose from and to are optional: to
// defaults to today and from to to − (DefaultDays − 1) (SPEC §12.3, §12.5).
// Checks: "invalid from date", "invalid to date", the derived window (only a
// defaulted from can fall before 1900), then the order and the span of the
// DateRangeRule.
type DefaultedRangeRule struct {
	DateRangeRule
	DefaultDays int
}

// The Part II ranges with defaults.
var (
	// DiaryRangeRule serves GET /api/diary: two weeks by default, at most 92 days.
	DiaryRangeRule = DefaultedRangeRule{DateRangeRule{MaxDays: 92, OrderMessage: "from must be <= to"}, 14}
	// RegularityRangeRule serves GET /api/trends/regularity: four weeks by
	// default, at most 366 days.
	RegularityRangeRule = DefaultedRangeRule{DateRangeRule{MaxDays: 366, OrderMessage: "from must be <= to"}, 28}
)

// Parse checks the optional from and to parameters; today is the user's
// current date.
func (rule DefaultedRangeRule) Parse(fromParam, toParam QueryParam, today Date) (from, to Date, err error) {
	if from, err = ParseQueryDate("from", fromParam); err != nil {
		return Date{}, Date{}, err
	}
	if to, err = ParseQueryDate("to", toParam); err != nil {
		return Date{}, Date{}, err
	}
	if to.IsZero() {
		to = today
	}
	if from.IsZero() {
		from = to.AddDays(-(rule.DefaultDays - 1))
		if err := CheckWindowStart(from); err != nil {
			return Date{}, Date{}, err
		}
	}
	if from.After(to) {
		return Date{}, Date{}, Invalid(rule.OrderMessage)
	}
	if to.DaysSince(from)+1 > rule.MaxDays {
		return Date{}, Date{}, Invalidf("range must be <= %d days", rule.MaxDays)
	}
	return from, to, nil
}
