package trends

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Friction thresholds of SPEC §7.6.
const (
	frictionMinimumSubmits       = 30 // current submits for a usable sample
	frictionHighMinOccurrences   = 12 // per window, for high confidence
	frictionMediumMinOccurrences = 4  // per window, for medium confidence
	millisecondsPerMinute        = 60000.0
	retryMinutesWeight           = 0.75
	followUpFailureMinutesWeight = 1.5
	frictionActionKeyPrefix      = "friction_reduction_"
	frictionRollbackCondition    = "Downgrade if pattern no longer persists for two windows or confidence falls below medium"
)

// FrictionEvent is one stored friction telemetry event (SPEC §5.21): one
// submission of a data-entry form.
type FrictionEvent struct {
	RecordedAt      time.Time // UTC, to the second
	FormTimeMs      int64
	RetryCount      int64
	ErrorKind       string // normalised kind; "" means none (null)
	ImmediateEdit   bool
	FollowUpFailure bool
}

// Backlog is the body of GET /api/personalization/friction-backlog (SPEC
// §7.6): one ranked proposal per error kind seen in the current window.
type Backlog struct {
	AsOf             string       `json:"as_of"`
	WindowDays       int          `json:"window_days"`
	MinimumSampleMet bool         `json:"minimum_sample_met"`
	CurrentWindow    SubmitWindow `json:"current_window"`
	PriorWindow      SubmitWindow `json:"prior_window"`
	Proposals        []Proposal   `json:"proposals"`
}

// SubmitWindow is a friction window with the number of form submissions
// recorded in it, with or without an error.
type SubmitWindow struct {
	DateRange
	SubmitCount int `json:"submit_count"`
}

// Proposal suggests reducing one recurring kind of friction, ranked by the
// minutes per week it would save.
type Proposal struct {
	Rank                         int              `json:"rank"`
	ActionKey                    string           `json:"action_key"`
	ObservedEvidence             FrictionEvidence `json:"observed_evidence"`
	ExpectedBenefit              string           `json:"expected_benefit"`
	EstimatedMinutesSavedPerWeek float64          `json:"estimated_minutes_saved_per_week"`
	Confidence                   Confidence       `json:"confidence"`
	PersistenceTwoWindows        bool             `json:"persistence_two_windows"`
	RollbackCondition            string           `json:"rollback_condition"`
	AutoPromoted                 bool             `json:"auto_promoted"`
}

// FrictionEvidence compares one error kind across the two windows. The
// submit counts are window totals, not per-kind counts; prior values are 0
// when the kind did not occur in the prior window.
type FrictionEvidence struct {
	CurrentOccurrences         int     `json:"current_occurrences"`
	PriorOccurrences           int     `json:"prior_occurrences"`
	CurrentSubmitCount         int     `json:"current_submit_count"`
	PriorSubmitCount           int     `json:"prior_submit_count"`
	CurrentAvgFormTimeMs       float64 `json:"current_avg_form_time_ms"`
	PriorAvgFormTimeMs         float64 `json:"prior_avg_form_time_ms"`
	CurrentRetryAvg            float64 `json:"current_retry_avg"`
	PriorRetryAvg              float64 `json:"prior_retry_avg"`
	CurrentFollowUpFailureRate float64 `json:"current_follow_up_failure_rate"`
	PriorFollowUpFailureRate   float64 `json:"prior_follow_up_failure_rate"`
}

// FrictionBacklog ranks the recurring friction of the current window against
// the prior one (SPEC §7.6). events are those recorded in [w.PriorFrom
// 00:00:00, w.AsOf 23:59:59] UTC, in any order; others are ignored.
func FrictionBacklog(events []FrictionEvent, w Windows) Backlog {
	current, prior := tallyFriction(events, w)
	sampleMet := current.submits >= frictionMinimumSubmits
	proposals := make([]Proposal, 0, len(current.kinds))
	for _, kind := range current.kindsByWeight() {
		proposals = append(proposals, newProposal(kind, prior.kind(kind.name), current, prior, sampleMet, w.Days))
	}
	slices.SortStableFunc(proposals, func(a, b Proposal) int {
		return cmp.Compare(b.EstimatedMinutesSavedPerWeek, a.EstimatedMinutesSavedPerWeek)
	})
	for i := range proposals {
		proposals[i].Rank = i + 1
	}
	return Backlog{
		AsOf:             formatDate(w.AsOf),
		WindowDays:       w.Days,
		MinimumSampleMet: sampleMet,
		CurrentWindow:    SubmitWindow{DateRange: w.currentRange(), SubmitCount: current.submits},
		PriorWindow:      SubmitWindow{DateRange: w.priorRange(), SubmitCount: prior.submits},
		Proposals:        proposals,
	}
}

// kindTally accumulates the events of one error kind in one window.
type kindTally struct {
	name             string
	occurrences      int
	retriesTotal     int64
	formTimeTotal    int64
	followUpFailures int
}

// avgFormTimeMs is the mean form time; 0 for a kind absent from the window.
func (k kindTally) avgFormTimeMs() float64 { return k.perOccurrence(float64(k.formTimeTotal)) }

// retryAvg is retries per occurrence; 0 when absent.
func (k kindTally) retryAvg() float64 { return k.perOccurrence(float64(k.retriesTotal)) }

// followUpFailureRate is follow-up failures per occurrence; 0 when absent.
func (k kindTally) followUpFailureRate() float64 {
	return k.perOccurrence(float64(k.followUpFailures))
}

// perOccurrence divides a total by the occurrences, treating an absent kind
// as all zeros (SPEC: prior values default to 0).
func (k kindTally) perOccurrence(total float64) float64 {
	if k.occurrences == 0 {
		return 0
	}
	return total / float64(k.occurrences)
}

