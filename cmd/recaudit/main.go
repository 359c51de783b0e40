// Command recaudit tests recommender systems for fairness.
package main

import (
	"os"

	"github.com/recaudit/recaudit/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
