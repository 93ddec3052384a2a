// Command benchtp measures the time-phased plan (optimize/timephased) for
// scripts/bench-optimize -timephased. It runs every case in a child
// process of its own (itself with -case), so that each case's peak RSS is
// its own, and prints Markdown tables:
//
//   - the sample network (testdata/networks/maison.yaml), 13 weeks, integer
//     week-0 orders: file to plan, end to end;
//   - generated networks seeded into a SQLite store by `sillage
//     gen-network --db` (104 weeks of history) and planned from the store
//     (store.LoadPlanNetwork, last 4 weeks): columns before and after
//     reduction, parts, time and RSS of the split plan, and the
//     monolithic plan and the split's gap where the monolithic one is
//     asked for (-mono);
//   - the LP relaxation built and solved in process against `clp FILE
//     -dualsimplex` on its MPS file (CPU seconds);
//   - a warm re-plan after one boutique's stock changes against the cold
//     plan (Session).
//
// CPU time (user + system) is the fair measure on a shared machine; wall
// times are shown beside it.
package main
