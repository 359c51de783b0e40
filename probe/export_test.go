package probe

// ShuffledTP exposes the p-value of ShuffledTPValue to the external tests.
func ShuffledTP(auc, m, s float64, n int) float64 {
	_, _, p, _ := shuffledT(auc, m, s, n)
	return p
}