// frictionWindow is everything counted in one window.
type frictionWindow struct {
	submits int
	kinds   map[string]*kindTally
}

// kind returns the tally of a kind, or an empty one when it did not occur.
func (fw frictionWindow) kind(name string) kindTally {
	if k, ok := fw.kinds[name]; ok {
		return *k
	}
	return kindTally{name: name}
}

// add counts one event.
func (fw *frictionWindow) add(e FrictionEvent) {
	fw.submits++
	if e.ErrorKind == "" {
		return
	}
	k, ok := fw.kinds[e.ErrorKind]
	if !ok {
		k = &kindTally{name: e.ErrorKind}
		fw.kinds[e.ErrorKind] = k
	}
	k.occurrences++
	k.retriesTotal += e.RetryCount
	k.formTimeTotal += e.FormTimeMs
	if e.FollowUpFailure {
		k.followUpFailures++
	}
}

// kindsByWeight lists the window's kinds by occurrences, retries and average
// form time (all descending), then by name, so equal weights still come out
// in one reproducible order.
func (fw frictionWindow) kindsByWeight() []kindTally {
	kinds := make([]kindTally, 0, len(fw.kinds))
	for _, k := range fw.kinds {
		kinds = append(kinds, *k)
	}
	slices.SortFunc(kinds, func(a, b kindTally) int {
		return cmp.Or(
			cmp.Compare(b.occurrences, a.occurrences),
			cmp.Compare(b.retriesTotal, a.retriesTotal),
			cmp.Compare(b.avgFormTimeMs(), a.avgFormTimeMs()),
			strings.Compare(a.name, b.name),
		)
	})
	return kinds
}

// tallyFriction assigns each event to a window by its UTC second.
func tallyFriction(events []FrictionEvent, w Windows) (current, prior frictionWindow) {
	current.kinds, prior.kinds = map[string]*kindTally{}, map[string]*kindTally{}
	for _, e := range events {
		switch at := e.RecordedAt.Unix(); {
		case secondInDates(at, w.CurrentFrom, w.AsOf):
			current.add(e)
		case secondInDates(at, w.PriorFrom, w.PriorTo):
			prior.add(e)
		}
	}
	return current, prior
}

// secondInDates reports whether a Unix second lies in [from 00:00:00,
// to 23:59:59] UTC.
func secondInDates(at int64, from, to time.Time) bool {
	const lastSecondOfDay = 86399
	return at >= from.Unix() && at <= to.Unix()+lastSecondOfDay
}

// newProposal builds the proposal for one current kind.
func newProposal(cur, prior kindTally, current, priorWindow frictionWindow, sampleMet bool, windowDays int) Proposal {
	persistent := cur.occurrences > 0 && prior.occurrences > 0
	confidence := frictionConfidence(sampleMet, persistent, cur.occurrences, prior.occurrences)
	return Proposal{
		ActionKey: frictionActionKeyPrefix + strings.ReplaceAll(cur.name, " ", "_"),
		ObservedEvidence: FrictionEvidence{
			CurrentOccurrences:         cur.occurrences,
			PriorOccurrences:           prior.occurrences,
			CurrentSubmitCount:         current.submits,
			PriorSubmitCount:           priorWindow.submits,
			CurrentAvgFormTimeMs:       cur.avgFormTimeMs(),
			PriorAvgFormTimeMs:         prior.avgFormTimeMs(),
			CurrentRetryAvg:            cur.retryAvg(),
			PriorRetryAvg:              prior.retryAvg(),
			CurrentFollowUpFailureRate: cur.followUpFailureRate(),
			PriorFollowUpFailureRate:   prior.followUpFailureRate(),
		},
		ExpectedBenefit:              expectedBenefit(cur.name),
		EstimatedMinutesSavedPerWeek: minutesSavedPerWeek(cur, prior, windowDays),
		Confidence:                   confidence,
		PersistenceTwoWindows:        persistent,
		RollbackCondition:            frictionRollbackCondition,
		AutoPromoted:                 (confidence == ConfidenceHigh || confidence == ConfidenceMedium) && persistent,
	}
}

// expectedBenefit is the fixed benefit sentence naming the kind.
func expectedBenefit(kind string) string {
	return "Reduce repeated '" + kind + "' friction by lowering retries and form time variance"
}

// minutesSavedPerWeek estimates what removing the kind's extra cost over the
// prior window would save: the weekly event rate times the extra form
// minutes, retries (0.75 min each) and follow-up failures (1.5 min each),
// evaluated in exactly the order SPEC §7.6 writes it.
func minutesSavedPerWeek(cur, prior kindTally, windowDays int) float64 {
	formMinutes := max(cur.avgFormTimeMs()-prior.avgFormTimeMs(), 0) / millisecondsPerMinute
	retries := max(cur.retryAvg()-prior.retryAvg(), 0)
	failures := max(cur.followUpFailureRate()-prior.followUpFailureRate(), 0)
	eventsPerWeek := float64(cur.occurrences) * 7 / float64(windowDays)
	// float64(...) keeps each product from being fused into the sum.
	perEvent := (formMinutes + float64(retries*retryMinutesWeight)) + float64(failures*followUpFailureMinutesWeight)
	return max(float64(eventsPerWeek*perEvent), 0)
}

// frictionConfidence grades a proposal: both windows need enough
// occurrences, the current window enough submissions overall.
func frictionConfidence(sampleMet, persistent bool, cur, prior int) Confidence {
	switch {
	case sampleMet && persistent && cur >= frictionHighMinOccurrences && prior >= frictionHighMinOccurrences:
		return ConfidenceHigh
	case sampleMet && persistent && cur >= frictionMediumMinOccurrences && prior >= frictionMediumMinOccurrences:
		return ConfidenceMedium
	default:
		return ConfidenceLow
	}
}
