package clustertest

import "github.com/sillage/sillage"

// OrderingNetwork changes n, a sample network, into the one the deployment
// tests plan: every distribution centre keeps a quarter of its stock
// (rounded down to whole units), so that the plan buys from suppliers, and
// the approval threshold is 0 EUR, so that every order goes on at once.
func OrderingNetwork(n *sillage.Network) {
	n.Policy.ApprovalThresholdEUR = 0
	for i := range n.Stock {
		if s, ok := n.Site(n.Stock[i].Site); ok && s.Kind == sillage.KindDC {
			n.Stock[i].OnHand = float64(int(n.Stock[i].OnHand / 4))
		}
	}
}
