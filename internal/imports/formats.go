package imports

import (
	"strings"
)

// AutoFormat is the format parameter that detects the format from the content.
const AutoFormat = "auto"

// Names of SleepTracker's own formats (SPEC §13.5).
const (
	FormatSleepTrackerJSON = "sleeptracker-json"
	FormatSleepTrackerCSV  = "sleeptracker-csv"
	FormatSleepTrackerV0DB = "sleeptracker-v0-db"
)

// formatOrder is the order of SPEC §13.4's format message; Formats returns
// the table in it, and auto detection tries formats in it.
var formatOrder = []string{
	FormatSleepTrackerJSON, FormatSleepTrackerCSV, FormatSleepTrackerV0DB,
	"sleep-as-android", "plees-tracker", "fitbit", "apple-health", "oura",
}

// ownFormats are the rows of SleepTracker's own formats.
func ownFormats() []Format {
	return []Format{
		{Name: FormatSleepTrackerJSON, Detect: detectSleepTrackerJSON, Parse: parseSleepTrackerJSON},
		{Name: FormatSleepTrackerCSV, Detect: detectSleepTrackerCSV, Parse: parseSleepTrackerCSV},
		{Name: FormatSleepTrackerV0DB, Detect: detectSleepTrackerV0DB, Parse: parseSleepTrackerV0DB},
	}
}

// Formats is the format table (SPEC §13.5, §14): SleepTracker's own formats
// and the other apps' formats (externalFormats), in the documented order.
// Adding a format is one parser file and one row.
func Formats() []Format {
	all := append(ownFormats(), externalFormats()...)
	out := make([]Format, 0, len(all))
	for _, name := range formatOrder {
		for _, f := range all {
			if f.Name == name {
				out = append(out, f)
			}
		}
	}
	return out
}

// FormatNames lists every name of the format table in documented order.
func FormatNames(table []Format) []string {
	names := make([]string, len(table))
	for i, f := range table {
		names[i] = f.Name
	}
	return names
}

// FormatMessage is the 400 message of an unknown format parameter: every
// name of the table after auto, as SPEC §13.4 lists them.
func FormatMessage(table []Format) string {
	return "format must be one of " + strings.Join(append([]string{AutoFormat}, FormatNames(table)...), ", ")
}

// lookupFormat finds a format by name.
func lookupFormat(table []Format, name string) (Format, bool) {
	for _, f := range table {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// detect returns the first format of the table that recognises the upload.
func detect(table []Format, in Input, head []byte) (Format, bool) {
	for _, f := range table {
		if f.Detect != nil && f.Detect(in, head) {
			return f, true
		}
	}
	return Format{}, false
}

// storedNotesOnly reports the formats whose notes are compared only with
// stored notes (SPEC §13.5): an export may hold two equal notes on a date.
func storedNotesOnly(name string) bool {
	return name == FormatSleepTrackerJSON || name == FormatSleepTrackerCSV
}

// externalFormats are the rows of the other apps' formats (SPEC §14), from
// formats_external.go (issue 10).
func externalFormats() []Format {
	return ExternalFormats()
}
