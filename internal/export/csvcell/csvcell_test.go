package csvcell

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"sleeptracker/internal/sleep"
)

func TestTextGuardsFormulaStarts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=SUM(A1:A9)", "'=SUM(A1:A9)"},
		{"+1", "'+1"},
		{"-2 pills", "'-2 pills"},
		{"@cmd", "'@cmd"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"", ""},
		{"late coffee", "late coffee"},
		{" =not at start", " =not at start"},
		{"'quoted", "'quoted"},
		{"é=", "é="},
		{"1+1", "1+1"},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if back := Unguard(Text(tc.in)); back != tc.in {
			t.Errorf("Unguard(Text(%q)) = %q", tc.in, back)
		}
	}
	if Unguard("'hello") != "'hello" || Unguard("'") != "'" {
		t.Error("Unguard changed text that Text never produces")
	}
}

func TestWriterIsRFC4180(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	two := 2
	c, _ := sleep.ParseClock("06:30:15")
	rows := [][]string{
		{"a,b", `say "hi"`, "line\nbreak", Int(&two), Int(nil), Clock(&c), ClockHHMM(&c), Clock(nil), Text("=1+1")},
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	// encoding/csv writes a line break inside a quoted field as CRLF too;
	// readers (Go's included) give back "\n".
	want := "\"a,b\",\"say \"\"hi\"\"\",\"line\r\nbreak\",2,,06:30:15,06:30,,'=1+1\r\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
	back, err := csv.NewReader(&buf).ReadAll()
	if err != nil || !slices.Equal(back[0], rows[0]) {
		t.Fatalf("read back %q, %v", back, err)
	}
}
