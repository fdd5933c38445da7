package sleep

import (
	"net/url"
	"testing"
)

func TestParseID(t *testing.T) {
	cases := []struct {
		in   string
		want int64 // 0 = invalid id
	}{
		{"1", 1},
		{"42", 42},
		{"007", 7},
		{"9223372036854775807", 9223372036854775807},
		{"9223372036854775808", 0},
		{"0", 0},
		{"-1", 0},
		{"+1", 0},
		{" 1", 0},
		{"1.0", 0},
		{"1e3", 0},
		{"abc", 0},
		{"recent", 0},
		{"", 0},
	}
	for _, tc := range cases {
		got, err := ParseID(tc.in)
		if tc.want == 0 {
			assertInvalid(t, tc.in, err, "invalid id")
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseID(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestParsePathDate(t *testing.T) {
	if d, err := ParsePathDate("2025-06-17"); err != nil || d.String() != "2025-06-17" {
		t.Errorf("ParsePathDate(valid) = %v, %v", d, err)
	}
	for _, bad := range []string{"2025-6-17", "2025-02-30", "", "today"} {
		_, err := ParsePathDate(bad)
		assertInvalid(t, bad, err, "invalid date")
	}
}

func TestLookupQuery(t *testing.T) {
	values, _ := url.ParseQuery("days=5&days=9&empty=&other")
	cases := []struct {
		name string
		want QueryParam
	}{
		{"days", QueryParam{Value: "5", Present: true}}, // first occurrence wins
		{"empty", QueryParam{Value: "", Present: true}},
		{"other", QueryParam{Value: "", Present: true}},
		{"missing", QueryParam{}},
	}
	for _, tc := range cases {
		if got := LookupQuery(values, tc.name); got != tc.want {
			t.Errorf("LookupQuery(%q) = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestParseQueryInt(t *testing.T) {
	cases := []struct {
		query string
		want  int64
		msg   string
	}{
		{"", 7, ""}, // absent → default
		{"days=1", 1, ""},
		{"days=31", 31, ""},
		{"days=5&days=x", 5, ""},
		{"days=", 0, "days must be an integer"},
		{"days=abc", 0, "days must be an integer"},
		{"days=1.5", 0, "days must be an integer"},
		{"days=1e1", 0, "days must be an integer"},
		{"days=%207", 0, "days must be an integer"},
		{"days=-", 0, "days must be an integer"},
		{"days=0", 0, "days must be between 1 and 31"},
		{"days=32", 0, "days must be between 1 and 31"},
		{"days=-1", 0, "days must be between 1 and 31"},
		{"days=99999999999999999999", 0, "days must be between 1 and 31"},
	}
	for _, tc := range cases {
		values, _ := url.ParseQuery(tc.query)
		got, err := ParseQueryInt("days", LookupQuery(values, "days"), 7, RecentDaysRange)
		assertInvalid(t, tc.query, err, tc.msg)
		if tc.msg == "" && got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.query, got, tc.want)
		}
	}
	_, err := ParseQueryInt("window_days", QueryParam{Value: "366", Present: true}, 28, WindowDaysRange)
	assertInvalid(t, "window_days=366", err, "window_days must be between 1 and 365")
}

func TestParseQueryDate(t *testing.T) {
	if d, err := ParseQueryDate("to", QueryParam{}); err != nil || !d.IsZero() {
		t.Errorf("absent to = %v, %v; want zero date, no error", d, err)
	}
	if d, err := ParseQueryDate("to", QueryParam{Value: "2025-06-28", Present: true}); err != nil || d.String() != "2025-06-28" {
		t.Errorf("to = %v, %v", d, err)
	}
	for _, bad := range []string{"", "2025-06-31", "x"} {
		_, err := ParseQueryDate("to", QueryParam{Value: bad, Present: true})
		assertInvalid(t, bad, err, "invalid to date")
	}
}

func TestDateRangeRules(t *testing.T) {
	cases := []struct {
		query      string
		list, trnd string // expected messages ("" = accepted)
	}{
		{"from=2025-06-01&to=2025-06-30", "", ""},
		{"to=2025-06-30", "from is required", "from is required"},
		{"from=&to=2025-06-30", "invalid from date", "invalid from date"},
		{"from=2025-6-1&to=x", "invalid from date", "invalid from date"},
		{"from=2025-06-01", "to is required", "to is required"},
		{"from=2025-06-01&to=", "invalid to date", "invalid to date"},
		{"from=2025-06-01&to=2025-02-30", "invalid to date", "invalid to date"},
		{"from=2025-06-02&to=2025-06-01", "from must be <= to", "to must be >= from"},
		{"from=2025-06-01&to=2025-06-01", "", ""},
		{"from=2025-06-01&to=2025-08-01", "", ""},                         // 62 days inclusive
		{"from=2025-06-01&to=2025-08-02", "range must be <= 62 days", ""}, // 63 days
		{"from=2000-01-01&to=2010-01-07", "range must be <= 62 days", ""}, // 3660 days
		{"from=2000-01-01&to=2010-01-08", "range must be <= 62 days", "range must be <= 3660 days"},
		{"from=2025-06-01&from=x&to=2025-06-02&to=y", "", ""}, // first occurrences win
	}
	for _, tc := range cases {
		values, _ := url.ParseQuery(tc.query)
		from, to := LookupQuery(values, "from"), LookupQuery(values, "to")
		gotFrom, gotTo, err := ListRangeRule.Parse(from, to)
		assertInvalid(t, "list "+tc.query, err, tc.list)
		if err == nil && (gotFrom.String() != from.Value || gotTo.String() != to.Value) {
			t.Errorf("%s: parsed %v..%v", tc.query, gotFrom, gotTo)
		}
		_, _, err = TrendsRangeRule.Parse(from, to)
		assertInvalid(t, "trends "+tc.query, err, tc.trnd)
	}
	custom := DateRangeRule{MaxDays: 7, OrderMessage: ListRangeRule.OrderMessage}
	_, _, err := custom.Parse(QueryParam{Value: "2025-06-01", Present: true}, QueryParam{Value: "2025-06-08", Present: true})
	assertInvalid(t, "custom cap", err, "range must be <= 7 days")
}
