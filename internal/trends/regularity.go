package trends

import "math/bits"

// The Sleep Regularity Index (SPEC §12.5; Phillips et al. 2017): the chance,
// rescaled to −100…100, of being in the same state (asleep or awake) at two
// moments 24 hours apart, over pairs of consecutive logged nights.

// SRIMinPairs is the least number of night pairs an SRI needs.
const SRIMinPairs = 5

// SRIReasonTooFewPairs explains a null SRI.
const SRIReasonTooFewPairs = "at least 5 pairs of consecutive logged nights are needed"

// AsleepSpan is one session's asleep time on the naive local timeline:
// [StartMin, EndMin) in minutes since the naive epoch 1970-01-01T00:00
// (whole minutes, seconds dropped), from bed + latency to wake. WakeDay is
// the wake date as days since 1970-01-01.
type AsleepSpan struct {
	WakeDay          int64
	StartMin, EndMin int64
}

// Regularity is the body of GET /api/trends/regularity, without from and to.
type Regularity struct {
	SRI    *float64 `json:"sri"`
	Pairs  int      `json:"pairs"`
	Reason *string  `json:"reason"`
}

// SleepRegularityIndex computes the SRI of the nights fromDay…toDay (days
// since 1970-01-01, inclusive). Night d is the 1440 minutes from 12:00 on
// d − 1 to 12:00 on d; it is recorded when a span has wake day d. Every pair
// (d − 1, d) with fromDay < d ≤ toDay of recorded nights compares minute t of
// both nights for t = 0…1439. spans may hold sessions outside the range: only
// their minutes inside nights fromDay…toDay count.
func SleepRegularityIndex(fromDay, toDay int64, spans []AsleepSpan) Regularity {
	nights := toDay - fromDay + 1
	if nights <= 0 {
		return tooFewPairs(0)
	}
	// One bitset of 1440 minutes per night, each starting on a word boundary,
	// so a pair's agreements are 1440 − popcount(a XOR b) over 23 words.
	asleep := make([]uint64, nights*nightWords)
	recorded := make([]bool, nights)
	// Minute 0 of night i is 12:00 on fromDay + i − 1.
	origin := (fromDay-1)*minutesPerDayInt + minutesPerDayInt/2
	for _, s := range spans {
		if i := s.WakeDay - fromDay; i >= 0 && i < nights {
			recorded[i] = true
		}
		start, end := max(s.StartMin-origin, 0), min(s.EndMin-origin, nights*minutesPerDayInt)
		for start < end {
			night, minute := start/minutesPerDayInt, start%minutesPerDayInt
			stop := min(end-night*minutesPerDayInt, minutesPerDayInt)
			setBits(asleep[night*nightWords:(night+1)*nightWords], minute, stop)
			start = night*minutesPerDayInt + stop
		}
	}
	pairs, agreements := 0, int64(0)
	for i := int64(1); i < nights; i++ {
		if !recorded[i-1] || !recorded[i] {
			continue
		}
		pairs++
		prev, cur := asleep[(i-1)*nightWords:i*nightWords], asleep[i*nightWords:(i+1)*nightWords]
		differ := 0
		for w := range prev {
			differ += bits.OnesCount64(prev[w] ^ cur[w])
		}
		agreements += minutesPerDayInt - int64(differ)
	}
	if pairs < SRIMinPairs {
		return tooFewPairs(pairs)
	}
	// −100 + 200 × agreements / (1440 × pairs), rounded half away from zero
	// to one decimal, exactly in integers: tenths = round(num / den) with
	// num = 2000 × a − 1000 × den.
	den := minutesPerDayInt * int64(pairs)
	tenths := roundHalfAwayDiv(2000*agreements-1000*den, den)
	sri := float64(tenths) / 10
	return Regularity{SRI: &sri, Pairs: pairs}
}

// nightWords is the number of 64-bit words holding one night's 1440 minutes.
const nightWords = (minutesPerDayInt + 63) / 64

// setBits sets bits [from, to) of the bitset words.
func setBits(words []uint64, from, to int64) {
	for from < to {
		w, b := from/64, from%64
		n := min(64-b, to-from)
		mask := ^uint64(0)
		if n < 64 {
			mask = (uint64(1)<<n - 1) << b
		}
		words[w] |= mask
		from += n
	}
}

const minutesPerDayInt = 1440

func tooFewPairs(pairs int) Regularity {
	reason := SRIReasonTooFewPairs
	return Regularity{Pairs: pairs, Reason: &reason}
}

// roundHalfAwayDiv is num / den rounded half away from zero, for den > 0.
func roundHalfAwayDiv(num, den int64) int64 {
	if num < 0 {
		return -((-2*num + den) / (2 * den))
	}
	return (2*num + den) / (2 * den)
}
