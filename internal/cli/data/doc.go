// Package data implements "recaudit data", the group of commands that
// generate, validate, inspect, convert and import datasets. Each subcommand
// lives in its own package below this one.
//
// # Invariants
//
// The group command itself reads and writes nothing; it only shows help or
// rejects an unknown subcommand.
package data
