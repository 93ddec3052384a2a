package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize"
	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/workflows"
)

// Records is what the activities need from the system of record;
// *store.Store implements it.
type Records interface {
	sillage.NetworkStore
	sillage.PlanStore
	sillage.PlanHorizonStore
	sillage.PlanPartStore
	sillage.OrderStore
	sillage.OrderBatchStore
	sillage.OpenArrivalStore
}

// Optimizer forecasts, routes and solves (package optimize; see
// LocalOptimizer).
type Optimizer interface {
	// Forecast summarises the demand forecast of n over its policy's
	// horizon.
	Forecast(ctx context.Context, n *sillage.Network) (workflows.ForecastResult, error)
	// Route summarises the cheapest paths from every source to every site
	// at the carbon price (EUR per tCO2e).
	Route(ctx context.Context, n *sillage.Network, carbonPriceEURPerT float64) (workflows.RouteResult, error)
	// SolveHorizon builds and solves the time-phased plan of in (package
	// optimize/timephased).
	SolveHorizon(ctx context.Context, in *timephased.Input) (*timephased.Result, error)
	// Solve builds and solves the one-period LP of n. beat is called at
	// every stage of the solve (for heartbeats). The plan has no id.
	Solve(ctx context.Context, n *sillage.Network, carbonPriceEURPerT *float64, beat func(stage string)) (*optimize.Result, error)
}

// Footprints computes product footprints (package carbon; see
// CarbonFootprints).
type Footprints interface {
	Footprints(n *sillage.Network, lines []sillage.PlanLine) ([]sillage.Footprint, error)
}

// CommandPublisher publishes commands to warehouses over MQTT (package
// iot; see IoTCommands).
type CommandPublisher interface {
	// Publish sends cmd to its site's command topic at QoS 1. A re-send
	// carries the same command id; the warehouse applies an id once.
	Publish(ctx context.Context, network string, cmd sillage.Command) error
}

// Replanner asks a network's planner for a new plan (see Temporal).
type Replanner interface {
	Replan(ctx context.Context, network string, t workflows.Trigger) error
}

// PlanChecker tells whether a plan's workflow still runs (see Temporal).
type PlanChecker interface {
	PlanRunning(ctx context.Context, planID string) (bool, error)
}

// Notifier tells planners about orders (see LogNotifier).
type Notifier interface {
	Notify(ctx context.Context, n workflows.Notice) error
}

// Reporter writes a network's report for a month.
type Reporter interface {
	WriteReport(ctx context.Context, in workflows.ReportInput) (workflows.ReportResult, error)
}

// Activities implements workflows.Activities. Store, Optimizer, Carbon
// and Supplier are required; Commands, Replanner, Notifier and Reporter
// fail their activities (non-retryably, with a readable message) when
// they are nil.
type Activities struct {
	Store     Records
	Optimizer Optimizer
	Carbon    Footprints
	Supplier  Supplier
	Commands  CommandPublisher
	Replanner Replanner
	// Plans, when set, lets AcquirePlanLease take over the lease of a
	// plan whose workflow has ended without giving it back.
	Plans    PlanChecker
	Notifier Notifier
	Reporter Reporter
	// Starter starts the order workflows of a batch
	// (StartOrderWorkflows); the worker gives its Temporal client.
	Starter OrderStarter
	// Callers identifies who sent an approve or reject (IdentifyApprover
	// fails without it); Approvers is the approvers policy, nil for none
	// (any identity may approve any order, alone).
	Callers   CallerIdentifier
	Approvers *Approvers
	Log       *slog.Logger
	// Heartbeat is how often the long plan steps heartbeat; default 5s.
	Heartbeat time.Duration
	// PlanPartProducts is how many products a part of a split
	// time-phased plan holds at most (see SplitHorizon): 0 means
	// DefaultPlanPartProducts, a negative value never splits.
	PlanPartProducts int

	networks networkCache
	now      func() time.Time // for tests; nil means time.Now
}

var _ workflows.Activities = (*Activities)(nil)

func (a *Activities) log() *slog.Logger {
	if a.Log == nil {
		return slog.Default()
	}
	return a.Log
}

func (a *Activities) clock() time.Time {
	if a.now != nil {
		return a.now()
	}
	return time.Now()
}

func (a *Activities) heartbeatEvery() time.Duration {
	if a.Heartbeat > 0 {
		return a.Heartbeat
	}
	return 5 * time.Second
}

// classify turns an error into what Temporal should do with it: bad
// input, unknown records, conflicts and infeasible plans become
// non-retryable application errors with the error's message; anything else
// is returned as is and retried.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return err
	}
	typ := ""
	switch {
	case errors.Is(err, optimize.ErrInfeasible), errors.Is(err, optimize.ErrUnbounded),
		errors.Is(err, timephased.ErrInfeasible), errors.Is(err, timephased.ErrRounding):
		typ = workflows.ErrTypeInfeasible
	case errors.Is(err, sillage.ErrInvalid):
		typ = workflows.ErrTypeInvalid
	case errors.Is(err, sillage.ErrNotFound):
		typ = workflows.ErrTypeNotFound
	case errors.Is(err, sillage.ErrConflict):
		typ = workflows.ErrTypeConflict
	default:
		return err
	}
	return temporal.NewNonRetryableApplicationError(err.Error(), typ, err)
}

// notConfigured is the error of an activity whose dependency is missing.
func notConfigured(what string) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("this worker has no %s configured", what), workflows.ErrTypeInvalid, nil)
}

// networkCache keeps recently loaded networks for the order activities,
// which need product masses and costs but not the latest stock.
type networkCache struct {
	mu      sync.Mutex
	entries map[string]cachedNetwork
}

type cachedNetwork struct {
	n  *sillage.Network
	at time.Time
}

// networkTTL is how long a network loaded for the order activities is
// reused.
const networkTTL = time.Minute

// network returns the named network, validated, from the store or from a
// load less than networkTTL old.
func (a *Activities) network(ctx context.Context, name string) (*sillage.Network, error) {
	c := &a.networks
	now := a.clock()
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < networkTTL {
		return e.n, nil
	}
	n, err := a.loadNetwork(ctx, name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]cachedNetwork{}
	}
	c.entries[name] = cachedNetwork{n: n, at: now}
	c.mu.Unlock()
	return n, nil
}

// loadNetwork reads a network with its current stock, applies the policy
// defaults and validates it.
func (a *Activities) loadNetwork(ctx context.Context, name string) (*sillage.Network, error) {
	n, err := a.Store.LoadNetwork(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}
	for _, p := range n.ZeroNegativeStock() {
		a.log().WarnContext(ctx, "negative stock position planned as zero", "network", name, "site", p.Site, "sku", p.SKU,
			"on_hand", p.OnHand, "in_transit", p.InTransit, "reserved", p.Reserved)
	}
	n.ApplyDefaults()
	if err := n.Validate(); err != nil {
		return nil, fmt.Errorf("network %q fails validation: %w", name, err)
	}
	return n, nil
}
