// Package e2e holds sillage's end-to-end tests, which run the real binary
// (built once per test run with go build) as separate processes:
//
//   - TestDev runs `sillage dev` in a temporary folder, waits until a plan
//     is done and purchase orders wait for approval (asked of Temporal by
//     search attributes), scrapes its metrics, checks the Temporal Web UI
//     and the generated report in headless Chromium, stops it with SIGINT
//     (no process may survive), runs it again and checks that nothing was
//     duplicated.
//   - TestMultiProcess runs the Temporal dev server, PostgreSQL (database
//     of its own on $SILLAGE_TEST_POSTGRES), a real Mosquitto with the
//     deployment's configuration and ACL, two `sillage worker` processes
//     and one `sillage ingest`; it kills one worker with SIGKILL in the
//     middle of a plan, and checks that the other finishes it and that the
//     store holds every order exactly once.
//
// Each test skips, saying why, when a service binary it needs is missing
// (temporal, mosquitto, chromium) or $SILLAGE_TEST_POSTGRES is unset; CI
// installs and sets them all. -short skips them too.
package e2e
