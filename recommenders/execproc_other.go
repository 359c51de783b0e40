//go:build !unix

package recommenders

import "os/exec"

// killGroup leaves the default cancellation, which kills the command's
// process only.
func killGroup(cmd *exec.Cmd) {}
