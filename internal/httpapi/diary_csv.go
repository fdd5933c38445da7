package httpapi

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sleeptracker/internal/diary"
	"sleeptracker/internal/sleep"
)

// diaryCSVHeader is the column order of the diary CSV (SPEC §12.3).
var diaryCSVHeader = []string{"date", "in_bed_time", "bed_time", "latency_min", "awakenings", "waso_min",
	"wake_time", "out_of_bed_time", "quality", "rested", "tib_min", "tst_min", "se_pct", "naps_count", "naps_min",
	"alcohol_drinks", "caffeine_drinks", "medication", "exercise_intensity", "notes"}

// writeDiaryCSV writes the diary as an RFC 4180 attachment: CRLF line ends,
// quoting by encoding/csv, empty cells for null, times as HH:MM, and the
// spreadsheet formula guard on text cells.
func writeDiaryCSV(w http.ResponseWriter, r *http.Request, d diary.Diary) error {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="sleep-diary-%s-to-%s.csv"`, d.From, d.To))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(diaryCSVHeader); err != nil {
		return err
	}
	for _, night := range d.Nights {
		if err := cw.Write(diaryCSVRow(night)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func diaryCSVRow(n diary.Night) []string {
	row := make([]string, 0, len(diaryCSVHeader))
	row = append(row, n.Date.String())
	s := n.Main
	if s == nil {
		row = append(row, make([]string, 12)...)
	} else {
		row = append(row, hhmm(s.InBed), hhmm(&s.Bed), intCell(s.LatencyMin), intCell(s.Awakenings),
			intCell(s.WasoMin), hhmm(&s.Wake), hhmm(s.OutOfBed), intCell(s.Quality), intCell(s.Rested),
			strconv.Itoa(s.TIBMin), strconv.Itoa(s.TSTMin), strconv.FormatFloat(s.SEPct, 'f', 1, 64))
	}
	row = append(row, strconv.Itoa(n.Naps.Count), strconv.Itoa(n.Naps.Minutes))
	if s == nil {
		row = append(row, "", "", "")
	} else {
		row = append(row, intCell(s.AlcoholDrinks), intCell(s.CaffeineDrinks), textCell(deref(s.Medication)))
	}
	intensity := ""
	if n.ExerciseIntensity != nil {
		intensity = n.ExerciseIntensity.String()
	}
	row = append(row, intensity, textCell(strings.Join(n.NoteBodies, " | ")))
	return row
}

func hhmm(c *sleep.Clock) string {
	if c == nil {
		return ""
	}
	return c.String()[:5]
}

func intCell(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// textCell guards a free-text cell against spreadsheet formula injection:
// text starting with =, +, -, @, tab or carriage return gets a leading '.
func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
