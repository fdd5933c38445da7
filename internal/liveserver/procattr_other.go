//go:build !linux

package liveserver

import "os/exec"

// dieWithParent is a no-op where the kernel offers no parent-death signal;
// owners still stop their processes with Stop or Kill.
func dieWithParent(*exec.Cmd) {}
