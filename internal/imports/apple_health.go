package imports

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"sleeptracker/internal/sleep"
)

// Apple Health (SPEC §14): export.zip (apple_health_export/export.xml inside)
// or the export.xml itself. A real export is 1–4 GB of <Record> elements, one
// per line, of which the sleep analysis samples are a tiny part; the parser
// reads it as a stream (xmlscan.go) and keeps only those samples, 32 bytes
// each, so memory grows with the years of sleep recorded (about 7 MB for ten
// years from two devices), never with the file.
//
// The samples then become nights, per source, by the rules of §14:
//  1. in start order, a sample joins the current night when it starts at
//     most 60 minutes after the latest end seen in that night;
//  2. asleep time is the union of the asleep samples; under 15 minutes the
//     night is dropped;
//  3. nights of different sources that overlap keep the one with the most
//     asleep minutes (ties: more samples, then the source name in byte
//     order); the others are reported to Sink.Duplicate;
//  4. bed/in-bed/wake/out-of-bed, latency, WASO and awakenings come from the
//     samples and the gaps between them, each clock time in the offset of the
//     sample it comes from; the date is the final wake's.

const (
	appleSleepType = "HKCategoryTypeIdentifierSleepAnalysis"
	appleEntryName = "export.xml"
	// nightJoinSec: rule 1's 60 minutes.
	nightJoinSec = 60 * 60
	// minAsleepSec: rule 2's 15-minute floor.
	minAsleepSec = 15 * 60
	// awakeningSec: a gap of at least 5 minutes is an awakening.
	awakeningSec = 5 * 60
	// maxSleepSamples bounds the kept samples (64 MiB): ninety years of a
	// watch's stages, far beyond any real export, so a file made of nothing
	// but sleep samples cannot take the server's memory.
	maxSleepSamples = 2_000_000
	// maxSourceNameBytes bounds a source's name ("Jan’s Apple Watch").
	maxSourceNameBytes = 1024
)

// sample kinds
const (
	kindInBed uint8 = iota
	kindAsleep
	kindAwake
)

// appleSample is one sleep analysis record, compact.
type appleSample struct {
	start, end       int64 // Unix seconds
	line             uint32
	startOff, endOff int16 // UTC offsets in minutes
	src              uint16
	kind             uint8
}

func detectAppleHealth(in Input, head []byte) bool {
	if isZip(head) {
		a, err := openArchive(in)
		return err == nil && a.find(appleEntryMatch) != nil
	}
	h := string(head)
	return strings.Contains(h, "<HealthData") &&
		(strings.Contains(h, "<?xml") || strings.Contains(h, "<!DOCTYPE HealthData") || strings.HasPrefix(strings.TrimSpace(h), "<HealthData"))
}

// appleEntryMatch finds export.xml (not export_cda.xml) in the zip.
func appleEntryMatch(_, base string) bool { return strings.EqualFold(base, appleEntryName) }

// ParseAppleHealth reads an Apple Health export.zip or export.xml.
func ParseAppleHealth(ctx context.Context, in Input, sink Sink) error {
	head := inputHead(&in, 4)
	if isZip(head) {
		a, err := openArchive(in)
		if err != nil {
			return err
		}
		f := a.find(appleEntryMatch)
		if f == nil {
			return fmt.Errorf("%s: apple_health_export/export.xml %w", a.name, errArchiveNotFound)
		}
		rc, err := a.open(f)
		if err != nil {
			return err
		}
		defer rc.Close()
		return parseAppleXML(ctx, rc, f.Name, sink)
	}
	return parseAppleXML(ctx, in.Reader, uploadName(in, appleEntryName), sink)
}

// appleCollector receives the sleep records from the scanner.
type appleCollector struct {
	name    string
	sink    Sink
	samples []appleSample
	sources map[string]uint16
	names   []string
	lastRaw []byte // the raw sourceName of the previous sample, and its id
	lastSrc uint16
}

func parseAppleXML(ctx context.Context, r io.Reader, name string, sink Sink) error {
	c := &appleCollector{name: name, sink: sink, sources: map[string]uint16{}}
	sc := newXMLScanner(r, name)
	sc.ctx = ctx
	if err := sc.run(c.record); err != nil {
		return err
	}
	c.emit()
	return nil
}

