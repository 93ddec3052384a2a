// Package synth generates synthetic weekly demand of documented kinds, to
// evaluate forecasting methods where the truth is known (see Kinds). The
// series are counts (whole units), reproducible from a seed.
package synth
