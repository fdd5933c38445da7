package liveserver

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill the child when the process that
// started it dies, so an interrupted test or load run leaves no server behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