// record handles one <Record> of the sleep type; attrs holds its raw
// attribute values (entities not yet decoded).
func (c *appleCollector) record(line int, attrs *recordAttrs) error {
	where := func() string { return c.name + " line " + strconv.Itoa(line) }
	// Samples come in runs of one source: decode its name once per run.
	src, known := c.lastSrc, c.lastRaw != nil && bytes.Equal(attrs.sourceName, c.lastRaw)
	source := ""
	if !known {
		if len(attrs.sourceName) > maxSourceNameBytes {
			// Names are kept for the whole parse: bound what a file can make us keep.
			c.sink.Invalid(where(), "sourceName is longer than 1024 bytes")
			return nil
		}
		var err error
		if source, err = unescapeAttr(attrs.sourceName); err != nil {
			return fmt.Errorf("%s: sourceName: %w", where(), err)
		}
	}
	value, err := unescapeAttr(attrs.value)
	if err != nil {
		return fmt.Errorf("%s: value: %w", where(), err)
	}
	startRaw, err := unescapeAttr(attrs.startDate)
	if err != nil {
		return fmt.Errorf("%s: startDate: %w", where(), err)
	}
	endRaw, err := unescapeAttr(attrs.endDate)
	if err != nil {
		return fmt.Errorf("%s: endDate: %w", where(), err)
	}
	var kind uint8
	switch {
	case strings.HasSuffix(value, "InBed"):
		kind = kindInBed
	case strings.HasSuffix(value, "Awake"):
		kind = kindAwake
	case strings.HasSuffix(value, "Asleep"), strings.HasSuffix(value, "AsleepUnspecified"),
		strings.HasSuffix(value, "AsleepCore"), strings.HasSuffix(value, "AsleepDeep"),
		strings.HasSuffix(value, "AsleepREM"):
		kind = kindAsleep
	default:
		c.sink.Invalid(where(), fmt.Sprintf("unknown sleep analysis value %q", value))
		return nil
	}
	start, startOff, ok := parseAppleTime(startRaw)
	if !ok {
		c.sink.Invalid(where(), fmt.Sprintf("startDate %q is not a time like 2023-04-04 23:10:00 +0200", startRaw))
		return nil
	}
	end, endOff, ok := parseAppleTime(endRaw)
	if !ok {
		c.sink.Invalid(where(), fmt.Sprintf("endDate %q is not a time like 2023-04-04 23:10:00 +0200", endRaw))
		return nil
	}
	if end < start {
		c.sink.Invalid(where(), "endDate is before startDate")
		return nil
	}
	if !known {
		id, ok := c.sources[source]
		if !ok {
			if len(c.names) > 0xFFFF {
				return fmt.Errorf("%s: more than 65536 sources of sleep data", where())
			}
			id = uint16(len(c.names))
			c.sources[source] = id
			c.names = append(c.names, source)
		}
		src, c.lastSrc = id, id
		c.lastRaw = append(c.lastRaw[:0], attrs.sourceName...)
	}
	if len(c.samples) >= maxSleepSamples {
		return fmt.Errorf("%s: more than %d sleep samples", where(), maxSleepSamples)
	}
	c.samples = append(c.samples, appleSample{
		start: start, end: end, startOff: startOff, endOff: endOff,
		src: src, kind: kind, line: uint32(min(line, 1<<32-1)),
	})
	return nil
}

// parseAppleTime parses "YYYY-MM-DD HH:MM:SS ±HHMM" into Unix seconds and the
// offset in minutes.
func parseAppleTime(v string) (int64, int16, bool) {
	if len(v) != 25 || v[4] != '-' || v[7] != '-' || v[10] != ' ' || v[13] != ':' ||
		v[16] != ':' || v[19] != ' ' || (v[20] != '+' && v[20] != '-') {
		return 0, 0, false
	}
	num := func(s string) int {
		n, ok := smallInt(s, 4)
		if !ok {
			return -1
		}
		return n
	}
	y, mo, d := num(v[0:4]), num(v[5:7]), num(v[8:10])
	h, mi, s := num(v[11:13]), num(v[14:16]), num(v[17:19])
	oh, om := num(v[21:23]), num(v[23:25])
	if y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
		s < 0 || s > 59 || oh < 0 || oh > 18 || om < 0 || om > 59 {
		return 0, 0, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC)
	if t.Day() != d {
		return 0, 0, false // 2023-02-30
	}
	off := oh*60 + om
	if v[20] == '-' {
		off = -off
	}
	return t.Unix() - int64(off)*60, int16(off), true
}

// appleNight is a run of one source's samples (indices [first, last) of the
// sorted samples).
type appleNight struct {
	first, last          int
	src                  uint16
	spanStart, spanEnd   int64
	asleepSec            int64
	onset, wake          int64 // first asleep start, last asleep end
	onsetOff, wakeOff    int16
	line                 uint32
	kept                 bool
	inBedStart, inBedEnd int64
	inBedStartOff        int16
	inBedEndOff          int16
	hasInBed             bool
	wasoSec              int64
	awakenings           int
}

