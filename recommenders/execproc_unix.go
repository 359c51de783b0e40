//go:build unix

package recommenders

import (
	"os/exec"
	"syscall"
)

// killGroup runs the command in a process group of its own and makes
// cancellation kill the whole group, so that the children of a shell
// command (sh -c '...') do not outlive it.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
