package audit

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
)

// Probes configures the behavioural probes of an audit for one system's
// lists (see [ProbeLists]); Run builds it from the spec's probes section.
// The zero value runs no probe.
type Probes struct {
	// Consent configures the consent probe; nil means it does not run.
	// Its Src is ignored: the streams are derived from Seed.
	Consent *probe.Consent
	// Inference configures the attribute-inference probe; nil means it
	// does not run. Its Src is ignored, and in an audit its verdict is
	// decided again by [Result.Finalize] from the test's q-value.
	Inference *probe.Inference
	// Attributes names the user groupings (UserGroups.Attribute) whose
	// attribute the inference probe predicts; nil means every grouping of
	// Groups.Users that is not an intersection.
	Attributes []string
	// Seed seeds the probes. Each system's random streams are derived
	// from Seed and the system's name, so that a system's results do not
	// depend on the other systems of the audit or on the order they run
	// in.
	Seed uint64
}

// ConsentResult is the consent probe's result for one system: do the
// users who did not consent to personalisation get lists that depend on
// their own history? It holds counts, shares and means over users, never
// a user.
type ConsentResult struct {
	// Column is the users column of consent, for example
	// consent_personalization.
	Column string `json:"column"`
	// Lists probes the system's lists as the audit scored them
	// (probe.Consent.Lists): a system that honours consent gives every
	// non-consenting user the same list.
	Lists *probe.ListsResult `json:"lists"`
	// Rerun probes the system run again with the non-consenting users'
	// histories perturbed (probe.Consent.Rerun); nil when the system was
	// not run again (a recommendation file; a built-in algorithm unless
	// the spec asks for it).
	Rerun *probe.RerunResult `json:"rerun"`
	// RerunMode says how the system was run again: "direct" (asked for
	// every user and told their consent, so that its own consent handling
	// is tested: exec systems), "managed" (as recaudit runs it, the
	// non-consenting users served recaudit's fallback: built-in
	// algorithms), or "" without a rerun.
	RerunMode string `json:"rerun_mode"`
	// Flagged reports whether either probe flagged the system.
	Flagged bool `json:"flagged"`
}

// Modes of ConsentResult.RerunMode.
const (
	RerunDirect  = "direct"
	RerunManaged = "managed"
)

// Stream constants of the probes, mixed with the hash of a system's name.
const (
	streamConsentLists = 0x636f6e73656e7431 // "consent1"
	streamConsentRerun = 0x636f6e73656e7432 // "consent2"
	streamInference    = 0x696e666572656e31 // "inferen1"
)

// probeSource returns the random source of one probe of the system name.
func probeSource(seed uint64, name string, stream uint64) rand.Source {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.NewPCG(seed, h.Sum64()^stream)
}

// consentColumn returns the name of d's users column of consent, "" when
// it has none.
func consentColumn(d *datasets.Dataset) string {
	if cols := d.UserColumnsWithRole(datasets.RoleConsent); len(cols) > 0 {
		return cols[0].Name
	}
	return ""
}

