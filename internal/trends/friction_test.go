package trends

import (
	"slices"
	"testing"
	"time"
)

// frictionAt is one event recorded at an RFC 3339 instant.
func frictionAt(t *testing.T, at, kind string, formMs, retries int64, followUpFailure bool) FrictionEvent {
	t.Helper()
	recorded, err := time.Parse(time.RFC3339, at)
	if err != nil {
		t.Fatalf("bad instant %q: %v", at, err)
	}
	return FrictionEvent{RecordedAt: recorded, ErrorKind: kind, FormTimeMs: formMs, RetryCount: retries, FollowUpFailure: followUpFailure}
}

// repeatFriction makes n events of one kind on a date; the first failures of
// them have a follow-up failure.
func repeatFriction(t *testing.T, date, kind string, n int, formMs, retries int64, failures int) []FrictionEvent {
	t.Helper()
	events := make([]FrictionEvent, n)
	for i := range events {
		events[i] = frictionAt(t, date+"T08:00:00Z", kind, formMs, retries, i < failures)
	}
	return events
}

// frictionWindows: 7-day windows ending 2025-06-28 (current 06-22…06-28,
// prior 06-15…06-21).
func frictionWindows(t *testing.T) Windows { return NewWindows(day(t, "2025-06-28"), 7) }

// confidenceEvents is the main backlog scenario:
//
//	kind           current                            prior
//	save failed    12 × 30 s, 2 retries, 6 failures   12 × 18 s, 1 retry, 3 failures
//	network error  4 × 10 s                            4 × 10 s
//	timeout        5 × 20 s, 1 retry                   —
//	legacy         —                                   3 (ignored)
//	no kind        extra current submissions
func confidenceEvents(t *testing.T, unkindedCurrent int) []FrictionEvent {
	var events []FrictionEvent
	add := func(e []FrictionEvent) { events = append(events, e...) }
	add(repeatFriction(t, "2025-06-24", "save failed", 12, 30000, 2, 6))
	add(repeatFriction(t, "2025-06-22", "network error", 4, 10000, 0, 0))
	add(repeatFriction(t, "2025-06-28", "timeout", 5, 20000, 1, 0))
	add(repeatFriction(t, "2025-06-25", "", unkindedCurrent, 5000, 0, 0))
	add(repeatFriction(t, "2025-06-16", "save failed", 12, 18000, 1, 3))
	add(repeatFriction(t, "2025-06-21", "network error", 4, 10000, 0, 0))
	add(repeatFriction(t, "2025-06-15", "legacy", 3, 90000, 9, 3))
	return events
}

func TestFrictionBacklogConfidenceAndRanking(t *testing.T) {
	b := FrictionBacklog(confidenceEvents(t, 9), frictionWindows(t))
	if !b.MinimumSampleMet || b.CurrentWindow.SubmitCount != 30 || b.PriorWindow.SubmitCount != 19 {
		t.Fatalf("backlog header = %+v / %+v, sample met %v", b.CurrentWindow, b.PriorWindow, b.MinimumSampleMet)
	}
	if b.CurrentWindow.DateRange != (DateRange{"2025-06-22", "2025-06-28"}) ||
		b.PriorWindow.DateRange != (DateRange{"2025-06-15", "2025-06-21"}) {
		t.Errorf("windows %+v / %+v", b.CurrentWindow.DateRange, b.PriorWindow.DateRange)
	}
	tests := []struct {
		actionKey  string
		minutes    float64
		confidence Confidence
		persistent bool
		auto       bool
		evidence   FrictionEvidence
	}{
		{
			// 12/week × ((12 s/60 s + 1×0.75) + 0.25×1.5) = 12 × 1.325
			actionKey: "friction_reduction_save_failed", minutes: 15.9,
			confidence: ConfidenceHigh, persistent: true, auto: true,
			evidence: FrictionEvidence{12, 12, 30, 19, 30000, 18000, 2, 1, 0.5, 0.25},
		},
		{
			// 5/week × (20 s/60 s + 1×0.75); the absent prior counts as zeros.
			actionKey: "friction_reduction_timeout", minutes: 5 * (20000.0/60000 + 0.75),
			confidence: ConfidenceLow, persistent: false, auto: false,
			evidence: FrictionEvidence{5, 0, 30, 19, 20000, 0, 1, 0, 0, 0},
		},
		{
			actionKey: "friction_reduction_network_error", minutes: 0,
			confidence: ConfidenceMedium, persistent: true, auto: true,
			evidence: FrictionEvidence{4, 4, 30, 19, 10000, 10000, 0, 0, 0, 0},
		},
	}
	if len(b.Proposals) != len(tests) {
		t.Fatalf("%d proposals, want %d (prior-only kinds are ignored)", len(b.Proposals), len(tests))
	}
	for i, want := range tests {
		got := b.Proposals[i]
		if got.Rank != i+1 || got.ActionKey != want.actionKey || got.Confidence != want.confidence ||
			got.PersistenceTwoWindows != want.persistent || got.AutoPromoted != want.auto {
			t.Errorf("proposal %d = rank %d %s %s persistent %v auto %v, want %s %s %v %v", i, got.Rank,
				got.ActionKey, got.Confidence, got.PersistenceTwoWindows, got.AutoPromoted,
				want.actionKey, want.confidence, want.persistent, want.auto)
		}
		assertNear(t, want.actionKey+" minutes", got.EstimatedMinutesSavedPerWeek, want.minutes)
		assertEvidence(t, want.actionKey, got.ObservedEvidence, want.evidence)
	}
	if b.Proposals[0].ExpectedBenefit != "Reduce repeated 'save failed' friction by lowering retries and form time variance" ||
		b.Proposals[0].RollbackCondition != "Downgrade if pattern no longer persists for two windows or confidence falls below medium" {
		t.Errorf("texts = %q / %q", b.Proposals[0].ExpectedBenefit, b.Proposals[0].RollbackCondition)
	}
}

