// Package applehealthgen writes a synthetic Apple Health export.xml for the
// importer's tests and benchmarks (SPEC §14): deterministic from a seed, in
// the layout of a real export (XML declaration, a DTD header, ExportDate, Me,
// then Records of many types one per line, Correlations and Workouts with
// nested elements, ActivitySummaries), with years of sleep analysis samples
// from two sources among as many other records as it takes to reach the
// requested size.
//
// The sleep is known in advance, so a test can check what the parser found:
// Stats counts the nights each source recorded and those both recorded (the
// parser keeps one of those and reports the other as a duplicate).
//
// Files it writes are never committed: generate them into a temp folder.
package applehealthgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"sleeptracker/internal/sleep"
)

// Options control a generated export.
type Options struct {
	Seed uint64
	// Size is the approximate file size in bytes; the sleep alone may make
	// the file larger when Size is small.
	Size int64
	// Days of data (default 3650, about ten years), ending the day before
	// End (default 2025-06-01).
	Days int
	End  time.Time
	// Zone where the person lives (default Europe/London): offsets follow
	// its daylight-saving changes.
	Zone string
}

// Stats describe what was written.
type Stats struct {
	Bytes        int64
	Records      int64 // <Record> elements of every type, nested ones included
	SleepSamples int64
	// Nights recorded by the watch only, by the sleep app only, by both.
	WatchOnly, AppOnly, Both int
}

// Nights is the number of distinct nights (what the importer keeps).
func (s Stats) Nights() int { return s.WatchOnly + s.AppOnly + s.Both }

const (
	watchSource = "Jan&apos;s Apple Watch" // escaped: the parser must decode it
	appSource   = "AutoSleep &amp; Co"
	watchDevice = "&lt;&lt;HKDevice: 0x2836f1a40&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.1&gt;"
	phoneDevice = "&lt;&lt;HKDevice: 0x2836f1b80&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,5, software:16.1&gt;"
)

// Generate writes the export to w.
func Generate(w io.Writer, o Options) (Stats, error) {
	if o.Days <= 0 {
		o.Days = 3650
	}
	if o.End.IsZero() {
		o.End = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Zone == "" {
		o.Zone = "Europe/London"
	}
	loc, err := sleep.LoadZone(o.Zone)
	if err != nil {
		return Stats{}, err
	}
	cw := &countingWriter{w: bufio.NewWriterSize(w, 1<<20)}
	g := &gen{w: cw, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), loc: loc}
	g.header(o.End)
	first := time.Date(o.End.Year(), o.End.Month(), o.End.Day()-o.Days, 0, 0, 0, 0, loc)
	for d := 0; d < o.Days; d++ {
		day := time.Date(first.Year(), first.Month(), first.Day()+d, 0, 0, 0, 0, loc)
		g.sleepNight(day)
		g.workoutMaybe(day)
		g.correlationMaybe(day)
		// Fill the day up to its share of the requested size.
		target := o.Size * int64(d+1) / int64(o.Days)
		for cw.n < target {
			g.filler(day)
		}
		g.activitySummary(day)
		if cw.err != nil {
			return g.st, cw.err
		}
	}
	g.b = append(g.b[:0], "</HealthData>\n"...)
	g.flush()
	if err := cw.w.(*bufio.Writer).Flush(); err != nil {
		return g.st, err
	}
	g.st.Bytes = cw.n
	return g.st, cw.err
}

type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

type gen struct {
	w   *countingWriter
	rng *rand.Rand
	loc *time.Location
	b   []byte
	st  Stats
}

func (g *gen) flush() {
	_, _ = g.w.Write(g.b)
	g.b = g.b[:0]
}

