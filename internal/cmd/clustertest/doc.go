// Command clustertest is the Go half of scripts/cluster-test: it drives a
// cluster started by scripts/cluster and checks it.
//
//	clustertest network --out FILE
//	    writes the sample network (testdata/networks/maison.yaml) for the
//	    test: no approvals (every order goes on at once) and a quarter of
//	    the distribution centres' stock (plans buy from suppliers).
//	clustertest run --dir STATE [--duration 5m] [faults...]
//	    runs the RFID simulator against the cluster in STATE (each site
//	    with its own MQTT credentials, every message recorded once the
//	    broker acknowledged it), asks the network's planner for plans on
//	    demand, injects faults at random moments through `scripts/cluster
//	    kill|restart NAME`, lets the system drain, checks it (package
//	    internal/clustertest) and prints, last,
//	    "cluster: P plans, O orders, M messages, K faults, L lost, D duplicates".
//	    It exits 1 when anything is lost, duplicated or wrong.
package main
