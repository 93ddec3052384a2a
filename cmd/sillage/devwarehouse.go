package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// devReceiptDelay is the time from a transfer order to its receipt at the
// destination in the warehouses that dev simulates.
const devReceiptDelay = 20 * time.Second

// devSerialsPerRun is the range of tag serials of one dev run of the RFID
// simulator: a billion tags, over 290 days at 2 messages of 20 tags a
// second.
const devSerialsPerRun = 1_000_000_000

// devSimRunsFile counts the simulator's runs in the dev state dir.
const devSimRunsFile = "sim-runs"

// devSerialBase counts this run in DIR/sim-runs and returns the serial
// base of the RFID simulator: the previous runs times devSerialsPerRun,
// so that no run reuses the tag serials of another against the same
// store. A missing counter starts at 0.
func devSerialBase(dir string) (uint64, error) {
	path := filepath.Join(dir, devSimRunsFile)
	var runs uint64
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if runs, err = strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32); err != nil {
			return 0, fmt.Errorf("%s: want a run count: %w", path, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return 0, fmt.Errorf("read the simulator's run count: %w", err)
	}
	if err := os.WriteFile(path, []byte(strconv.FormatUint(runs+1, 10)+"\n"), 0o644); err != nil {
		return 0, fmt.Errorf("write the simulator's run count: %w", err)
	}
	return runs * devSerialsPerRun, nil
}
