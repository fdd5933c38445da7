package trends

// Status says whether a recommendation is offered to the user.
type Status string

// The two recommendation statuses.
const (
	StatusRecommended Status = "recommended"
	StatusSuppressed  Status = "suppressed"
)

// Confidence grades a recommendation or a friction proposal.
type Confidence string

// The three confidence levels.
const (
	ConfidenceHigh   Confidence = "high"
	ConfidenceMedium Confidence = "medium"
	ConfidenceLow    Confidence = "low"
)

// Action keys of the five recommendations, in their fixed order (SPEC
// §7.5.6). The UI keys its insight cards on them.
const (
	ActionPersonalDurationWarningTuning    = "personal_duration_warning_tuning"
	ActionDayTypeDefaultPrefill            = "day_type_default_prefill"
	ActionSocialJetlagScheduleShiftInsight = "social_jetlag_schedule_shift_insight"
	ActionRegularityInsightPriority        = "regularity_insight_priority"
	ActionQualityAlignedFactorExplanation  = "quality_aligned_factor_explanation"
)

// Recommendation is one element of the personalization recommendations
// (SPEC §7.5.6). SuppressionReasons is [] when Status is recommended and
// otherwise names every unmet condition, in the documented order.
type Recommendation struct {
	ActionKey          string     `json:"action_key"`
	Status             Status     `json:"status"`
	Confidence         Confidence `json:"confidence"`
	Rationale          string     `json:"rationale"`
	SuppressionReasons []string   `json:"suppression_reasons"`
}

// suppressionCheck is a reason and whether its condition holds.
type suppressionCheck struct {
	reason string
	holds  bool
}

// recommend derives the five recommendations from the metrics, always in
// the same order.
func recommend(m Metrics) []Recommendation {
	return []Recommendation{
		recommendDurationWarningTuning(m.DurationBaseline),
		recommendDayTypeDefaultPrefill(m.DayTypeTimingBaseline),
		recommendSocialJetlagInsight(m.SocialJetlag),
		recommendRegularityInsight(m.ScheduleVariability),
		recommendQualityFactorExplanation(m.QualityFactorRanking),
	}
}

// decide builds a recommendation: recommended with no reasons, or suppressed
// with every check that holds.
func decide(actionKey, rationale string, recommended bool, confidence Confidence, checks []suppressionCheck) Recommendation {
	rec := Recommendation{
		ActionKey:          actionKey,
		Status:             StatusRecommended,
		Confidence:         confidence,
		Rationale:          rationale,
		SuppressionReasons: []string{},
	}
	if recommended {
		return rec
	}
	rec.Status = StatusSuppressed
	for _, c := range checks {
		if c.holds {
			rec.SuppressionReasons = append(rec.SuppressionReasons, c.reason)
		}
	}
	return rec
}

// confidenceIf is level when cond holds, else low.
func confidenceIf(cond bool, level Confidence) Confidence {
	if cond {
		return level
	}
	return ConfidenceLow
}

// recommendDurationWarningTuning is recommendation 1. Its third reason always
// holds: the product cannot tell travel or shift work from a real change, so
// a suppressed recommendation always says so.
func recommendDurationWarningTuning(d DurationBaseline) Recommendation {
	recommended := d.Eligible && d.triggered()
	return decide(ActionPersonalDurationWarningTuning,
		"Replace static unusual-duration warning with personal duration tails",
		recommended, confidenceIf(recommended, ConfidenceMedium),
		[]suppressionCheck{
			{"needs at least 60 baseline sessions in prior window", !d.Eligible},
			{"recent out-of-range incidence is below 5% trigger", !d.triggered()},
			{"schedule disruption guardrail unavailable from current data (travel/shift period not inferred)", true},
		})
}

// recommendDayTypeDefaultPrefill is recommendation 2; an eligible baseline
// keeps medium confidence even when a recent divergence suppresses it.
func recommendDayTypeDefaultPrefill(d DayTypeTimingBaseline) Recommendation {
	return decide(ActionDayTypeDefaultPrefill,
		"Offer weekday/weekend usual-time defaults when day-type baselines are stable",
		d.Eligible && !d.Recent14DayDivergesFromBaseline, confidenceIf(d.Eligible, ConfidenceMedium),
		[]suppressionCheck{
			{"requires >=8 weekday and >=4 weekend sessions in current window",
				d.WeekdaySampleDays < dayTypeMinWeekdays || d.WeekendSampleDays < dayTypeMinWeekends},
			{"day-type midpoint medians are not stable across adjacent windows", !d.MidpointStableAcrossWindows},
			{"recent 14-day pattern strongly diverges from baseline", d.Recent14DayDivergesFromBaseline},
		})
}

// recommendSocialJetlagInsight is recommendation 3.
func recommendSocialJetlagInsight(s SocialJetlag) Recommendation {
	recommended := s.Eligible && s.SustainedTwoWindows
	return decide(ActionSocialJetlagScheduleShiftInsight,
		"Show weekend-vs-weekday midpoint shift insight when phase shift persists",
		recommended, confidenceIf(recommended, ConfidenceHigh),
		[]suppressionCheck{
			{"weekend sample too small (<4 sessions)", s.WeekendSampleDays < socialJetlagMinWeekends},
			{"prior window weekend sample too small (<4 sessions)", s.priorWeekendSampleDays < socialJetlagMinWeekends},
			{"social jetlag delta is not >=30 min for two consecutive windows", !s.SustainedTwoWindows},
		})
}

// recommendRegularityInsight is recommendation 4; persistent high
// variability keeps medium confidence even when data gaps suppress it.
func recommendRegularityInsight(v ScheduleVariability) Recommendation {
	persistent := v.Eligible && v.SustainedTwoWindows
	return decide(ActionRegularityInsightPriority,
		"Prioritize regularity insight when timing dispersion is persistently high",
		persistent && !v.HighDataGap, confidenceIf(persistent, ConfidenceMedium),
		[]suppressionCheck{
			{"schedule variability is not >=60 minutes across two windows", !v.SustainedTwoWindows},
			{"data gaps exceed 30% of current window", v.HighDataGap},
		})
}

// recommendQualityFactorExplanation is recommendation 5.
func recommendQualityFactorExplanation(q QualityFactorRanking) Recommendation {
	return decide(ActionQualityAlignedFactorExplanation,
		"Surface top associated factors for higher-quality nights using directional language",
		q.Eligible, confidenceIf(q.Eligible, ConfidenceMedium),
		[]suppressionCheck{
			{"requires at least 40 sessions with quality", q.SessionsWithQuality < qualityMinSessions},
			{"requires at least 3 distinct quality values", q.DistinctQualityValues < qualityMinDistinctValues},
			{"factor effects are not stable across adjacent windows", !q.StableAcrossAdjacentWindows},
		})
}
