// Package all assembles the registry of recaudit's built-in recommenders,
// in one visible function, as restic's backend/all does for storage
// backends. Programs that want only some algorithms, or their own, build
// a recommenders.Registry themselves.
//
// # Invariants
//
// Default returns a new registry on every call; the caller owns it and may
// register more algorithms in it.
package all

import "github.com/recaudit/recaudit/recommenders"

// Default returns a registry holding every built-in algorithm and
// adapter:
//
//	random    uniform draws from the items the user has not seen
//	popular   most popular items by distinct training users
//	itemknn   item-based top-N, cosine, k neighbours per item
//	userknn   user-based top-N, cosine, k most similar users
//	ease      EASE^R closed-form linear autoencoder
//	als       implicit-feedback matrix factorisation (ALS)
//	bpr       Bayesian personalised ranking matrix factorisation
//	file      lists read from a recommendation file
//	exec      an external program run on the training split
func Default() *recommenders.Registry {
	r := recommenders.NewRegistry()
	r.Register("random", recommenders.RandomFactory())
	r.Register("popular", recommenders.PopularFactory())
	r.Register("itemknn", recommenders.ItemKNNFactory())
	r.Register("userknn", recommenders.UserKNNFactory())
	r.Register("file", recommenders.FileFactory())
	r.Register("exec", recommenders.ExecFactory())

	r.Register("ease", recommenders.EASEFactory())
	r.Register("als", recommenders.ALSFactory())
	r.Register("bpr", recommenders.BPRFactory())
	return r
}
