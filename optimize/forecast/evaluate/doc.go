// Package evaluate scores forecasting methods on many series from one
// forecast origin, as forecasting competitions do: the last H weeks of
// every series are held out, each method (and the automatic choice of
// package forecast) forecasts them from the weeks before, and the errors
// are averaged over the series, by kind. It also reads series from CSV
// files, wide or long (see Read).
package evaluate
