package clustertest

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// Result is what one check found.
type Result struct {
	Name       string
	Count      int      // things checked: plans, orders, messages, positions
	Lost       int      // things missing
	Duplicates int      // things there twice
	Problems   []string // one line per finding, for the log
}

func (r *Result) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// OK says whether the check found nothing wrong.
func (r Result) OK() bool { return r.Lost == 0 && r.Duplicates == 0 && len(r.Problems) == 0 }

// Summary is the last line of scripts/cluster-test.
func Summary(plans, orders, messages, faults, lost, duplicates int) string {
	return fmt.Sprintf("cluster: %d plans, %d orders, %d messages, %d faults, %d lost, %d duplicates",
		plans, orders, messages, faults, lost, duplicates)
}

// Executions lists every workflow execution that matches a visibility
// query, closed ones included.
func Executions(ctx context.Context, c client.Client, query string) ([]*workflowservice.ListWorkflowExecutionsResponse, error) {
	var pages []*workflowservice.ListWorkflowExecutionsResponse
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return nil, fmt.Errorf("list workflows %q: %w", query, err)
		}
		pages = append(pages, resp)
		if token = resp.NextPageToken; len(token) == 0 {
			return pages, nil
		}
	}
}

// CheckPlans checks that every PlanWorkflow of the network has one
// execution and that it completed. It returns the plan ids (sorted).
func CheckPlans(ctx context.Context, c client.Client, network string) ([]string, Result, error) {
	r := Result{Name: "plans"}
	pages, err := Executions(ctx, c, fmt.Sprintf(`WorkflowType=%q AND SillageNetwork=%q`, workflows.PlanWorkflowName, network))
	if err != nil {
		return nil, r, err
	}
	runs := map[string]int{}
	for _, p := range pages {
		for _, e := range p.Executions {
			id := e.Execution.WorkflowId
			runs[id]++
			if e.Status != enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
				r.Lost++
				r.problem("plan %s ended %s, want completed", id, e.Status)
			}
		}
	}
	var ids []string
	for id, k := range runs {
		ids = append(ids, workflows.PlanIDFromWorkflowID(id))
		if k > 1 {
			r.Duplicates += k - 1
			r.problem("plan %s ran %d times, want once", id, k)
		}
	}
	sort.Strings(ids)
	r.Count = len(ids)
	return ids, r, nil
}

// CheckOrderWorkflows checks that every order workflow (procurement and
// transfer) of the network was started once.
func CheckOrderWorkflows(ctx context.Context, c client.Client, network string) (Result, error) {
	r := Result{Name: "order workflows"}
	pages, err := Executions(ctx, c, fmt.Sprintf(`WorkflowType IN (%q, %q) AND SillageNetwork=%q`,
		workflows.ProcurementWorkflowName, workflows.TransferWorkflowName, network))
	if err != nil {
		return r, err
	}
	runs := map[string]int{}
	for _, p := range pages {
		for _, e := range p.Executions {
			runs[e.Execution.WorkflowId]++
		}
	}
	for id, k := range runs {
		if k > 1 {
			r.Duplicates += k - 1
			r.problem("order workflow %s started %d times, want once", id, k)
		}
	}
	r.Count = len(runs)
	return r, nil
}

// CheckOrders checks that the store holds, for each plan, exactly the
// orders the plan implies, each with its lines and value and with its
// stock held once, and no order that belongs to no plan.
func CheckOrders(ctx context.Context, st *store.Store, n *sillage.Network, planIDs []string) (Result, error) {
	r := Result{Name: "orders"}
	total := 0
	for _, planID := range planIDs {
		p, err := st.LoadPlan(ctx, planID)
		if err != nil {
			r.Lost++
			r.problem("plan %s: not stored: %v", planID, err)
			continue
		}
		want, err := activities.OrdersFromPlan(n, p)
		if err != nil {
			return r, fmt.Errorf("orders of plan %s: %w", planID, err)
		}
		got, err := st.ListOrders(ctx, store.OrderFilter{PlanID: planID})
		if err != nil {
			return r, err
		}
		total += len(got)
		byID := map[string]sillage.Order{}
		for _, g := range got {
			byID[g.ID] = g
		}
		for _, w := range want {
			g, ok := byID[w.ID]
			if !ok {
				r.Lost++
				r.problem("plan %s: order %s not stored", planID, w.ID)
				continue
			}
			if g.ValueEUR != w.ValueEUR || !reflect.DeepEqual(g.Lines, w.Lines) || g.Source != w.Source || g.Site != w.Site {
				r.problem("plan %s: stored order %s (%v EUR, %v) differs from the plan's (%v EUR, %v)", planID, g.ID, g.ValueEUR, g.Lines, w.ValueEUR, w.Lines)
			}
			effects, err := st.OrderEffects(ctx, g.ID)
			if err != nil {
				return r, err
			}
			holds := 0
			for _, e := range effects {
				if e == "hold" {
					holds++
				}
			}
			if holds != 1 {
				r.Duplicates += max(0, holds-1)
				r.Lost += max(0, 1-holds)
				r.problem("order %s: stock held %d times (effects %v), want once", g.ID, holds, effects)
			}
		}
		if len(got) > len(want) {
			r.Duplicates += len(got) - len(want)
			r.problem("plan %s: %d orders stored, the plan implies %d", planID, len(got), len(want))
		}
	}
	all, err := st.ListOrders(ctx, store.OrderFilter{})
	if err != nil {
		return r, err
	}
	if len(all) != total {
		r.Duplicates += len(all) - total
		r.problem("%d orders in the store, %d belong to the completed plans", len(all), total)
	}
	r.Count = len(all)
	return r, nil
}