// emit turns the samples into nights and hands them to the sink in time
// order: kept nights as sessions, the others as duplicates.
func (c *appleCollector) emit() {
	s := c.samples
	slices.SortFunc(s, func(a, b appleSample) int {
		if a.src != b.src {
			return int(a.src) - int(b.src)
		}
		if a.start != b.start {
			return cmpInt64(a.start, b.start)
		}
		return cmpInt64(a.end, b.end)
	})
	var nights []appleNight
	for i := 0; i < len(s); {
		j, latest := i+1, s[i].end
		for j < len(s) && s[j].src == s[i].src && s[j].start <= latest+nightJoinSec {
			latest = max(latest, s[j].end)
			j++
		}
		if n, ok := buildNight(s, i, j, latest); ok {
			nights = append(nights, n)
		}
		i = j
	}
	// Rule 3: best night first; a night that overlaps a kept one of another
	// source is a duplicate. Kept nights never overlap each other, so they
	// stay a sorted list of disjoint spans and two neighbours decide.
	order := make([]int, len(nights))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		na, nb := &nights[a], &nights[b]
		if ma, mb := na.asleepSec/60, nb.asleepSec/60; ma != mb {
			return cmpInt64(mb, ma)
		}
		if ca, cb := na.last-na.first, nb.last-nb.first; ca != cb {
			return cb - ca
		}
		if c := strings.Compare(c.names[na.src], c.names[nb.src]); c != 0 {
			return c
		}
		return cmpInt64(na.spanStart, nb.spanStart)
	})
	var kept []*appleNight // sorted by spanStart, disjoint
	for _, idx := range order {
		n := &nights[idx]
		pos, _ := slices.BinarySearchFunc(kept, n.spanStart, func(k *appleNight, t int64) int { return cmpInt64(k.spanStart, t) })
		if pos > 0 && kept[pos-1].spanEnd > n.spanStart {
			continue
		}
		if pos < len(kept) && kept[pos].spanStart < n.spanEnd {
			continue
		}
		n.kept = true
		kept = slices.Insert(kept, pos, n)
	}
	slices.SortFunc(nights, func(a, b appleNight) int {
		if a.spanStart != b.spanStart {
			return cmpInt64(a.spanStart, b.spanStart)
		}
		return int(a.src) - int(b.src)
	})
	for i := range nights {
		n := &nights[i]
		where := c.name + " line " + strconv.FormatUint(uint64(n.line), 10)
		if !n.kept {
			c.sink.Duplicate(where)
			continue
		}
		c.sink.Session(n.record(where))
	}
}

// buildNight computes the night of samples [i, j) (sorted by start); ok is
// false when it has under 15 minutes asleep.
func buildNight(s []appleSample, i, j int, latest int64) (appleNight, bool) {
	n := appleNight{first: i, last: j, src: s[i].src, spanStart: s[i].start, spanEnd: latest, line: s[i].line}
	var curS, curE int64
	started := false
	for k := i; k < j; k++ {
		x := &s[k]
		n.line = min(n.line, x.line)
		switch x.kind {
		case kindInBed:
			if !n.hasInBed || x.start < n.inBedStart {
				n.inBedStart, n.inBedStartOff = x.start, x.startOff
			}
			if !n.hasInBed || x.end > n.inBedEnd {
				n.inBedEnd, n.inBedEndOff = x.end, x.endOff
			}
			n.hasInBed = true
		case kindAsleep:
			if !started {
				started = true
				n.onset, n.onsetOff = x.start, x.startOff
				n.wake, n.wakeOff = x.end, x.endOff
				curS, curE = x.start, x.end
				continue
			}
			if x.end > n.wake {
				n.wake, n.wakeOff = x.end, x.endOff
			}
			if x.start > curE { // a gap inside [onset, final wake]
				n.asleepSec += curE - curS
				gap := x.start - curE
				n.wasoSec += gap
				if gap >= awakeningSec {
					n.awakenings++
				}
				curS, curE = x.start, x.end
			} else if x.end > curE {
				curE = x.end
			}
		}
	}
	if !started {
		return n, false
	}
	n.asleepSec += curE - curS
	return n, n.asleepSec >= minAsleepSec
}

// record maps a kept night to a session record (rule 4).
func (n *appleNight) record(where string) SessionRecord {
	bed, bedOff := n.onset, n.onsetOff
	rec := SessionRecord{Where: where}
	if n.hasInBed {
		if n.inBedStart < bed {
			bed, bedOff = n.inBedStart, n.inBedStartOff
		}
		out, outOff := n.wake, n.wakeOff
		if n.inBedEnd > out {
			out, outOff = n.inBedEnd, n.inBedEndOff
		}
		inBed, outOfBed := offsetClock(bed, bedOff), offsetClock(out, outOff)
		rec.InBed, rec.OutOfBed = &inBed, &outOfBed
		// On whole minutes, like the clock times it is read against.
		rec.LatencyMin = intPtrOf(clampInt(int(floorDiv64(n.onset, 60)-floorDiv64(bed, 60)), 0, maxImportLatencyMin))
	}
	rec.Bed, rec.Wake = offsetClock(bed, bedOff), offsetClock(n.wake, n.wakeOff)
	// The instants are known, so the duration is the time that passed (on
	// whole minutes, like the clock times), not clock arithmetic in a zone.
	rec.DurationMin = intPtrOf(int(floorDiv64(n.wake, 60) - floorDiv64(bed, 60)))
	rec.Date = sleep.DateOf(time.Unix(n.wake+int64(n.wakeOff)*60, 0).UTC())
	rec.WasoMin = intPtrOf(clampInt(int(n.wasoSec/60), 0, maxImportWasoMin))
	rec.Awakenings = intPtrOf(clampInt(n.awakenings, 0, maxImportAwakenings))
	return rec
}

// offsetClock is the wall clock of Unix time t at UTC offset off minutes,
// seconds dropped.
func offsetClock(t int64, off int16) sleep.Clock {
	local := t + int64(off)*60
	sec := local - floorDiv64(local, 86400)*86400
	return sleep.Clock(sec - sec%60)
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
