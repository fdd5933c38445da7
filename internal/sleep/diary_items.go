package sleep

import "strings"

// DiaryItems are the optional Consensus Sleep Diary items of a session
// (SPEC §12.1). Every field is nil when not recorded; JSON encodes nil as null.
type DiaryItems struct {
	InBed          *Clock  `json:"in_bed_time"`
	WasoMin        *int    `json:"waso_min"`
	OutOfBed       *Clock  `json:"out_of_bed_time"`
	Rested         *int    `json:"rested"`
	AlcoholDrinks  *int    `json:"alcohol_drinks"`
	CaffeineDrinks *int    `json:"caffeine_drinks"`
	Medication     *string `json:"medication"`
}

// Ranges and limits of the diary items (SPEC §12.1).
var (
	WasoRange   = IntRange{Min: 0, Max: 720}
	RestedRange = IntRange{Min: 1, Max: 5}
	DrinksRange = IntRange{Min: 0, Max: 30}
)

// MaxMedicationChars bounds the trimmed medication text, in code points.
const MaxMedicationChars = 200

// MaxPlacementMin is how far in_bed_time may lie before bed_time, and
// out_of_bed_time after wake_time, on the night's timeline (12 hours).
const MaxPlacementMin = 720

// Derived are the values computed from a session on every read (SPEC §12.2);
// they are never stored.
type Derived struct {
	TIBMin          int     `json:"tib_min"`
	TSTMin          int     `json:"tst_min"`
	SEPct           float64 `json:"se_pct"`
	TerminalWakeMin int     `json:"terminal_wake_min"`
}

// PreMin is (bed − in_bed) mod 1440 on whole minutes: the time in bed before
// trying to sleep; 0 when in_bed_time is not recorded.
func PreMin(bed Clock, inBed *Clock) int {
	if inBed == nil {
		return 0
	}
	return minutesMod(bed.MinuteOfDay() - inBed.MinuteOfDay())
}

// PostMin is (out_of_bed − wake) mod 1440 on whole minutes: the time in bed
// after the final awakening; 0 when out_of_bed_time is not recorded.
func PostMin(wake Clock, outOfBed *Clock) int {
	if outOfBed == nil {
		return 0
	}
	return minutesMod(outOfBed.MinuteOfDay() - wake.MinuteOfDay())
}

func minutesMod(m int) int { return ((m % 1440) + 1440) % 1440 }

// ComputeDerived returns the derived values of s (SPEC §12.2). TIB is never
// below the stored duration, which is positive, so SE is always defined.
func ComputeDerived(s Session) Derived {
	pre, post := PreMin(s.Bed, s.InBed), PostMin(s.Wake, s.OutOfBed)
	tib := s.DurationMin + pre + post
	tst := max(0, s.DurationMin-valueOr(s.LatencyMin, 0)-valueOr(s.WasoMin, 0))
	return Derived{TIBMin: tib, TSTMin: tst, SEPct: PercentTenths(tst, tib), TerminalWakeMin: post}
}

// PercentTenths is 100 × part / total rounded half away from zero to one
// decimal, computed in integers so that 83.65 never becomes 83.6 through
// floating point. part and total are non-negative; total 0 gives 0.
func PercentTenths(part, total int) float64 {
	return RatioTenths(100*int64(part), int64(total))
}

// RatioTenths is num / den rounded half away from zero to one decimal, for
// non-negative num and positive den (0 when den is 0), exactly.
func RatioTenths(num, den int64) float64 {
	if den <= 0 {
		return 0
	}
	tenths := (20*num + den) / (2 * den)
	return float64(tenths) / 10
}

func valueOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// TrimMedication trims s and turns an empty result into nil (SPEC §12.1).
func TrimMedication(s *string) *string {
	if s == nil {
		return nil
	}
	t := strings.TrimSpace(*s)
	if t == "" {
		return nil
	}
	return &t
}
