package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize"
	"github.com/sillage/sillage/workflows"
)

// remotePlan says what runRemotePlan plans and where.
type remotePlan struct {
	NetworkFile string // the network file; its name names the stored network
	Name        string // the stored network's name, when not the file's
	Temporal    string // HOST:PORT
	Namespace   string
	// DB is the database the workers use. When set, a network that is not
	// stored yet is seeded from the file, and the plan's lines are read
	// back from it; when empty the result holds the plan's top lines only.
	DB          string
	CarbonPrice *float64 // EUR per tCO2e; nil: the network's policy
	// WaitForOrders makes the plan wait until its orders are finished.
	WaitForOrders bool
	// Summary, when set, receives the workflow's result.
	Summary *workflows.PlanSummary
}

// runRemotePlan starts a PlanWorkflow for the network on the Temporal
// cluster, waits for it, and returns its outcome in the form of a local
// plan (so that `sillage plan --remote` prints the same text and JSON as
// a local plan). The workers must share r.DB. Progress goes to e.stderr:
// the plan's workflow id and, once done, its orders.
//
// `sillage plan` calls it when --remote is given:
//
//	res, err := runRemotePlan(ctx, e, remotePlan{NetworkFile: *file, Temporal: *addr,
//		Namespace: *ns, DB: *db, CarbonPrice: opt.CarbonPriceEURPerT})
//	if err != nil {
//		return err
//	}
//	// then print res exactly as a local result: planJSONOf(res) or printPlan.
func runRemotePlan(ctx context.Context, e *env, r remotePlan) (*optimize.Result, error) {
	n, err := network.Load(r.NetworkFile)
	if err != nil {
		return nil, err
	}
	name := r.Name
	if name == "" {
		name = n.Name
	}
	if name == "" {
		return nil, usageErrorf("the network file has no name: give the stored network's name")
	}
	if r.DB != "" {
		if err := seedIfAbsent(ctx, r.DB, name, n); err != nil {
			return nil, err
		}
	}
	c, err := dialTemporal(ctx, r.Temporal, r.Namespace, nil, 0)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	planID := workflows.PlanID(name, time.Now())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    workflows.PlanWorkflowID(planID),
		TaskQueue:             workflows.TaskQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.AttrNetwork.ValueSet(name)),
		StaticSummary:         "Plan of " + name + " from the command line",
	}, workflows.PlanWorkflowName, workflows.PlanInput{
		Network: name, PlanID: planID, Reason: "cli",
		Options: workflows.PlanOptions{CarbonPriceEURPerT: r.CarbonPrice, WaitForOrders: r.WaitForOrders},
	})
	if err != nil {
		return nil, fmt.Errorf("start plan of %s: %w", name, err)
	}
	fmt.Fprintf(e.stderr, "plan %s started: workflow %s\n", planID, run.GetID())
	var sum workflows.PlanSummary
	if err := run.Get(ctx, &sum); err != nil {
		var app *temporal.ApplicationError
		if errors.As(err, &app) {
			return nil, fmt.Errorf("plan %s failed: %s", planID, app.Message())
		}
		return nil, fmt.Errorf("plan %s: %w", planID, err)
	}
	if r.Summary != nil {
		*r.Summary = sum
	}
	for _, o := range sum.Orders {
		fmt.Fprintf(e.stderr, "  %s %s -> %s %.2f EUR: %s\n", o.OrderID, o.Source, o.Site, o.ValueEUR, o.Status)
	}
	res := &optimize.Result{
		Plan: sillage.Plan{
			ID: sum.PlanID, Network: sum.Network, CreatedAt: sum.Started, Status: sum.Status,
			CarbonPriceEURPerT: sum.CarbonPriceEURPerT, CostEUR: sum.CostEUR, KgCO2e: sum.KgCO2e,
			ShortfallUnits: sum.ShortfallUnits, Lines: sum.TopLines, Binding: sum.Binding,
		},
		TransportEUR: sum.TransportEUR, CarbonEUR: sum.CarbonEUR, HoldingEUR: sum.HoldingEUR, PenaltyEUR: sum.PenaltyEUR,
		Variables: sum.Variables, Constraints: sum.Constraints, BuildSeconds: sum.BuildSeconds, SolveSeconds: sum.SolveSeconds,
		Iterations: sum.Iterations, Method: sum.Method,
		Notes: append(append([]string(nil), sum.Notes...),
			fmt.Sprintf("planned remotely by workflow %s: %d orders (purchases %.2f EUR, transfers %.2f EUR)",
				sum.WorkflowID, len(sum.Orders), sum.PurchaseEUR, sum.TransferEUR)),
	}
	if r.DB != "" {
		st, err := openStore(ctx, r.DB)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		p, err := st.LoadPlan(ctx, sum.PlanID)
		if err != nil {
			return nil, fmt.Errorf("read plan %s back: %w", sum.PlanID, err)
		}
		res.Plan = *p
	} else if sum.Lines > len(sum.TopLines) {
		res.Notes = append(res.Notes, fmt.Sprintf("%d of %d lines shown (the largest by cost); give the workers' database for all", len(sum.TopLines), sum.Lines))
	}
	return res, nil
}

// seedIfAbsent stores the network when the database has none of its name;
// a stored network (whose stock the ingest keeps) is left alone.
func seedIfAbsent(ctx context.Context, db, name string, n *sillage.Network) error {
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.LoadNetwork(ctx, name); err == nil {
		return nil
	} else if !errors.Is(err, sillage.ErrNotFound) {
		return err
	}
	_, err = st.SaveNetwork(ctx, name, n)
	return err
}
