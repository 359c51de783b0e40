// Package recommenders defines recaudit's pluggable recommender interface,
// its registry, the built-in algorithms and the adapters for external
// systems.
//
// # Data minimisation
//
// Algorithms learn from a [TrainView]: the training interactions and the
// item attributes only. User attributes, sensitive or not, and consent flags
// are not reachable from it.
//
// # Invariants
//
// Algorithms never modify the TrainView they are given. Rankings returned by
// Recommend are owned by the caller.
package recommenders
