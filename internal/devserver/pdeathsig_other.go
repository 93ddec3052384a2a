//go:build !linux

package devserver

import "syscall"

// setParentDeathSignal does nothing where the kernel has no parent-death
// signal.
func setParentDeathSignal(*syscall.SysProcAttr) {}
