package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sleeptracker/internal/diary"
	"sleeptracker/internal/export/csvcell"
)

// diaryCSVHeader is the column order of the diary CSV (SPEC §12.3).
var diaryCSVHeader = []string{"date", "in_bed_time", "bed_time", "latency_min", "awakenings", "waso_min",
	"wake_time", "out_of_bed_time", "quality", "rested", "tib_min", "tst_min", "se_pct", "naps_count", "naps_min",
	"alcohol_drinks", "caffeine_drinks", "medication", "exercise_intensity", "notes"}

// writeDiaryCSV writes the diary as an attachment by the CSV rules of
// csvcell: one row per night, the main session's values, times as HH:MM,
// empty cells for null.
func writeDiaryCSV(w http.ResponseWriter, r *http.Request, d diary.Diary) error {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="sleep-diary-%s-to-%s.csv"`, d.From, d.To))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	cw := csvcell.NewWriter(w)
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
		row = append(row, csvcell.ClockHHMM(s.InBed), csvcell.ClockHHMM(&s.Bed), csvcell.Int(s.LatencyMin),
			csvcell.Int(s.Awakenings), csvcell.Int(s.WasoMin), csvcell.ClockHHMM(&s.Wake), csvcell.ClockHHMM(s.OutOfBed),
			csvcell.Int(s.Quality), csvcell.Int(s.Rested), strconv.Itoa(s.TIBMin), strconv.Itoa(s.TSTMin),
			strconv.FormatFloat(s.SEPct, 'f', 1, 64))
	}
	row = append(row, strconv.Itoa(n.Naps.Count), strconv.Itoa(n.Naps.Minutes))
	if s == nil {
		row = append(row, "", "", "")
	} else {
		medication := ""
		if s.Medication != nil {
			medication = *s.Medication
		}
		row = append(row, csvcell.Int(s.AlcoholDrinks), csvcell.Int(s.CaffeineDrinks), csvcell.Text(medication))
	}
	intensity := ""
	if n.ExerciseIntensity != nil {
		intensity = n.ExerciseIntensity.String()
	}
	return append(row, intensity, csvcell.Text(strings.Join(n.NoteBodies, " | ")))
}
