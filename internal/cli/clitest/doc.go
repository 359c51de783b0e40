// Package clitest holds test helpers shared by the command packages: a
// small hand-made dataset and a writer for it.
//
// # Invariants
//
// Helpers write only below the directories they are given and fail the
// test on any error.
package clitest