func (g *gen) header(end time.Time) {
	g.b = append(g.b, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!-- Note: Any Records that appear as children of a correlation also appear as top-level records in this document. -->
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ELEMENT WorkoutRoute ((MetadataEntry|FileReference)*)>
<!ELEMENT ActivitySummary EMPTY>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="`...)
	g.b = appendTime(g.b, end.Add(8*time.Hour))
	g.b = append(g.b, `"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1985-03-02" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
`...)
	g.flush()
}

// appendTime writes "YYYY-MM-DD HH:MM:SS ±HHMM" in t's location.
func appendTime(b []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	_, off := t.Zone()
	b = pad(b, y, 4)
	b = append(b, '-')
	b = pad(b, int(mo), 2)
	b = append(b, '-')
	b = pad(b, d, 2)
	b = append(b, ' ')
	b = pad(b, h, 2)
	b = append(b, ':')
	b = pad(b, mi, 2)
	b = append(b, ':')
	b = pad(b, s, 2)
	b = append(b, ' ')
	if off < 0 {
		b = append(b, '-')
		off = -off
	} else {
		b = append(b, '+')
	}
	b = pad(b, off/3600, 2)
	return pad(b, off%3600/60, 2)
}

func pad(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func (g *gen) record(typ, source, device, unit, value string, start, end time.Time, nested string) {
	g.b = append(g.b, ` <Record type="`...)
	g.b = append(g.b, typ...)
	g.b = append(g.b, `" sourceName="`...)
	g.b = append(g.b, source...)
	g.b = append(g.b, `" sourceVersion="9.1"`...)
	if device != "" {
		g.b = append(g.b, ` device="`...)
		g.b = append(g.b, device...)
		g.b = append(g.b, '"')
	}
	if unit != "" {
		g.b = append(g.b, ` unit="`...)
		g.b = append(g.b, unit...)
		g.b = append(g.b, '"')
	}
	g.b = append(g.b, ` creationDate="`...)
	g.b = appendTime(g.b, end.Add(3*time.Minute))
	g.b = append(g.b, `" startDate="`...)
	g.b = appendTime(g.b, start)
	g.b = append(g.b, `" endDate="`...)
	g.b = appendTime(g.b, end)
	g.b = append(g.b, `" value="`...)
	g.b = append(g.b, value...)
	if nested == "" {
		g.b = append(g.b, "\"/>\n"...)
	} else {
		g.b = append(g.b, "\">\n"...)
		g.b = append(g.b, nested...)
		g.b = append(g.b, " </Record>\n"...)
	}
	g.st.Records++
	g.flush()
}

// filler writes one non-sleep record at a random time of day.
func (g *gen) filler(day time.Time) {
	start := day.Add(time.Duration(g.rng.IntN(86400)) * time.Second)
	switch k := g.rng.IntN(20); {
	case k < 8:
		nested := ""
		if k == 0 {
			nested = "  <MetadataEntry key=\"HKMetadataKeyHeartRateMotionContext\" value=\"0\"/>\n"
		}
		g.record("HKQuantityTypeIdentifierHeartRate", watchSource, watchDevice, "count/min",
			strconv.Itoa(50+g.rng.IntN(90)), start, start, nested)
	case k < 12:
		g.record("HKQuantityTypeIdentifierStepCount", "Jan’s iPhone", phoneDevice, "count",
			strconv.Itoa(1+g.rng.IntN(900)), start, start.Add(time.Duration(60+g.rng.IntN(500))*time.Second), "")
	case k < 15:
		g.record("HKQuantityTypeIdentifierActiveEnergyBurned", watchSource, watchDevice, "kcal",
			strconv.FormatFloat(g.rng.Float64()*3, 'f', 3, 64), start, start.Add(time.Minute), "")
	case k < 17:
		g.record("HKQuantityTypeIdentifierBasalEnergyBurned", watchSource, watchDevice, "kcal",
			strconv.FormatFloat(g.rng.Float64()*2, 'f', 3, 64), start, start.Add(time.Minute), "")
	case k < 19:
		g.record("HKQuantityTypeIdentifierDistanceWalkingRunning", "Jan’s iPhone", phoneDevice, "km",
			strconv.FormatFloat(g.rng.Float64()*0.4, 'f', 5, 64), start, start.Add(2*time.Minute), "")
	default:
		g.record("HKQuantityTypeIdentifierHeartRateVariabilitySDNN", watchSource, watchDevice, "ms",
			strconv.FormatFloat(20+g.rng.Float64()*60, 'f', 4, 64), start, start.Add(time.Minute),
			"  <HeartRateVariabilityMetadataList>\n"+
				"   <InstantaneousBeatsPerMinute bpm=\"61\" time=\"7:36:41.51 AM\"/>\n"+
				"   <InstantaneousBeatsPerMinute bpm=\"63\" time=\"7:36:42.45 AM\"/>\n"+
				"  </HeartRateVariabilityMetadataList>\n")
	}
}

func (g *gen) correlationMaybe(day time.Time) {
	if g.rng.IntN(7) != 0 {
		return
	}
	t := day.Add(8 * time.Hour)
	g.b = append(g.b, ` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Omron &amp; Health" sourceVersion="2" creationDate="`...)
	g.b = appendTime(g.b, t)
	g.b = append(g.b, `" startDate="`...)
	g.b = appendTime(g.b, t)
	g.b = append(g.b, `" endDate="`...)
	g.b = appendTime(g.b, t)
	g.b = append(g.b, "\">\n  <MetadataEntry key=\"HKWasUserEntered\" value=\"1\"/>\n"...)
	for _, typ := range []string{"HKQuantityTypeIdentifierBloodPressureDiastolic", "HKQuantityTypeIdentifierBloodPressureSystolic"} {
		g.b = append(g.b, `  <Record type="`...)
		g.b = append(g.b, typ...)
		g.b = append(g.b, `" sourceName="Omron &amp; Health" unit="mmHg" startDate="`...)
		g.b = appendTime(g.b, t)
		g.b = append(g.b, `" endDate="`...)
		g.b = appendTime(g.b, t)
		g.b = append(g.b, "\" value=\"80\"/>\n"...)
		g.st.Records++
	}
	g.b = append(g.b, " </Correlation>\n"...)
	g.flush()
}

func (g *gen) workoutMaybe(day time.Time) {
	if g.rng.IntN(3) != 0 {
		return
	}
	t := day.Add(18 * time.Hour)
	e := t.Add(42 * time.Minute)
	g.b = append(g.b, ` <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="42" durationUnit="min" sourceName="`...)
	g.b = append(g.b, watchSource...)
	g.b = append(g.b, `" sourceVersion="9.1" device="`...)
	g.b = append(g.b, watchDevice...)
	g.b = append(g.b, `" creationDate="`...)
	g.b = appendTime(g.b, e)
	g.b = append(g.b, `" startDate="`...)
	g.b = appendTime(g.b, t)
	g.b = append(g.b, `" endDate="`...)
	g.b = appendTime(g.b, e)
	g.b = append(g.b, "\">\n  <MetadataEntry key=\"HKIndoorWorkout\" value=\"0\"/>\n  <WorkoutEvent type=\"HKWorkoutEventTypeSegment\" date=\""...)
	g.b = appendTime(g.b, t)
	g.b = append(g.b, "\" duration=\"10\" durationUnit=\"min\"/>\n  <WorkoutStatistics type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\""...)
	g.b = appendTime(g.b, t)
	g.b = append(g.b, `" endDate="`...)
	g.b = appendTime(g.b, e)
	g.b = append(g.b, "\" average=\"151\" minimum=\"98\" maximum=\"172\" unit=\"count/min\"/>\n  <WorkoutRoute sourceName=\""...)
	g.b = append(g.b, watchSource...)
	g.b = append(g.b, "\" sourceVersion=\"9.1\">\n   <FileReference path=\"/workout-routes/route_"...)
	g.b = append(g.b, t.Format("2006-01-02_15-04-05")...)
	g.b = append(g.b, ".gpx\"/>\n  </WorkoutRoute>\n </Workout>\n"...)
	g.flush()
}

func (g *gen) activitySummary(day time.Time) {
	g.b = append(g.b, ` <ActivitySummary dateComponents="`...)
	g.b = append(g.b, day.Format("2006-01-02")...)
	g.b = append(g.b, `" activeEnergyBurned="`...)
	g.b = strconv.AppendInt(g.b, int64(200+g.rng.IntN(500)), 10)
	g.b = append(g.b, "\" activeEnergyBurnedGoal=\"450\" activeEnergyBurnedUnit=\"kcal\" appleExerciseTime=\"31\" appleExerciseTimeGoal=\"30\" appleStandHours=\"11\" appleStandHoursGoal=\"12\"/>\n"...)
	g.flush()
}

// sleepNight writes the night that ends on the morning of day: the watch's
// stages, the sleep app's in-bed and asleep samples, or both.
func (g *gen) sleepNight(day time.Time) {
	// 1 in 20 nights unrecorded, 3 the sleep app's only, 4 the watch's only,
	// the rest recorded by both.
	r := g.rng.IntN(20)
	watch, app := r >= 4, r >= 1 && (r <= 3 || r >= 8)
	switch {
	case watch && app:
		g.st.Both++
	case watch:
		g.st.WatchOnly++
	case app:
		g.st.AppOnly++
	default:
		return
	}
	// Onset between 22:00 and 00:59 the evening before, 6–8.5 h asleep.
	onset := day.Add(-2*time.Hour + time.Duration(g.rng.IntN(180*60))*time.Second)
	wake := onset.Add(time.Duration(360*60+g.rng.IntN(150*60)) * time.Second)
	const sleepType = "HKCategoryTypeIdentifierSleepAnalysis"
	if app {
		inBed := onset.Add(-time.Duration(5+g.rng.IntN(30)) * time.Minute)
		g.record(sleepType, appSource, "", "", "HKCategoryValueSleepAnalysisInBed", inBed, wake.Add(10*time.Minute), "")
		mid := onset.Add(wake.Sub(onset) / 2)
		g.record(sleepType, appSource, "", "", "HKCategoryValueSleepAnalysisAsleepUnspecified", onset, mid, "")
		g.record(sleepType, appSource, "", "", "HKCategoryValueSleepAnalysisAsleepUnspecified", mid.Add(7*time.Minute), wake, "")
		g.st.SleepSamples += 3
	}
	if watch {
		// Stages: cycles of core, deep, core, REM with a short awake now and then.
		t := onset.Add(time.Duration(g.rng.IntN(300)) * time.Second)
		end := wake.Add(-time.Duration(g.rng.IntN(300)) * time.Second)
		stages := []string{"AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM"}
		for i := 0; t.Before(end); i++ {
			d := time.Duration(10+g.rng.IntN(40)) * time.Minute
			next := t.Add(d)
			if next.After(end) {
				next = end
			}
			v := stages[i%len(stages)]
			if i%7 == 6 {
				v = "Awake"
			}
			g.record(sleepType, watchSource, watchDevice, "", "HKCategoryValueSleepAnalysis"+v, t, next,
				"  <MetadataEntry key=\"HKTimeZone\" value=\""+g.loc.String()+"\"/>\n")
			g.st.SleepSamples++
			t = next
		}
	}
}

// String summarises the stats for the command's output.
func (s Stats) String() string {
	return fmt.Sprintf("%d bytes, %d records, %d sleep samples, %d nights (%d watch only, %d app only, %d both)",
		s.Bytes, s.Records, s.SleepSamples, s.Nights(), s.WatchOnly, s.AppOnly, s.Both)
}