// SeenKeys returns the message keys of a network recorded in iot_seen (the
// messages the ingests applied or dead-lettered).
func SeenKeys(ctx context.Context, db *sql.DB, network string) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT msg_key FROM iot_seen WHERE network = $1`, network)
	if err != nil {
		return nil, fmt.Errorf("seen message keys of %s: %w", network, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// CheckMessages checks that every published message (key to topic) was
// applied (its key seen) or dead-lettered with a reason.
func CheckMessages(published map[string]string, seen map[string]bool, dead []sillage.DeadLetter) Result {
	r := Result{Name: "messages", Count: len(published)}
	reasons := map[string]string{}
	for _, d := range dead {
		reasons[d.Key] = d.Reason
	}
	var lost []string
	for k, topic := range published {
		reason, isDead := reasons[k]
		switch {
		case isDead && strings.TrimSpace(reason) == "":
			r.problem("message %s on %s dead-lettered without a reason", k, topic)
		case isDead, seen[k]:
		default:
			lost = append(lost, k+" on "+topic)
		}
	}
	sort.Strings(lost)
	r.Lost = len(lost)
	for i, l := range lost {
		if i == 20 {
			r.problem("... and %d more lost messages", len(lost)-20)
			break
		}
		r.problem("message %s: published, neither applied nor dead-lettered", l)
	}
	return r
}

// Position is the serialised stock of one product at one site, in units.
type Position struct {
	Site, SKU         string
	OnHand, InTransit float64
}

// CheckStock compares the stock the store holds with the stock expected,
// per site and product (missing entries count as zero). Units short count
// as lost, units over as duplicates.
func CheckStock(got, want []Position) Result {
	r := Result{Name: "stock"}
	keys := map[stockKey]bool{}
	g, w := sumStock(got, keys), sumStock(want, keys)
	sorted := make([]stockKey, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.SortFunc(sorted, func(a, b stockKey) int {
		return cmp.Or(cmp.Compare(a.site, b.site), cmp.Compare(a.sku, b.sku))
	})
	for _, k := range sorted {
		r.Count++
		for _, d := range []struct {
			what      string
			got, want float64
		}{{"on hand", g[k].OnHand, w[k].OnHand}, {"in transit", g[k].InTransit, w[k].InTransit}} {
			if diff := d.got - d.want; diff != 0 {
				if diff < 0 {
					r.Lost += int(-diff)
				} else {
					r.Duplicates += int(diff)
				}
				r.problem("%s %s: %g units %s, the simulator says %g", k.site, k.sku, d.got, d.what, d.want)
			}
		}
	}
	return r
}

// stockKey is a site and a product.
type stockKey struct{ site, sku string }

// sumStock adds up ps per site and product, and marks their keys in keys.
func sumStock(ps []Position, keys map[stockKey]bool) map[stockKey]Position {
	out := map[stockKey]Position{}
	for _, p := range ps {
		k := stockKey{p.Site, p.SKU}
		q := out[k]
		q.OnHand += p.OnHand
		q.InTransit += p.InTransit
		out[k] = q
		keys[k] = true
	}
	return out
}

// SimulatorItems returns the serialised items of a network per site and
// product, present and in transit, leaving out those the simulated
// warehouses tagged (serials "W..." of iot.ReceiptSerial): those of the
// RFID simulator. It folds the item log first.
func SimulatorItems(ctx context.Context, st *store.Store, db *sql.DB, network string) ([]Position, error) {
	if err := st.CheckpointItems(ctx, network); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT site, sku, status, COUNT(*) FROM iot_items
		WHERE network = $1 AND status IN ('present', 'in_transit') AND epc NOT LIKE '%.W%'
		GROUP BY site, sku, status`, network)
	if err != nil {
		return nil, fmt.Errorf("items of %s: %w", network, err)
	}
	defer rows.Close()
	var out []Position
	for rows.Next() {
		var p Position
		var status string
		var n int64
		if err := rows.Scan(&p.Site, &p.SKU, &status, &n); err != nil {
			return nil, err
		}
		if status == string(sillage.ItemPresent) {
			p.OnHand = float64(n)
		} else {
			p.InTransit = float64(n)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
