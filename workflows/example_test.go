package workflows_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/sillage/sillage/workflows"
)

// Ids are derived from the plan, so a retried or replayed plan starts the
// same order workflows, which the store and Temporal both deduplicate.
func ExamplePurchaseOrderID() {
	plan := workflows.PlanID("maison", time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC))
	fmt.Println(workflows.PlanWorkflowID(plan))
	fmt.Println(workflows.PurchaseOrderID(plan, "SUP-TUS", 1))
	fmt.Println(workflows.TransferOrderID(plan, "DC-EU", "BTQ-PAR"))
	// Output:
	// plan:maison:20260301T060000
	// po:maison:20260301T060000:SUP-TUS:1
	// to:maison:20260301T060000:DC-EU:BTQ-PAR
}

// The dev server takes the search attributes as flags.
func ExampleDevServerFlags() {
	fmt.Println("temporal server start-dev " + strings.Join(workflows.DevServerFlags(), " "))
	// Output:
	// temporal server start-dev --search-attribute SillageNetwork=Keyword --search-attribute SillageSite=Keyword --search-attribute SillageSupplier=Keyword --search-attribute SillageStatus=Keyword --search-attribute SillageCostEUR=Double --search-attribute SillageKgCO2e=Double
}
