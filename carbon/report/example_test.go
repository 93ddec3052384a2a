package report_test

import (
	"fmt"

	"github.com/sillage/sillage/carbon/report"
)

func ExampleParsePeriod() {
	p, err := report.ParsePeriod("2025-01")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Label, p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"), "previous:", p.Previous().Label)
	// Output:
	// 2025-01 2025-01-01 2025-02-01 previous: 2024-12
}
