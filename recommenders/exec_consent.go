package recommenders

import "github.com/recaudit/recaudit/datasets"

// ConsentColumn is the name of the column of the users file in which
// [Exec] tells an external system each asked user's consent to
// personalisation, after [Exec.SetConsent].
const ConsentColumn = "consent_personalization"

const errConsentUsers = "recommenders: SetConsent: consent length differs from the number of users"

// ConsentSetter is implemented by recommenders that can be told which
// users consented to personalisation, so that they apply their own
// consent handling: [Exec] passes it to the external command.
//
// Consent is an instruction to the system (do not personalise for this
// user), not a sensitive attribute. The runner never needs it:
// [Run] keeps non-consenting users away from the recommender and serves
// them its fallback. It exists for the consent probe (package probe),
// which asks a system for every user, non-consenting included, to test
// the system's own handling of consent.
type ConsentSetter interface {
	// SetConsent gives each user's consent to personalisation, indexed
	// by dense user index; nil means that consent is not passed on.
	SetConsent(consent []bool)
}

// SetConsent makes Recommend write, for each asked user, their consent to
// personalisation as a boolean column [ConsentColumn] (role "consent" in
// the field metadata) of the users file {users}, next to user_id. consent
// is indexed by dense user index and must have one value per user of the
// IDs given to SetIDs; nil (the default) writes no such column. Exec
// retains consent until the next call; the caller must not modify it.
//
// Recommend panics if consent is not nil and its length differs from the
// number of users.
func (e *Exec) SetConsent(consent []bool) { e.consent = consent }

// consentColumns returns the user columns of the users file for the
// asked users: the consent column when SetConsent gave one, else none.
func (e *Exec) consentColumns(users []int32) []datasets.Column {
	if e.consent == nil {
		return nil
	}
	if e.users != nil && len(e.consent) != e.users.Len() {
		panic(errConsentUsers)
	}
	b := make([]bool, len(users))
	for i, u := range users {
		b[i] = e.consent[u]
	}
	return []datasets.Column{{Name: ConsentColumn, Role: datasets.RoleConsent, Kind: datasets.Bool, Bools: b}}
}
