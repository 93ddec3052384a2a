package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/workflows"
)

// forceStop waits, until dev has stopped, for a second interrupt; then it
// kills the Temporal server, cleans up and exits at once. Signals less than
// a second after the first one count as the same (a supervisor may send
// one to the process and one to its group).
func forceStop(ctx context.Context, stopped <-chan struct{}, sigs <-chan os.Signal, srv *devserver.Server, w io.Writer, cleanup func()) {
	select {
	case <-ctx.Done():
	case <-stopped:
		return
	}
	var first time.Time
	for {
		select {
		case <-stopped:
			return
		case <-sigs:
			if first.IsZero() || time.Since(first) < time.Second {
				if first.IsZero() {
					first = time.Now()
				}
				continue
			}
			fmt.Fprintln(w, "sillage dev: forced stop")
			if pid := srv.PID(); pid > 0 {
				_ = syscall.Kill(-pid, syscall.SIGKILL)
			}
			cleanup()
			os.Exit(130)
		}
	}
}

// devNetwork returns the network file to run (the sample written to dir
// when file is empty), the network, and whether it is the sample.
func devNetwork(file, dir string) (string, *sillage.Network, bool, error) {
	sample := file == ""
	if sample {
		file = filepath.Join(dir, "maison.yaml")
		var buf bytes.Buffer
		if err := netgen.WriteMaison(&buf, devSampleSeed); err != nil {
			return "", nil, false, fmt.Errorf("sample network: %w", err)
		}
		if old, err := os.ReadFile(file); err != nil || !bytes.Equal(old, buf.Bytes()) {
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				return "", nil, false, fmt.Errorf("sample network: %w", err)
			}
		}
	}
	n, err := network.Load(file)
	if err != nil {
		return "", nil, false, err
	}
	if n.Name == "" {
		n.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	return file, n, sample, nil
}

// devSeed stores the network when the database does not hold it yet, with
// share of each distribution centre's stock (rounded down to whole
// units), and says whether it did. A stored network is left alone: its
// stock is the ingest's.
func devSeed(ctx context.Context, db, name string, n *sillage.Network, share float64) (bool, error) {
	st, err := openStore(ctx, db)
	if err != nil {
		return false, err
	}
	defer st.Close()
	if _, err := st.LoadNetwork(ctx, name); err == nil {
		return false, nil
	} else if !errors.Is(err, sillage.ErrNotFound) {
		return false, err
	}
	seed := *n
	seed.Stock = append([]sillage.Position(nil), n.Stock...)
	if share != 1 {
		for i := range seed.Stock {
			if s, ok := n.Site(seed.Stock[i].Site); ok && s.Kind == sillage.KindDC {
				seed.Stock[i].OnHand = math.Floor(seed.Stock[i].OnHand * share)
			}
		}
	}
	if _, err := st.SaveNetwork(ctx, name, &seed); err != nil {
		return false, fmt.Errorf("seed network %s: %w", name, err)
	}
	return true, nil
}

// requestFirstPlan asks the network's planner for a plan with a fixed
// trigger id, starting the planner when needed (Update-with-Start, or
// SignalWithStart where updates are off). The planner ignores a trigger id
// it has seen, so a second run of dev asks for nothing new.
func requestFirstPlan(ctx context.Context, c client.Client, name string, debounce time.Duration) (string, error) {
	in := workflows.PlannerInput{Network: name, Debounce: debounce,
		Plan: workflows.PlanOptions{Timings: workflows.OrderTimings{ConfirmPoll: 5 * time.Second}}}
	tr := workflows.Trigger{ID: devFirstPlanID, Kind: workflows.TriggerManual, Reason: "sillage dev: first plan of the network"}
	opts := activities.PlannerStartOptions(name)
	opts.WorkflowIDConflictPolicy = enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING
	uctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	h, err := c.UpdateWithStartWorkflow(uctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: c.NewWithStartWorkflowOperation(opts, workflows.NetworkPlannerName, in),
		// No update id: the server would answer a repeated one with the
		// first outcome, whereas the planner itself says "duplicate".
		UpdateOptions: client.UpdateWorkflowOptions{UpdateName: workflows.UpdateTrigger,
			Args: []any{tr}, WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	var ack workflows.TriggerAck
	if err == nil {
		err = h.Get(uctx, &ack)
	}
	if err != nil {
		if !isUnsupported(err) {
			return "", fmt.Errorf("ask the planner of %s for a first plan: %w", name, err)
		}
		t := &activities.Temporal{Client: c, Planner: in}
		if err := t.Replan(ctx, name, tr); err != nil {
			return "", err
		}
		return fmt.Sprintf("first plan requested from %s (in %v)", workflows.PlannerWorkflowID(name), debounce), nil
	}
	if ack.Duplicate {
		return fmt.Sprintf("first plan: already requested by an earlier run (%s keeps its plans)", workflows.PlannerWorkflowID(name)), nil
	}
	return fmt.Sprintf("first plan requested from %s: it starts in %v", workflows.PlannerWorkflowID(name), debounce), nil
}

// printBanner says where everything is.
func printBanner(w io.Writer, st devState, took time.Duration) {
	q := func(query string) string {
		return st.UI + "/namespaces/" + url.PathEscape(st.Namespace) + "/workflows?query=" + url.QueryEscape(query)
	}
	fmt.Fprintf(w, "\nsillage dev is running (started in %.0fs). Ctrl-C stops it.\n\n", took.Seconds())
	if st.UI != "" {
		fmt.Fprintf(w, "  Temporal UI        %s/namespaces/%s/workflows\n", st.UI, st.Namespace)
		fmt.Fprintf(w, "  plans              %s\n", q(fmt.Sprintf(`WorkflowType="PlanWorkflow" AND SillageNetwork=%q`, st.Network)))
		fmt.Fprintf(w, "  awaiting approval  %s\n", q(`WorkflowType="ProcurementWorkflow" AND SillageStatus="awaiting_approval"`))
		fmt.Fprintf(w, "  schedules          %s/namespaces/%s/schedules\n", st.UI, st.Namespace)
	}
	fmt.Fprintf(w, "  Temporal           %s (namespace %s)\n", st.Temporal, st.Namespace)
	fmt.Fprintf(w, "  MQTT broker        %s\n", st.Broker)
	if st.Metrics != "" {
		fmt.Fprintf(w, "  metrics            %s\n", st.Metrics)
	}
	fmt.Fprintf(w, "  reports            %s\n", st.Reports)
	fmt.Fprintf(w, "  database           %s\n", st.DB)
	fmt.Fprintf(w, "  logs               %s\n\n", st.Logs)
	fmt.Fprintf(w, "  approve an order:  sillage approve PO-ID --temporal %s\n\n", st.Temporal)
}
