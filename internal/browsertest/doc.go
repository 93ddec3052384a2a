// Package browsertest drives headless Chromium (Debian's chromium, with
// chromedp) for the browser checks of sillage's tests: the generated HTML
// report, and the Temporal Web UI that planners use. It starts the browser
// with a fresh profile and flags that keep it off the network, skips the
// test when no Chromium is installed, and keeps screenshots as test
// artefacts in testdata/artifacts/ at the module root (git-ignored).
package browsertest
