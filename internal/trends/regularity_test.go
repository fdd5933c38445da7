package trends

import "testing"

// span places a session waking on day wakeDay (days since 1970-01-01) from
// bed to wake clock minutes; bed after wake means the evening before.
func span(wakeDay int64, bedMin, wakeMin, latency int64) AsleepSpan {
	bedDay := wakeDay
	if bedMin > wakeMin {
		bedDay--
	}
	return AsleepSpan{WakeDay: wakeDay, StartMin: bedDay*1440 + bedMin + latency, EndMin: wakeDay*1440 + wakeMin}
}

const day0 = 20000 // an arbitrary date, as days since 1970-01-01

func TestSleepRegularityIndexSpecExamples(t *testing.T) {
	// SPEC §12.5: 7 consecutive nights 23:00 → 07:00 → 6 pairs, SRI 100.0.
	var regular []AsleepSpan
	for d := int64(0); d < 7; d++ {
		regular = append(regular, span(day0+d, 23*60, 7*60, 0))
	}
	assertSRI(t, "regular", SleepRegularityIndex(day0, day0+6, regular), 100, 6)

	// Alternating 23:00 → 07:00 and 01:00 → 09:00: 240 minutes differ per pair.
	var alternating []AsleepSpan
	for d := int64(0); d < 7; d++ {
		if d%2 == 0 {
			alternating = append(alternating, span(day0+d, 23*60, 7*60, 0))
		} else {
			alternating = append(alternating, span(day0+d, 1*60, 9*60, 0))
		}
	}
	assertSRI(t, "alternating", SleepRegularityIndex(day0, day0+6, alternating), 66.7, 6)
}

func TestSleepRegularityIndexGapsAndLatency(t *testing.T) {
	// Nights 0–3 and 5–8 logged, 4 missing: pairs (1..3) and (6..8) = 6.
	var spans []AsleepSpan
	for d := int64(0); d <= 8; d++ {
		if d != 4 {
			spans = append(spans, span(day0+d, 23*60, 7*60, 0))
		}
	}
	assertSRI(t, "gap skips two pairs", SleepRegularityIndex(day0, day0+8, spans), 100, 6)

	// Only 5 nights with one gap: 3 pairs → null with the reason.
	got := SleepRegularityIndex(day0, day0+5, []AsleepSpan{
		span(day0, 23*60, 7*60, 0), span(day0+1, 23*60, 7*60, 0), span(day0+2, 23*60, 7*60, 0),
		span(day0+4, 23*60, 7*60, 0), span(day0+5, 23*60, 7*60, 0),
	})
	if got.SRI != nil || got.Pairs != 3 || got.Reason == nil || *got.Reason != SRIReasonTooFewPairs {
		t.Fatalf("too few pairs: %+v", got)
	}

	// Latency moves sleep onset: 6 nights 23:00 → 07:00, the even ones with a
	// 60-minute latency: each pair differs on 60 minutes → −100 + 200 × 1380/1440.
	var latent []AsleepSpan
	for d := int64(0); d < 7; d++ {
		latent = append(latent, span(day0+d, 23*60, 7*60, 60*(1-d%2)))
	}
	assertSRI(t, "latency", SleepRegularityIndex(day0, day0+6, latent), 91.7, 6)

	// A nap at 14:00–15:00 lies in the next night's window (after noon), so
	// night 4 disagrees with nights 3 and 5 on 60 minutes each.
	withNap := append([]AsleepSpan{}, regular7()...)
	withNap = append(withNap, span(day0+3, 14*60, 15*60, 0)) // 14:00–15:00 on day 3 is night 4
	assertSRI(t, "nap in the next night", SleepRegularityIndex(day0, day0+6, withNap), 100-200*120.0/(1440*6), 6)
}

func regular7() []AsleepSpan {
	var spans []AsleepSpan
	for d := int64(0); d < 7; d++ {
		spans = append(spans, span(day0+d, 23*60, 7*60, 0))
	}
	return spans
}

func TestSleepRegularityIndexRoundsNegativeAwayFromZero(t *testing.T) {
	// Asleep 12:00–00:00 on one night and 00:00–12:00 on the next, alternately:
	// every minute differs → SRI −100.
	var spans []AsleepSpan
	for d := int64(0); d < 7; d++ {
		if d%2 == 0 {
			spans = append(spans, AsleepSpan{WakeDay: day0 + d, StartMin: (day0+d-1)*1440 + 720, EndMin: (day0 + d) * 1440})
		} else {
			spans = append(spans, AsleepSpan{WakeDay: day0 + d, StartMin: (day0 + d) * 1440, EndMin: (day0+d)*1440 + 720})
		}
	}
	assertSRI(t, "anti-regular", SleepRegularityIndex(day0, day0+6, spans), -100, 6)
	if got := roundHalfAwayDiv(-5, 2); got != -3 {
		t.Errorf("roundHalfAwayDiv(-5, 2) = %d, want -3", got)
	}
}

func assertSRI(t *testing.T, name string, got Regularity, want float64, pairs int) {
	t.Helper()
	if got.SRI == nil || got.Pairs != pairs || got.Reason != nil {
		t.Fatalf("%s: %+v, want SRI %v over %d pairs", name, got, want, pairs)
	}
	if diff := *got.SRI - want; diff > 0.051 || diff < -0.051 {
		t.Fatalf("%s: SRI %v, want %v", name, *got.SRI, want)
	}
}
