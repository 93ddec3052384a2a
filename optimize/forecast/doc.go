// Package forecast predicts weekly demand of one product at one site from
// its sales history, choosing the method per series, and reports an honest
// backtest error for every forecast.
//
// # Choice of method
//
// A series is first classified after Syntetos, Boylan and Croston (2005)
// by its average inter-demand interval ADI (weeks per week with a sale) and
// the squared coefficient of variation CV² of its non-zero sales:
//
//   - no sale at all: Zero (forecast 0);
//   - ADI > 1.32 ("intermittent" when CV² <= 0.49, "lumpy" otherwise): SBA,
//     the Syntetos–Boylan approximation, which corrects Croston's bias and
//     is the method that classification recommends for both; Croston itself
//     is available through Options.Method;
//   - otherwise ("smooth" or "erratic"): exponential smoothing. Candidates
//     are simple exponential smoothing (SES, 2+ weeks), Holt's linear trend
//     (4+ weeks) and additive Holt–Winters with trend and a season of
//     Options.SeasonWeeks weeks (52 by default; it needs at least two full
//     seasons). Each candidate's smoothing parameters are fitted on a small
//     grid by least squares of its in-sample one-step errors; the candidate
//     kept is the one with the least n·ln(SSE/n) + 2k over a common window
//     of weeks that no candidate used for its initial state (k = number of
//     smoothing parameters; the window starts after the first season when
//     Holt–Winters is a candidate, at week 2 otherwise).
//   - a single week of history: Naive (repeat it).
//
// Forecasts are clipped at 0 units.
//
// # Backtest error (MASE)
//
// Every forecast carries the mean absolute scaled error of a rolling-origin
// backtest. The last H weeks of the history, H = min(13, ⌊n/4⌋), are held
// out; the chosen method is refitted on the first n−H weeks (the training
// part); then for each origin t = n−H, …, n−1 the model, its states updated
// with the actual sales up to week t−1 and its parameters kept, forecasts
// week t one step ahead. With e_t the errors and y the training part,
//
//	MASE = mean_t |e_t| / Q,  Q = 1/(n−H−1) · Σ_{i=1}^{n−H−1} |y_i − y_{i−1}|,
//
// Q being the in-sample mean absolute error of the naive one-step forecast
// (Hyndman and Koehler 2006). Zero denominators: when Q = 0 (a constant
// training part) MASE is 0 if every error is 0; otherwise Q is replaced by
// the mean |y| of the training part, and by 1 unit if that is also 0
// (Result.Scale says which). Histories shorter than 4 weeks are not
// backtested (Result.Backtested is false, MASE 0). The method is chosen on
// the whole history before the backtest, which makes MASE slightly
// optimistic; the parameters are not.
package forecast