func assertEvidence(t *testing.T, name string, got, want FrictionEvidence) {
	t.Helper()
	if got.CurrentOccurrences != want.CurrentOccurrences || got.PriorOccurrences != want.PriorOccurrences ||
		got.CurrentSubmitCount != want.CurrentSubmitCount || got.PriorSubmitCount != want.PriorSubmitCount {
		t.Errorf("%s counts = %+v, want %+v", name, got, want)
	}
	assertNear(t, name+" current form", got.CurrentAvgFormTimeMs, want.CurrentAvgFormTimeMs)
	assertNear(t, name+" prior form", got.PriorAvgFormTimeMs, want.PriorAvgFormTimeMs)
	assertNear(t, name+" current retries", got.CurrentRetryAvg, want.CurrentRetryAvg)
	assertNear(t, name+" prior retries", got.PriorRetryAvg, want.PriorRetryAvg)
	assertNear(t, name+" current failures", got.CurrentFollowUpFailureRate, want.CurrentFollowUpFailureRate)
	assertNear(t, name+" prior failures", got.PriorFollowUpFailureRate, want.PriorFollowUpFailureRate)
}

func TestFrictionBacklogBelowMinimumSampleIsLow(t *testing.T) {
	b := FrictionBacklog(confidenceEvents(t, 8), frictionWindows(t)) // 29 submissions
	if b.MinimumSampleMet || b.CurrentWindow.SubmitCount != 29 {
		t.Fatalf("sample met %v with %d submissions", b.MinimumSampleMet, b.CurrentWindow.SubmitCount)
	}
	for _, p := range b.Proposals {
		if p.Confidence != ConfidenceLow || p.AutoPromoted {
			t.Errorf("%s: %s auto %v, want low, not promoted", p.ActionKey, p.Confidence, p.AutoPromoted)
		}
	}
}

func TestFrictionConfidence(t *testing.T) {
	tests := []struct {
		sampleMet, persistent bool
		cur, prior            int
		want                  Confidence
	}{
		{true, true, 12, 12, ConfidenceHigh},
		{true, true, 12, 11, ConfidenceMedium},
		{true, true, 4, 4, ConfidenceMedium},
		{true, true, 4, 3, ConfidenceLow},
		{true, false, 40, 0, ConfidenceLow},
		{false, true, 40, 40, ConfidenceLow},
	}
	for _, tc := range tests {
		if got := frictionConfidence(tc.sampleMet, tc.persistent, tc.cur, tc.prior); got != tc.want {
			t.Errorf("frictionConfidence(%v, %v, %d, %d) = %s, want %s",
				tc.sampleMet, tc.persistent, tc.cur, tc.prior, got, tc.want)
		}
	}
}

func TestFrictionKindOrderBreaksTies(t *testing.T) {
	// Every kind repeats in the prior window with the same numbers, so every
	// proposal saves 0 minutes and the stable sort keeps the kind order:
	// occurrences, retries, average form time (all desc), then name.
	current := [][]FrictionEvent{
		repeatFriction(t, "2025-06-23", "b kind", 3, 1000, 0, 0),
		repeatFriction(t, "2025-06-23", "a kind", 3, 1000, 0, 0),
		repeatFriction(t, "2025-06-23", "c", 3, 1000, 1, 0),
		repeatFriction(t, "2025-06-23", "d", 3, 2000, 0, 0),
		repeatFriction(t, "2025-06-23", "e", 4, 1000, 0, 0),
	}
	var events []FrictionEvent
	for _, group := range current {
		events = append(events, group...)
		for _, e := range group {
			e.RecordedAt = e.RecordedAt.AddDate(0, 0, -7)
			events = append(events, e)
		}
	}
	assertProposalOrder(t, FrictionBacklog(events, frictionWindows(t)),
		"friction_reduction_e", "friction_reduction_c", "friction_reduction_d",
		"friction_reduction_a_kind", "friction_reduction_b_kind")

	// One more slow "b kind" event in the current window gives it positive
	// minutes: it moves to the top; the others keep their order.
	events = append(events, frictionAt(t, "2025-06-24T00:00:00Z", "b kind", 61000, 0, false))
	assertProposalOrder(t, FrictionBacklog(events, frictionWindows(t)),
		"friction_reduction_b_kind", "friction_reduction_e", "friction_reduction_c",
		"friction_reduction_d", "friction_reduction_a_kind")
}

