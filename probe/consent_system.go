package probe

import (
	"context"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
)

// System is a recommender system as the consent probe re-runs it: trained
// on train, it returns the top-k lists of every user of train, as a
// Rankings with one row per user. The probe calls it several times, on
// the original and on perturbed training data; it must not keep or modify
// train.
type System func(ctx context.Context, train *recommenders.TrainView, k int) (datasets.Rankings, error)

// Managed returns the System that recaudit itself runs for rec:
// [recommenders.Run] with the users' consent, which never shows the
// non-consenting users to rec and serves them the non-personalised
// fallback. Probing it tests recaudit's runner, not rec: every built-in
// algorithm passes. consent is indexed by user (nil: everyone consents);
// the System retains it.
//
// Adapters that need the dataset's external IDs ([recommenders.IDSetter])
// must have them set before the System is run.
func Managed(rec recommenders.Recommender, consent []bool) System {
	return func(ctx context.Context, train *recommenders.TrainView, k int) (datasets.Rankings, error) {
		lists, _, err := recommenders.Run(ctx, rec, train, allUsers(train.NumUsers()), consent, k)
		return lists, err
	}
}

// Direct returns the System that asks rec for every user, the
// non-consenting included, after telling rec each user's consent when it
// implements [recommenders.ConsentSetter] (as [recommenders.Exec] does, in a
// column of the users file it hands to the command). Probing it tests the
// system's own handling of consent: use it for a system that receives
// every user in production, such as an external one run through exec. A
// built-in algorithm run directly ignores consent, and the probe says so.
// consent is indexed by user (nil: everyone consents); the System retains
// it.
func Direct(rec recommenders.Recommender, consent []bool) System {
	return func(ctx context.Context, train *recommenders.TrainView, k int) (datasets.Rankings, error) {
		if s, ok := rec.(recommenders.ConsentSetter); ok {
			s.SetConsent(consent)
		}
		if err := rec.Fit(ctx, train); err != nil {
			return datasets.Rankings{}, err
		}
		return rec.Recommend(ctx, allUsers(train.NumUsers()), k)
	}
}

// allUsers returns the user indices 0..n-1.
func allUsers(n int) []int32 {
	users := make([]int32, n)
	for u := range users {
		users[u] = int32(u)
	}
	return users
}
