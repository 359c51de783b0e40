// Package demo generates recaudit's built-in demo dataset.
package demo
