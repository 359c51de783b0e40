package recommenders_test

import (
	"math/rand/v2"
	"testing"

	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/rectest"
)

func TestConformance(t *testing.T) {
	cases := []struct {
		name string
		new  func() recommenders.Recommender
		opts []rectest.Option
	}{
		{"random", func() recommenders.Recommender { return &recommenders.Random{Src: rand.NewPCG(1, 2)} }, nil},
		{"popular", func() recommenders.Recommender { return &recommenders.Popular{} }, nil},
		{"popular/include-train", func() recommenders.Recommender { return &recommenders.Popular{IncludeTraining: true} },
			[]rectest.Option{rectest.IncludesTraining()}},
		{"itemknn", func() recommenders.Recommender { return &recommenders.ItemKNN{} }, nil},
		{"itemknn/values", func() recommenders.Recommender {
			return &recommenders.ItemKNN{Neighbors: 5, Shrink: 2, UseValues: true}
		}, nil},
		{"userknn", func() recommenders.Recommender { return &recommenders.UserKNN{} }, nil},
		{"userknn/values", func() recommenders.Recommender {
			return &recommenders.UserKNN{Neighbors: 5, Shrink: 2, UseValues: true}
		}, nil},
		{"ease", func() recommenders.Recommender { return recommenders.NewEASE(recommenders.EASE{Lambda: 10}) }, nil},
		{"als", func() recommenders.Recommender {
			return recommenders.NewALS(recommenders.ALS{Factors: 8, Iterations: 3, Seed: 1})
		}, nil},
		{"bpr", func() recommenders.Recommender {
			return recommenders.NewBPR(recommenders.BPR{Factors: 8, Epochs: 3, Seed: 1})
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { rectest.Run(t, c.new, c.opts...) })
	}
}
