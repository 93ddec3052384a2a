package devserver

import "syscall"

// setParentDeathSignal asks the kernel to SIGKILL the child when its
// parent dies.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
