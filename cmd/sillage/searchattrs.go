package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"

	"github.com/sillage/sillage/workflows"
)

func init() {
	register(&command{
		name:   "searchattrs",
		noArgs: true,
		short:  "register sillage's search attributes on a Temporal namespace",
		usage:  "searchattrs [--temporal HOST:PORT] [--namespace NS]",
		long: `Searchattrs registers the custom search attributes that sillage's workflows
set, so that planners can filter plans and orders in the Temporal UI:

  SillageNetwork   Keyword   network name
  SillageSite      Keyword   destination site of an order
  SillageSupplier  Keyword   supplier of a purchase order
  SillageStatus    Keyword   plan or order status (awaiting_approval, ...)
  SillageCostEUR   Double    plan objective or order value, EUR
  SillageKgCO2e    Double    transport emissions, kgCO2e

It uses the operator service of the cluster and is idempotent: attributes
already registered with the right type are left alone; one registered with
another type is an error (exit 1). The dev server needs no such step when
it is started with --search-attribute flags (sillage dev does that).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			addr, ns := temporalFlags(fs)
			f := &searchAttrsFlags{
				addr: addr,
				ns:   ns,
			}
			return f.run
		},
	})
}

// searchAttrsFlags are the flags of sillage searchattrs.
type searchAttrsFlags struct {
	addr, ns *string
}

// run runs sillage searchattrs with the parsed flags.
func (f *searchAttrsFlags) run(ctx context.Context, e *env) error {
	c, err := dialTemporal(ctx, *f.addr, *f.ns, nil, 0)
	if err != nil {
		return err
	}
	defer c.Close()
	missing, err := missingSearchAttributes(ctx, c, *f.ns)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		add := map[string]enums.IndexedValueType{}
		for _, a := range missing {
			add[a.Name] = a.Type
		}
		if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
			Namespace: *f.ns, SearchAttributes: add,
		}); err != nil {
			return fmt.Errorf("add search attributes to namespace %s: %w", *f.ns, err)
		}
	}
	added := map[string]bool{}
	for _, a := range missing {
		added[a.Name] = true
	}
	for _, a := range workflows.SearchAttributes {
		state := "already registered"
		if added[a.Name] {
			state = "added"
		}
		fmt.Fprintf(e.stdout, "%-16s %-8s %s\n", a.Name, typeName(a.Type), state)
	}
	if len(missing) > 0 {
		names := make([]string, len(missing))
		for i, a := range missing {
			names[i] = a.Name
		}
		fmt.Fprintf(e.stdout, "registered %s on namespace %s\n", strings.Join(names, ", "), *f.ns)
	}
	return nil
}
