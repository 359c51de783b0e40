package fairness

import (
	"encoding/json"
	"math"
	"testing"
)

func TestTestUnmarshalMissing(t *testing.T) {
	for _, tc := range []struct {
		doc          string
		stat, p, q   float64 // NaN = undefined
		method       string
		df, resample int
	}{
		// A complete test reads back as written.
		{`{"method":"permutation","statistic":0.5,"df":0,"p":0.01,"q":0.03,"resamples":999}`, 0.5, 0.01, 0.03, "permutation", 0, 999},
		// null is undefined, as before.
		{`{"method":"permutation","statistic":null,"p":null,"q":null}`, math.NaN(), math.NaN(), math.NaN(), "permutation", 0, 0},
		// Missing values are undefined too, not 0 (q = 0 would be
		// "significant").
		{`{"method":"kruskal-wallis","df":2,"p":0.2}`, math.NaN(), 0.2, math.NaN(), "kruskal-wallis", 2, 0},
		{`{}`, math.NaN(), math.NaN(), math.NaN(), "", 0, 0},
	} {
		var got Test
		if err := json.Unmarshal([]byte(tc.doc), &got); err != nil {
			t.Fatalf("%s: %v", tc.doc, err)
		}
		same := func(a Float, b float64) bool {
			return math.IsNaN(b) && math.IsNaN(float64(a)) || float64(a) == b
		}
		if !same(got.Statistic, tc.stat) || !same(got.P, tc.p) || !same(got.Q, tc.q) ||
			got.Method != tc.method || got.DF != tc.df || got.Resamples != tc.resample {
			t.Errorf("%s: got %+v", tc.doc, got)
		}
	}
	var bad Test
	if err := json.Unmarshal([]byte(`{"p":"x"}`), &bad); err == nil {
		t.Error("a string p-value was accepted")
	}
}
