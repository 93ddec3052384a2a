package evaluate

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the report as one table per group: a row per method
// with its MASE, RMSSE, MAE, bias and coverages, and the methods the
// automatic choice picked.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "one origin, the last %d weeks of every series held out; season %d weeks\n", r.HorizonWeeks, r.SeasonWeeks)
	if r.Skipped > 0 {
		fmt.Fprintf(w, "%d series shorter than %d weeks skipped\n", r.Skipped, r.HorizonWeeks+2)
	}
	for _, g := range r.Groups {
		fmt.Fprintf(w, "\n%s: %d series\n", g.Kind, g.Series)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := "method\tseries\tMASE\tRMSSE\tMAE\tbias\t"
		for _, q := range r.Quantiles {
			head += fmt.Sprintf("cov %g\t", q)
		}
		fmt.Fprintln(tw, head)
		for _, row := range g.Rows {
			line := fmt.Sprintf("%s\t%d\t%.3f\t%.3f\t%.3f\t%+.3f\t", row.Method, row.Series, row.MASE, row.RMSSE, row.MAE, row.Bias)
			for _, c := range row.Coverage {
				line += fmt.Sprintf("%.3f\t", c)
			}
			fmt.Fprintln(tw, line)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(g.Rows) > 0 && g.Rows[0].Chosen != nil {
			var parts []string
			for _, s := range ChosenShares(g.Rows[0].Chosen) {
				parts = append(parts, fmt.Sprintf("%s %.0f%%", s.Method, 100*s.Share))
			}
			fmt.Fprintf(w, "auto chose: %s\n", strings.Join(parts, ", "))
		}
	}
	return nil
}