// ProbeLists runs the probes p configures on one system's lists and
// returns their results, for SystemResult.Consent and
// SystemResult.Inference:
//
//   - the consent probe of the lists (probe.Consent.Lists): the share of
//     the users who did not consent to personalisation whose list differs
//     from those users' common list, and permutation tests of how alike
//     their lists are and how close to the most-popular list of the
//     training split, against the consenting users'. It runs only when
//     the users table has a consent column; otherwise its result is nil.
//   - the attribute-inference probe (probe.Inference.Run) of every
//     attribute p names, on the lists' first Inference.K items, with the
//     items' categories of g as features: how well each attribute can be
//     predicted from a user's list alone. Its result is nil when there is
//     no attribute to infer.
//
// The lists are sys.Rankings, one row per user of in.Dataset; users
// without a list are left out of both probes. The tests' q-values are
// left to [Result.Finalize]. The same inputs and p give the same results
// whatever GOMAXPROCS is.
//
// ProbeLists returns an error wrapping ErrInput when the lists or the
// training split do not match the dataset's users, or p names an
// attribute g does not have, and ctx.Err() when ctx is cancelled. It
// panics on invalid probe settings (see package probe).
func ProbeLists(ctx context.Context, in Input, g *Groups, sys System, p Probes) (*ConsentResult, *probe.InferenceResult, error) {
	d := in.Dataset
	lists := &sys.Rankings
	if lists.Users() != d.Users.Len() || in.Train.Rows != d.Users.Len() {
		return nil, nil, fmt.Errorf("%w: system %q has lists for %d users and a training split of %d; the dataset has %d users",
			ErrInput, sys.Name, lists.Users(), in.Train.Rows, d.Users.Len())
	}
	var targets []probe.InferenceTarget
	if p.Inference != nil {
		var err error
		if targets, err = inferenceTargets(g, p.Attributes); err != nil {
			return nil, nil, err
		}
	}
	var cr *ConsentResult
	if col := consentColumn(d); p.Consent != nil && col != "" {
		c := *p.Consent
		c.Src = probeSource(p.Seed, sys.Name, streamConsentLists)
		cr = &ConsentResult{Column: col, Lists: c.Lists(lists, in.Train, d.Consent())}
		cr.Flagged = cr.Lists.Flagged
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var ir *probe.InferenceResult
	if p.Inference != nil && len(targets) > 0 {
		c := *p.Inference
		c.Src = probeSource(p.Seed, sys.Name, streamInference)
		nCats := 0
		if g.Categories.Offsets != nil {
			nCats = len(g.CategoryLevels)
		}
		pin := probe.InferenceInput{
			Lists:    fairness.Rankings{Offsets: lists.Offsets, Items: lists.Items},
			NumItems: d.Items.Len(), Categories: g.Categories, NumCategories: nCats,
		}
		var err error
		if ir, err = c.Run(ctx, pin, targets); err != nil {
			return nil, nil, err
		}
	}
	return cr, ir, nil
}

// inferenceTargets returns the groupings of g named by attributes (nil:
// every one that is not an intersection) as targets of the inference
// probe, with the groups the audit suppressed.
func inferenceTargets(g *Groups, attributes []string) ([]probe.InferenceTarget, error) {
	var picked []*UserGroups
	if attributes == nil {
		for _, ug := range g.Users {
			if !strings.Contains(ug.Attribute, IntersectionSep) {
				picked = append(picked, ug)
			}
		}
	} else {
		for _, a := range attributes {
			i := slices.IndexFunc(g.Users, func(ug *UserGroups) bool { return ug.Attribute == a })
			if i < 0 {
				return nil, fmt.Errorf("%w: the inference probe's attribute %q is not a user grouping of the audit", ErrInput, a)
			}
			picked = append(picked, g.Users[i])
		}
	}
	targets := make([]probe.InferenceTarget, len(picked))
	for i, ug := range picked {
		targets[i].Grouping = ug.Grouping()
		for _, s := range ug.Suppressed {
			targets[i].Suppressed = append(targets[i].Suppressed, probe.SuppressedGroup(s))
		}
	}
	return targets, nil
}

// rerun runs the consent probe's rerun of one built-in or exec system:
// direct for exec (asked for every user, told their consent), managed for
// a built-in (recaudit's runner with its fallback).
func (r *runner) rerun(ctx context.Context, in Input, rec recommenders.Recommender, name string, direct bool) (*probe.RerunResult, error) {
	d := in.Dataset
	c := *r.probes.Consent
	c.Src = probeSource(r.probes.Seed, name, streamConsentRerun)
	consent := d.Consent()
	system := probe.Managed(rec, consent)
	if direct {
		system = probe.Direct(rec, consent)
	}
	view := &recommenders.TrainView{Interactions: *in.Train, ItemColumns: d.ItemColumns}
	res, err := c.Rerun(ctx, system, view, consent)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("system %q: consent probe: %w", name, err)
	}
	return res, nil
}

// probe runs the probes of one scored system into o: the lists probes,
// and the rerun when rec is not nil (a built-in or exec system) and the
// spec asks for it.
func (r *runner) probe(ctx context.Context, in Input, g *Groups, o *systemOutcome, sys System, sp systemPlan, rec recommenders.Recommender) error {
	p := r.probes
	if p.Consent == nil && p.Inference == nil {
		return nil
	}
	start := r.now()
	cr, ir, err := ProbeLists(ctx, in, g, sys, p)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("system %q: %w", sys.Name, err)
	}
	if cr != nil && rec != nil && (sp.algo == "exec" || r.pl.probes.rerunBuiltins) {
		direct := sp.algo == "exec"
		if cr.Rerun, err = r.rerun(ctx, in, rec, sys.Name, direct); err != nil {
			return err
		}
		cr.RerunMode = RerunManaged
		if direct {
			cr.RerunMode = RerunDirect
		}
		cr.Flagged = cr.Flagged || cr.Rerun.Flagged
		o.access = append(o.access, rerunAccess(sys.Name, in.Dataset, in.Train, cr.Column, direct)...)
	}
	o.res.Consent, o.res.Inference = cr, ir
	o.probes = r.now().Sub(start).Seconds()
	return nil
}

