package forecast

// Series is a named weekly demand history, in units, oldest week first.
// Kind is an optional label (a synthetic kind, a product family) by which
// evaluations group their figures.
type Series struct {
	ID     string    `json:"id"`
	Kind   string    `json:"kind,omitempty"`
	Weekly []float64 `json:"weekly"`
}
