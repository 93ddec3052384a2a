package e2e

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/workflows"
)

// checkTransferCloses waits for a TransferWorkflow of the sample network
// to complete, acked by dev's simulated warehouse and received by RFID at
// its destination, and checks that it closed with its units received.
func checkTransferCloses(t *testing.T, c client.Client) {
	query := `WorkflowType="TransferWorkflow" AND SillageNetwork="maison" AND ExecutionStatus="Completed"`
	var ids []string
	testhelp.Eventually(t, 3*time.Minute, "a completed TransferWorkflow", func() bool {
		ids = listIDs(t, c, query)
		return len(ids) > 0
	})
	var res workflows.OrderResult
	if err := c.GetWorkflow(context.Background(), ids[0], "").Get(context.Background(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != sillage.OrderClosed || res.OrderedUnits <= 0 || res.ReceivedUnits < res.OrderedUnits {
		t.Errorf("transfer %s: %+v; want closed with its units received", ids[0], res)
	}
}
