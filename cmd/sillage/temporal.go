package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/internal/obs/temporalobs"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/workflows"
)

// Environment variables that give the defaults of --temporal and
// --namespace.
const (
	envTemporal  = "SILLAGE_TEMPORAL"
	envNamespace = "SILLAGE_NAMESPACE"
)

// temporalFlags declares --temporal and --namespace on fs.
func temporalFlags(fs *flag.FlagSet) (addr, namespace *string) {
	defAddr, defNS := "127.0.0.1:7233", "default"
	if v := os.Getenv(envTemporal); v != "" {
		defAddr = v
	}
	if v := os.Getenv(envNamespace); v != "" {
		defNS = v
	}
	addr = fs.String("temporal", defAddr, "Temporal frontend `HOST:PORT` (default from $"+envTemporal+")")
	namespace = fs.String("namespace", defNS, "Temporal `namespace` (default from $"+envNamespace+")")
	return addr, namespace
}

// checkTemporalAddr reports a usage error for an address without a port.
func checkTemporalAddr(addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usageErrorf("--temporal %q: want HOST:PORT", addr)
	}
	return nil
}

// dialTemporal connects to Temporal, retrying for up to wait while the
// server is not up yet (0: one attempt). Temporal's own log goes to log
// at warning level and above.
func dialTemporal(ctx context.Context, addr, namespace string, log *slog.Logger, wait time.Duration) (client.Client, error) {
	return dialTemporalAs(ctx, addr, namespace, "", log, wait)
}

// dialTemporalAs is dialTemporal with the client identity the server
// records for every request ("" for the SDK's default, pid@host).
func dialTemporalAs(ctx context.Context, addr, namespace, identity string, log *slog.Logger, wait time.Duration) (client.Client, error) {
	if err := checkTemporalAddr(addr); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	opts := client.Options{HostPort: addr, Namespace: namespace, Identity: identity, Logger: tlog.NewStructuredLogger(log),
		MetricsHandler: temporalobs.Handler(obs.FromContext(ctx))}
	deadline := time.Now().Add(wait)
	for {
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		c, err := client.DialContext(dctx, opts)
		cancel()
		if err == nil {
			return c, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("connect to Temporal at %s (namespace %s): %w", addr, namespace, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// missingSearchAttributes returns the search attributes of the workflows
// that the namespace lacks, and an error for one registered with another
// type.
func missingSearchAttributes(ctx context.Context, c client.Client, namespace string) ([]workflows.SearchAttribute, error) {
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return nil, fmt.Errorf("list search attributes of namespace %s: %w", namespace, err)
	}
	var missing []workflows.SearchAttribute
	var wrong []string
	for _, a := range workflows.SearchAttributes {
		t, ok := resp.CustomAttributes[a.Name]
		if !ok {
			t, ok = resp.SystemAttributes[a.Name]
		}
		switch {
		case !ok:
			missing = append(missing, a)
		case t != a.Type:
			wrong = append(wrong, fmt.Sprintf("%s is %s, want %s", a.Name, typeName(t), typeName(a.Type)))
		}
	}
	if len(wrong) > 0 {
		return missing, fmt.Errorf("namespace %s: search attributes with the wrong type: %s", namespace, strings.Join(wrong, "; "))
	}
	return missing, nil
}

// typeName is the short name of a search attribute type: Keyword, Double...
func typeName(t enums.IndexedValueType) string {
	parts := strings.Split(strings.ToLower(strings.TrimPrefix(t.String(), "INDEXED_VALUE_TYPE_")), "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

// requireSearchAttributes returns errSearchAttributes when the namespace
// lacks any of the workflows' search attributes (see
// missingSearchAttributes).
func requireSearchAttributes(ctx context.Context, c client.Client, addr, namespace string) error {
	missing, err := missingSearchAttributes(ctx, c, namespace)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return errSearchAttributes(addr, namespace, missing)
	}
	return nil
}

// errSearchAttributes explains how to register missing search attributes.
func errSearchAttributes(addr, namespace string, missing []workflows.SearchAttribute) error {
	names := make([]string, len(missing))
	for i, a := range missing {
		names[i] = a.Name
	}
	return fmt.Errorf("namespace %s lacks the search attributes %s: run `sillage searchattrs --temporal %s --namespace %s` "+
		"(or start the dev server with %s)", namespace, strings.Join(names, ", "), addr, namespace, strings.Join(workflows.DevServerFlags(), " "))
}

// temporalTrigger returns an iot.Listener that signals the workflows on the
// Temporal cluster at addr (reorder points to the network's planner, goods
// receipts and acks to the orders), debounced per position over window,
// and a function that closes it. The ingest wires it when it is given
// --temporal.
func temporalTrigger(ctx context.Context, addr, namespace string, log *slog.Logger, window time.Duration, planner workflows.PlannerInput) (iot.Listener, func(), error) {
	c, err := dialTemporal(ctx, addr, namespace, log, 30*time.Second)
	if err != nil {
		return nil, nil, err
	}
	d := iot.Debounce(&activities.Temporal{Client: c, Planner: planner, Log: log}, window)
	return d, func() { d.Close(); c.Close() }, nil
}

// isUnsupported reports whether err says the server refuses a feature,
// such as updates disabled by its dynamic configuration.
func isUnsupported(err error) bool {
	var un *serviceerror.Unimplemented
	var pd *serviceerror.PermissionDenied
	return errors.As(err, &un) || (errors.As(err, &pd) && strings.Contains(strings.ToLower(pd.Message), "update"))
}