// rerunAccess records what the consent probe's reruns of a system read.
func rerunAccess(system string, d *datasets.Dataset, train *datasets.CSR, consentCol string, direct bool) []DataAccess {
	const rows = "training split, with the histories of the users who did not consent perturbed (consent probe)"
	if direct {
		return []DataAccess{
			{Stage: "probe", System: system, Reader: ReaderExternal, Table: "interactions", Rows: rows,
				Columns: interactionColumns(train, true), Via: "file train.arrow"},
			{Stage: "probe", System: system, Reader: ReaderExternal, Table: "items", Rows: "all",
				Columns: itemColumnNames(d), Via: "file items.arrow"},
			{Stage: "probe", System: system, Reader: ReaderExternal, Table: "users", Rows: "all",
				Columns: []string{"user_id", consentCol}, Via: "file users.arrow (consent as column " + recommenders.ConsentColumn + ", so that the system's own consent handling is tested)"},
		}
	}
	return []DataAccess{
		{Stage: "probe", System: system, Reader: ReaderRecommender, Table: "interactions", Rows: rows,
			Columns: interactionColumns(train, true), Via: "in process (recommenders.TrainView: dense indices, no IDs)"},
		{Stage: "probe", System: system, Reader: ReaderRecommender, Table: "items", Rows: "all",
			Columns: itemColumnNames(d), Via: "in process (recommenders.TrainView: dense indices, no IDs)"},
		{Stage: "probe", System: system, Reader: ReaderRecommender, Table: "users", Rows: "consenting users",
			Columns: []string{"user_id"}, Via: "in process (dense indices, no IDs)"},
		{Stage: "probe", System: system, Reader: ReaderRecaudit, Table: "users", Rows: "all",
			Columns: []string{consentCol}, Via: "in process (to serve the non-personalised fallback; not passed to the recommender)"},
	}
}

// probesAccess records what the lists probes read, for every system.
func (r *runner) probesAccess(d *datasets.Dataset) []DataAccess {
	var out []DataAccess
	if col := consentColumn(d); r.probes.Consent != nil && col != "" {
		out = append(out, DataAccess{Stage: "scoring", Reader: ReaderRecaudit, Table: "users", Rows: "users with a list",
			Columns: []string{"user_id", col}, Via: "in process (consent probe: do the lists of the users who did not consent depend on their history?)"})
	}
	if r.probes.Inference != nil && len(r.probes.Attributes) > 0 {
		out = append(out, DataAccess{Stage: "scoring", Reader: ReaderRecaudit, Table: "users", Rows: "users with a list",
			Columns: append([]string{"user_id"}, r.probes.Attributes...),
			Via:     "in process (attribute-inference probe: the labels a classifier learns to predict from the lists; no recommender sees them)"})
	}
	return out
}

// probeTests returns pointers to the tests of the system's probes: the
// lists probe's overlap and distance tests at each cutoff, and the
// inference probe's test of each attribute.
func (s *SystemResult) probeTests() []*fairness.Test {
	var ts []*fairness.Test
	if s.Consent != nil && s.Consent.Lists != nil {
		for i := range s.Consent.Lists.ByCutoff {
			c := &s.Consent.Lists.ByCutoff[i]
			ts = append(ts, &c.Overlap.Test, &c.PopularDistance.Test)
		}
	}
	if s.Inference != nil {
		for i := range s.Inference.Attributes {
			ts = append(ts, &s.Inference.Attributes[i].Test)
		}
	}
	return ts
}

// settleInference decides the inference verdicts after the correction
// for multiple testing: an attribute leaks when the q-value of its test
// is below QThreshold and its AUC exceeds the shuffled mean by at least
// the minimum lift; the p-value alone, which the probe's own verdict
// uses, does not account for the audit's many tests.
func (s *SystemResult) settleInference() {
	if s.Inference == nil {
		return
	}
	st := &s.Inference.Settings
	st.Alpha = QThreshold
	st.Rule = fmt.Sprintf("leaks if the %s test's Benjamini–Hochberg q-value (over every test of the audit) < %s and AUC − shuffled mean ≥ min_lift; undetermined with fewer than two classes",
		st.PValue, strconv.FormatFloat(QThreshold, 'g', -1, 64))
	for i := range s.Inference.Attributes {
		a := &s.Inference.Attributes[i]
		if a.Verdict == probe.InferenceUndetermined {
			continue
		}
		a.Verdict = probe.InferenceNoEvidence
		if significant(a.Test.Q) && float64(a.Lift) >= st.MinLift {
			a.Verdict = probe.InferenceLeaks
		}
	}
}

// Finding kinds of the probes.
const (
	KindConsent   = "consent"
	KindInference = "inference"
)