func assertProposalOrder(t *testing.T, b Backlog, want ...string) {
	t.Helper()
	var got []string
	for i, p := range b.Proposals {
		got = append(got, p.ActionKey)
		if p.Rank != i+1 {
			t.Errorf("%s has rank %d at position %d", p.ActionKey, p.Rank, i+1)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
}

func TestFrictionMinutesNeverNegative(t *testing.T) {
	// Better than before on every count: all deltas clamp to 0.
	events := append(repeatFriction(t, "2025-06-23", "slow", 2, 1000, 0, 0),
		repeatFriction(t, "2025-06-16", "slow", 2, 9000, 3, 2)...)
	p := FrictionBacklog(events, frictionWindows(t)).Proposals[0]
	if p.EstimatedMinutesSavedPerWeek != 0 {
		t.Errorf("minutes = %g, want 0", p.EstimatedMinutesSavedPerWeek)
	}
}

func TestFrictionMinutesScaleWithWindow(t *testing.T) {
	// 28-day window: 2 events → 0.5/week; form +60 s → 1 minute each.
	events := repeatFriction(t, "2025-06-20", "slow", 2, 60000, 0, 0)
	b := FrictionBacklog(events, NewWindows(day(t, "2025-06-28"), 28))
	assertNear(t, "minutes", b.Proposals[0].EstimatedMinutesSavedPerWeek, 0.5)
}

func TestFrictionActionKeyReplacesEverySpace(t *testing.T) {
	events := []FrictionEvent{frictionAt(t, "2025-06-23T00:00:00Z", "form  save error ", 0, 0, false)}
	p := FrictionBacklog(events, frictionWindows(t)).Proposals[0]
	if p.ActionKey != "friction_reduction_form__save_error_" {
		t.Errorf("action_key = %q", p.ActionKey)
	}
	if p.ExpectedBenefit != "Reduce repeated 'form  save error ' friction by lowering retries and form time variance" {
		t.Errorf("expected_benefit = %q", p.ExpectedBenefit)
	}
}

func TestFrictionWindowBoundaries(t *testing.T) {
	events := []FrictionEvent{
		frictionAt(t, "2025-06-22T00:00:00Z", "x", 0, 0, false), // current_from: current
		frictionAt(t, "2025-06-28T23:59:59Z", "x", 0, 0, false), // as_of end: current
		frictionAt(t, "2025-06-29T00:00:00Z", "x", 0, 0, false), // after: ignored
		frictionAt(t, "2025-06-21T23:59:59Z", "x", 0, 0, false), // prior_to end: prior
		frictionAt(t, "2025-06-15T00:00:00Z", "", 0, 0, false),  // prior_from: prior, no kind
		frictionAt(t, "2025-06-14T23:59:59Z", "x", 0, 0, false), // before: ignored
		// A non-UTC instant is placed by its UTC time: 2025-06-29 08:00 in
		// Tokyo is 2025-06-28 23:00 UTC.
		{RecordedAt: time.Date(2025, 6, 29, 8, 0, 0, 0, time.FixedZone("JST", 9*3600)), ErrorKind: "x"},
	}
	b := FrictionBacklog(events, frictionWindows(t))
	if b.CurrentWindow.SubmitCount != 3 || b.PriorWindow.SubmitCount != 2 {
		t.Errorf("submit counts %d/%d, want 3/2", b.CurrentWindow.SubmitCount, b.PriorWindow.SubmitCount)
	}
	e := b.Proposals[0].ObservedEvidence
	if e.CurrentOccurrences != 3 || e.PriorOccurrences != 1 {
		t.Errorf("occurrences %d/%d, want 3/1", e.CurrentOccurrences, e.PriorOccurrences)
	}
}

func TestFrictionMinimumSampleCountsEventsWithoutKind(t *testing.T) {
	events := repeatFriction(t, "2025-06-25", "", 30, 100, 0, 0)
	b := FrictionBacklog(events, frictionWindows(t))
	if !b.MinimumSampleMet || len(b.Proposals) != 0 || b.Proposals == nil {
		t.Errorf("sample met %v, proposals %v", b.MinimumSampleMet, b.Proposals)
	}
}
