package imports

import (
	"strings"
	"testing"
)

func TestOura(t *testing.T) {
	doc := string(xRead(t, "oura/sleep.json"))
	want := []string{
		// the DST night: each time in its own offset; latency 545 s → 9 min
		"record 1 | 2024-03-31 23:05-07:12 zone=- q=- lat=9 aw=- waso=- inbed=23:05 out=07:12",
		// record 2 is deleted: skipped, not counted; -07:00 while travelling
		"record 3 | 2024-04-03 22:30-06:00 zone=- q=- lat=0 aw=- waso=- inbed=22:30 out=06:00",
		"record 4 | 2024-04-03 15:00-15:40 zone=- q=- lat=- aw=- waso=- inbed=15:00 out=15:40",
		"record 6 | 2024-04-06 23:30-07:30 zone=- q=- lat=180 aw=- waso=- inbed=23:30 out=07:30",
	}
	wantInvalid := "record 5: bedtime_end is not after bedtime_start"
	bare := doc[strings.Index(doc, "[") : strings.LastIndex(doc, "]")+1]
	for name, content := range map[string]string{"document": doc, "bare array": bare,
		"data after other keys": `{"next_token":{"a":[1,2,{"b":null}]},"data":` + bare + `}`} {
		t.Run(name, func(t *testing.T) {
			s, err := xParse(t, ParseOura, xInput("", []byte(content), "Asia/Tokyo"))
			if err != nil {
				t.Fatal(err)
			}
			xDiff(t, s.lines(), want)
			if got := strings.Join(s.invalid, "; "); got != wantInvalid {
				t.Errorf("invalid %s", got)
			}
		})
	}
}

func TestOuraUnreadable(t *testing.T) {
	doc := string(xRead(t, "oura/sleep.json"))
	cases := []struct{ name, content, want string }{
		{"truncated", doc[:strings.Index(doc, `"id":"8f0c2a1e-0004"`)], "oura.json line 4: unexpected end of file"},
		{"no data", `{"next_token":null}`, `oura.json line 1: the document has no "data" array`},
		{"data not an array", `{"data":{}}`, `oura.json line 1: "data" must be an array of sleep periods`},
		{"scalar", `42`, `oura.json line 1: expected {"data":[…]} or an array of sleep periods`},
		{"malformed", "{\"data\":[\n{\"type\":}]}", "oura.json line 2: malformed JSON: invalid character '}' looking for beginning of value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := xParse(t, ParseOura, xInput("oura.json", []byte(tc.content), ""))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}
