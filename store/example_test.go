package store_test

import (
	"context"
	"fmt"
	"log"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
)

func Example() {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite://:memory:") // or sqlite://sillage.db, postgres://...
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	n, err := network.Load("../testdata/networks/tiny.yaml")
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		changes, err := s.SaveNetwork(ctx, "tiny", n)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("changed:", changes.Changed())
	}

	p, err := s.AdjustPosition(ctx, "tiny", "BTQ-PAR", "BAG-01", sillage.PositionDelta{OnHand: 2, InTransit: -2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s at %s: %g on hand, %g in transit\n", p.SKU, p.Site, p.OnHand, p.InTransit)
	// Output:
	// changed: true
	// changed: false
	// BAG-01 at BTQ-PAR: 5 on hand, 0 in transit
}