// probeFindings states what the probes of s found: a consent probe that
// flagged the system, an attribute its lists leak.
func probeFindings(s *SystemResult) []Finding {
	var out []Finding
	if c := s.Consent; c != nil {
		if f, ok := listsFinding(s.Name, c); ok {
			out = append(out, f)
		}
		if f, ok := rerunFinding(s.Name, c); ok {
			out = append(out, f)
		}
	}
	if s.Inference != nil {
		k := s.Inference.Settings.K
		for _, a := range s.Inference.Attributes {
			if a.Verdict != probe.InferenceLeaks {
				continue
			}
			multi := ""
			if len(a.Classes) > 2 {
				multi = fmt.Sprintf(" (the mean over its %d groups of the AUC of each against the rest)", len(a.Classes))
			}
			text := fmt.Sprintf("The top-%d lists of %s leak %s: a classifier that sees only a user's list predicts it with AUC %s %s%s, against %s for shuffled labels (%s to %s), %s.",
				k, s.Name, attrLabel(a.Attribute), num(float64(a.AUC.Value)), interval(a.AUC.CI, num), multi,
				num(float64(a.Shuffled.Mean)), num(float64(a.Shuffled.Min)), num(float64(a.Shuffled.Max)), formatQ(float64(a.Test.Q)))
			out = append(out, Finding{System: s.Name, Kind: KindInference, Metric: "auc@" + strconv.Itoa(k), Attribute: a.Attribute, Cutoff: k,
				Groups: slices.Clone(a.Classes), Q: a.Test.Q, Text: text})
		}
	}
	return out
}

// listsFinding states the smallest cutoff at which the lists probe
// flagged the system.
func listsFinding(system string, c *ConsentResult) (Finding, bool) {
	if c.Lists == nil || !c.Lists.Flagged {
		return Finding{}, false
	}
	i := slices.IndexFunc(c.Lists.ByCutoff, func(lc probe.ListsCutoff) bool { return lc.Flagged })
	lc := c.Lists.ByCutoff[i]
	text := fmt.Sprintf("%s personalises the lists of users who did not consent to personalisation: in the top %d, %s %s of them (%d of %d) get a list other than the one most of them share, against %s of the consenting users; a system that honours consent gives them all the same list.",
		system, lc.K, pct(float64(lc.Share.Value)), interval(lc.Share.CI, pct), lc.Personalised, c.Lists.NonConsenting, pct(float64(lc.ConsentingShare.Value)))
	return Finding{System: system, Kind: KindConsent, Metric: "personalised_share@" + strconv.Itoa(lc.K), Attribute: c.Column, Cutoff: lc.K,
		Groups: []string{}, Q: fairness.Float(math.NaN()), Text: text}, true
}

// rerunDescriptions say what a perturbation did to the non-consenting
// users' histories.
var rerunDescriptions = map[string]string{
	probe.PerturbDrop.String():    "dropped",
	probe.PerturbShuffle.String(): "shuffled among them",
	probe.PerturbRandom.String():  "replaced by random items",
}

// rerunFinding states the flagged perturbation and cutoff of the rerun
// with the largest share of violating users.
func rerunFinding(system string, c *ConsentResult) (Finding, bool) {
	if c.Rerun == nil || !c.Rerun.Flagged {
		return Finding{}, false
	}
	var best *probe.RerunCutoff
	var how string
	for _, p := range c.Rerun.Perturbations {
		for i := range p.Cutoffs {
			rc := &p.Cutoffs[i]
			if rc.Flagged && (best == nil || rc.Share.Value > best.Share.Value) {
				best, how = rc, p.Perturbation
			}
		}
	}
	asked := "asked for every user and told their consent"
	if c.RerunMode == RerunManaged {
		asked = "run as recaudit runs it"
	}
	text := fmt.Sprintf("%s personalises the lists of users who did not consent to personalisation: %s and run again after their histories were %s, it changed the top-%d lists of %s %s of them (%d of %d), by 1 − RBO %s %s on average.",
		system, asked, rerunDescriptions[how], best.K, pct(float64(best.Share.Value)), interval(best.Share.CI, pct), best.Violating, best.Probed,
		num(float64(best.RBOChange.Value)), interval(best.RBOChange.CI, num))
	return Finding{System: system, Kind: KindConsent, Metric: "violating_share_" + how + "@" + strconv.Itoa(best.K), Attribute: c.Column, Cutoff: best.K,
		Groups: []string{}, Q: fairness.Float(math.NaN()), Text: text}, true
}

// setProbes sets the probes of the run from the plan, once the sensitive
// attributes are known.
func (r *runner) setProbes(gc GroupsConfig) error {
	attrs, err := r.spec.probeAttributes(r.pl, gc)
	if err != nil {
		return err
	}
	r.probes = Probes{Consent: r.pl.probes.consent, Inference: r.pl.probes.inference, Attributes: attrs, Seed: r.spec.Seed}
	return nil
}
