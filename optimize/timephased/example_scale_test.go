package timephased

import "fmt"

// Two products that share no capacity are planned as two parts, in
// parallel, and the merged plan costs what the monolithic one does; a
// warm re-plan after a stock change reaches the cold optimum.
func ExamplePlanSplit() {
	in := exampleInput()
	split, parts, err := PlanSplit(in, Options{RelaxationOnly: true}, SplitOptions{Parts: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	mono, err := Plan(in, Options{RelaxationOnly: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range parts {
		fmt.Printf("part %d: %v, %d shared capacities\n", p.Index, p.SKUs, p.Shared)
	}
	fmt.Printf("split %.2f EUR, monolithic %.2f EUR\n", split.LPObjectiveEUR, mono.LPObjectiveEUR)
	// Output:
	// part 0: [B], 0 shared capacities
	// part 1: [A], 0 shared capacities
	// split 2624.03 EUR, monolithic 2624.03 EUR
}

// A Session keeps the solved model: after a boutique's stock of A goes
// to 0, Replan re-solves from the previous basis.
func ExampleSession() {
	s, first, err := NewSession(exampleInput(), Options{RelaxationOnly: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	if err := s.SetStock("BTQ1", "A", 0, 0); err != nil {
		fmt.Println(err)
		return
	}
	again, err := s.Replan()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f EUR, then %.2f EUR with 5 units fewer at BTQ1\n", first.LPObjectiveEUR, again.LPObjectiveEUR)
	// Output:
	// 2624.03 EUR, then 5624.03 EUR with 5 units fewer at BTQ1
}

// exampleInput is twoChains without sharing, ready to plan over 8 weeks.
func exampleInput() *Input {
	n := twoChains(false)
	n.ApplyDefaults()
	return &Input{Network: n, Weeks: 8, Demand: []Series{
		{Site: "BTQ1", SKU: "A", Units: flat(8, 9)},
		{Site: "BTQ2", SKU: "B", Units: flat(8, 6)},
	}}
}
