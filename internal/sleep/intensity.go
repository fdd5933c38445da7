package sleep

import (
	"encoding/json"
	"fmt"
)

// Intensity is an exercise intensity, ordered none < light < hard so that the
// intensity of a date is the maximum over its records (SPEC §6.5).
//
// The zero Intensity is "unset": it sorts below IntensityNone, which makes it
// the natural start value when taking a maximum, String returns "" and it
// marshals to JSON null.
type Intensity int

// The intensities, in increasing order.
const (
	IntensityNone Intensity = iota + 1
	IntensityLight
	IntensityHard
)

var intensityNames = [...]string{IntensityNone: "none", IntensityLight: "light", IntensityHard: "hard"}

// ParseIntensity accepts exactly "none", "light" or "hard" (case-sensitive,
// no trimming).
func ParseIntensity(s string) (Intensity, bool) {
	for i := IntensityNone; i <= IntensityHard; i++ {
		if intensityNames[i] == s {
			return i, true
		}
	}
	return 0, false
}

// String returns "none", "light" or "hard" (the wire and storage form), or ""
// for an unset or unknown value.
func (i Intensity) String() string {
	if i < IntensityNone || i > IntensityHard {
		return ""
	}
	return intensityNames[i]
}

// MaxIntensity returns the stronger of a and b.
func MaxIntensity(a, b Intensity) Intensity { return max(a, b) }

// MarshalJSON encodes i as its name, or null when unset.
func (i Intensity) MarshalJSON() ([]byte, error) {
	if i.String() == "" {
		return []byte("null"), nil
	}
	return json.Marshal(i.String())
}

// UnmarshalJSON accepts "none", "light", "hard" or null (unset).
func (i *Intensity) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*i = 0
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("intensity must be a JSON string: %w", err)
	}
	parsed, ok := ParseIntensity(s)
	if !ok {
		return fmt.Errorf("invalid intensity %q: want none, light or hard", s)
	}
	*i = parsed
	return nil
}

// IntensityDay is one element of GET /api/exercise/intensity: a date and the
// maximum intensity of its exercise records (SPEC §5.2, §5.16).
type IntensityDay struct {
	Date      Date      `json:"date"`
	Intensity Intensity `json:"intensity"`
}
