// Package forecast predicts weekly demand of one product at one site from
// its sales history, choosing the method per series by rolling-origin
// backtest, and gives each forecast an honest test error and the
// distribution of demand over any lead time.
//
// # Methods
//
// Zero (forecast 0), Naive (repeat the last week), SES (simple
// exponential smoothing), Croston, SBA (Croston × (1 − α/2), the
// Syntetos–Boylan approximation), TSB (Teunter–Syntetos–Babai: smoothed
// probability of a sale times smoothed size, which decays to 0 when an
// item stops selling), Holt with a damped trend, and additive Holt–Winters
// with a damped trend and a season of Options.SeasonWeeks weeks (52 by
// default). Forecasts are clipped at 0 units. Each model's state, initial
// state and updates are documented on its type (models.go, trend.go).
//
// # Fitting
//
// The smoothing parameters minimise the sum of squared one-step errors
// over the weeks given, within their whole admissible range: α in
// [0.01, 1], β in [0, 1] (trend) or [0.01, 1] (TSB's probability), γ in
// [0, 1], the damping φ in [0.8, 0.98]. A coarse grid starts the search;
// two rounds of golden-section search along each parameter refine it,
// trying the bounds when the bracket reaches them. Result.OnBound names
// the parameters that end on a bound.
//
// # Choice of method
//
// A series of n weeks is split, from the end, into a test window of
// H = min(13, ⌊n/4⌋) weeks, a validation window before it, and the
// training part before that. The validation window has H weeks, or, when
// the season is 2 weeks or more and the training part can keep a season
// plus a quarter of one, up to a whole season (a 13-week window cannot
// tell a seasonal peak from noise).
//
// Every candidate is fitted on the training part, then run through both
// windows with its parameters kept, its state taking in each week as it
// passes; from every origin it forecasts up to min(Options.HorizonWeeks,
// H) weeks ahead within the origin's window. The candidate with the least
// root mean squared error over both windows is chosen, each error weighed
// by its recency (halved every RecencyHalfLifeWeeks, 13, before the last
// week: an item whose sales die out is judged on its last weeks);
// Result.ValidationRMSE is its plain RMSE. Going through the candidates in order of
// preference, one replaces the choice so far only when its error is
// lower by more than Margin (2%). The order puts the method of the
// series' demand class first:
//
//   - the class after Syntetos, Boylan and Croston (2005), from the
//     average inter-demand interval ADI (weeks per week with a sale) and
//     the squared coefficient of variation CV² of the non-zero weeks:
//     none (no sale), smooth (ADI <= 1.32, CV² <= 0.49), erratic
//     (ADI <= 1.32), intermittent (CV² <= 0.49) and lumpy;
//   - smooth and erratic: SES, Holt, Holt–Winters, TSB, SBA, Croston,
//     Naive, Zero; intermittent and lumpy: SBA, TSB, Croston, SES, Zero,
//     Naive, Holt, Holt–Winters; none: Zero first.
//
// Candidates need enough weeks in the training part: SES 2, Holt 4,
// Holt–Winters a season plus a quarter of one; Croston, SBA and TSB a week
// with a sale and one without (on a series that always sells, Croston and
// TSB are SES). A history shorter than MinChoiceWeeks (16) gets the method
// of its class (Zero, Naive for one week, SBA, else SES) and no
// validation window. Options.Method forces a method.
//
// # Test error (MASE)
//
// The reported error stays out of the choice. The method that the
// validation window alone would choose is refitted on the weeks before
// the test window and run through it, forecasting each week one step
// ahead; with e_t those errors and y the weeks before the test window,
//
//	MASE = mean_t |e_t| / Q,  Q = 1/(m−1) · Σ_{i=1}^{m−1} |y_i − y_{i−1}|,
//
// Q being the in-sample mean absolute error of the naive one-step forecast
// (Hyndman and Koehler 2006). It is the error of the choice procedure, so
// it can belong to another method than Result.Method, which also saw the
// test window. Zero denominators: when Q = 0 (a constant training part)
// MASE is 0 if every error is 0; otherwise Q is replaced by the mean |y|,
// and by 1 unit if that is also 0 (Result.Scale says which). Histories
// shorter than 4 weeks are not backtested (Result.Backtested is false,
// MASE 0).
//
// # Uncertainty
//
// Result.DemandOver gives the distribution of demand over any number of
// days (lead time + review period): its mean is the forecast over the
// window; its variance the larger of the method's innovations-model
// variance (one-step σ from the backtest errors, scaled by the model's
// error weights) and an empirical one from the backtest errors (their
// mean square and the mean product of two errors of the same origin),
// both scaled by ν/(ν−2), ν = the number of backtest origins − 1 (the
// variance of a Student t: the spread is estimated from few errors).
// Over-dispersed demand (variance above the mean, as intermittent demand
// is) is negative binomial, with mass at zero; the rest normal clipped at
// 0. Result.SafetyUnits gives the safety stock at a service level.
// On the synthetic kinds of package synth the share of held-out 13-week
// demands below the q-quantile is within 0.03 of q at q = 0.5, 0.9 and
// 0.97 (package evaluate's tests).
//
// # Re-fitting from sales
//
// Forecast keeps no state: the latest weekly sales of a series are all it
// needs, and ForecastAll re-fits many series on every CPU.
package forecast
