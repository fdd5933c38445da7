package sleep

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
