package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/probe"
)

// privacyKinds are the finding kinds of the probes, as audit.Finding.Kind,
// with their titles in the summary. They are listed among the key
// findings but not counted in the fairest system's tally, which is about
// how groups are treated.
var privacyKinds = []struct{ kind, title string }{
	{audit.KindConsent, "Consent to personalisation"},
	{audit.KindInference, "What the lists reveal"},
}

// hasProbes reports whether any system of the result was probed.
func (b *builder) hasProbes() bool {
	for _, s := range b.res.Systems {
		if s.Consent != nil || s.Inference != nil {
			return true
		}
	}
	return false
}

// probeEffect returns the size of a probe finding for ranking it among
// the key findings: the violating or personalised share of a consent
// finding, the lift of an inference finding over the shuffled mean; NaN
// when the finding cannot be matched.
func probeEffect(s *audit.SystemResult, f audit.Finding) float64 {
	switch f.Kind {
	case audit.KindConsent:
		if c := s.Consent; c != nil && c.Lists != nil {
			if strings.HasPrefix(f.Metric, "personalised_share@") {
				for _, lc := range c.Lists.ByCutoff {
					if lc.K == f.Cutoff {
						return f64(lc.Share.Value)
					}
				}
			}
		}
		if c := s.Consent; c != nil && c.Rerun != nil {
			best := math.NaN()
			for _, p := range c.Rerun.Perturbations {
				for _, rc := range p.Cutoffs {
					if rc.Flagged && !(f64(rc.Share.Value) <= best) {
						best = f64(rc.Share.Value)
					}
				}
			}
			return best
		}
	case audit.KindInference:
		if s.Inference != nil {
			for _, a := range s.Inference.Attributes {
				if a.Attribute == f.Attribute {
					return f64(a.Lift)
				}
			}
		}
	}
	return math.NaN()
}

// privacy writes the section on consent and privacy: the consent probe,
// the attribute-inference probe with its chart, the data-minimisation
// record and pseudonymisation.
func (b *builder) privacy() {
	b.section("Consent and privacy")
	b.para("Fair treatment is also about respecting what customers agreed to and what their lists reveal about them. " +
		"Two behavioural probes test each system from the outside, as any system can be tested, including one known only by its output: " +
		"whether the lists of users who did not consent to personalisation still depend on their own history, and how well a user's sensitive attributes " +
		"can be predicted from their list alone. The record of which columns each stage of the audit read shows what every system was given.")
	b.consentProbe()
	b.inferenceProbe()
	b.dataAccess()
}

// probeDisabled reports whether the result's spec turned the consent
// probe (or the inference probe) off.
func (b *builder) probeDisabled(consent bool) bool {
	if b.res.Spec == nil {
		return false
	}
	if consent {
		return !b.res.Spec.Probes.Consent.Enabled
	}
	return !b.res.Spec.Probes.Inference.Enabled
}

// consentProbe writes the consent probe's subsection.
func (b *builder) consentProbe() {
	r := b.res
	b.sub("Consent to personalisation")
	var probed []*audit.SystemResult
	for _, s := range r.Systems {
		if s.Consent != nil {
			probed = append(probed, s)
		}
	}
	if len(probed) == 0 {
		switch {
		case b.probeDisabled(true):
			b.note("The consent probe was turned off in the audit's spec (probes.consent).")
		case r.Spec != nil:
			b.note("The consent probe did not run: the users table has no consent column (a bool column with role consent, such as consent_personalization), so every user counts as consenting.")
		default:
			b.note("This result holds no consent probe (it was not made by the audit runner, or by an older version).")
		}
		return
	}
	col := probed[0].Consent.Column
	b.para(fmt.Sprintf("Users whose %s is false did not consent to personalisation: their lists may not depend on their own history. "+
		"A system that honours this gives all of them the same non-personalised list. The probe counts the non-consenting users whose list differs from the list most of them share, "+
		"with a %s Wilson interval; a system is flagged when the interval's lower bound exceeds the tolerated share. "+
		"It also compares how alike the non-consenting users' lists are (their mean overlap, |A ∩ B|/k over pairs of users) and how far they are from the most-popular list (1 − rank-biased overlap) "+
		"with the consenting users', by one-sided permutation tests over the consent labels.",
		col, b.levelPct()))
	t := &table{Caption: fmt.Sprintf("The lists as audited: non-consenting users with a list of their own [%s interval], and how alike and how close to the most-popular list the two groups' lists are.", b.levelPct()),
		Head: []string{"System", "k", "Non-consenting users", "Personalised", "Consenting, for comparison", "Overlap: non-consenting / consenting", "q", "Distance from most popular: non-consenting / consenting", "q", "Flagged"},
		Num:  []bool{false, true, true, true, true, true, true, true, true, false}}
	for _, s := range probed {
		l := s.Consent.Lists
		if l == nil {
			continue
		}
		for _, lc := range l.ByCutoff {
			t.Rows = append(t.Rows, []string{s.Name, count(lc.K), count(l.NonConsenting),
				fmt.Sprintf("%s (%s)", withCI(f64(lc.Share.Value), lc.Share.CI, fpct), count(lc.Personalised)),
				fpct(f64(lc.ConsentingShare.Value)),
				fnum(f64(lc.Overlap.NonConsenting)) + " / " + fnum(f64(lc.Overlap.Consenting)), fq(f64(lc.Overlap.Test.Q)),
				fnum(f64(lc.PopularDistance.NonConsenting)) + " / " + fnum(f64(lc.PopularDistance.Consenting)), fq(f64(lc.PopularDistance.Test.Q)),
				yesNo(lc.Flagged)})
		}
	}
	b.addTable(t)

	var reruns []*audit.SystemResult
	for _, s := range probed {
		if s.Consent.Rerun != nil {
			reruns = append(reruns, s)
		}
	}
	if len(reruns) == 0 {
		b.para("No system was run again: the probe runs external programs (exec systems) again, with the non-consenting users' histories perturbed, and there is none here. " +
			"Built-in algorithms run through recaudit, which keeps the users who did not consent away from them and serves them the most-popular list, " +
			"so their lists pass by construction (a rerun would check recaudit's runner, at one more fit per perturbation: probes.consent.rerun_builtins in the spec); " +
			"recommendation files cannot be run, so only their lists are probed.")
	} else {
		b.para("Systems that can be run again were: asked for every user, non-consenting included, and told each user's consent (external programs, whose own consent handling is what is tested), " +
			"or run as recaudit runs them (built-in algorithms), once on the training data and once after each perturbation of the non-consenting users' histories " +
			"(dropped; shuffled among them, which moves no popularity count; replaced by random items). A non-consenting user whose list moves, other than with the drift of a shared fallback, is a violation; " +
			"the share of violating users is a lower bound, since a personalised list need not move.")
		rt := &table{Caption: fmt.Sprintf("Reruns: share of the probed non-consenting users whose list moved [%s interval], and the mean change of their lists.", b.levelPct()),
			Head: []string{"System", "Run", "Perturbation", "k", "Probed", "Violating", "1 − Jaccard", "1 − RBO", "Fallback drift (1 − RBO)", "Flagged"},
			Num:  []bool{false, false, false, true, true, true, true, true, true, false}}
		for _, s := range reruns {
			rr := s.Consent.Rerun
			mode := "asked for every user"
			if s.Consent.RerunMode == audit.RerunManaged {
				mode = "as recaudit runs it"
			}
			for _, p := range rr.Perturbations {
				for _, rc := range p.Cutoffs {
					rt.Rows = append(rt.Rows, []string{s.Name, mode, p.Perturbation, count(rc.K), count(rc.Probed),
						withCI(f64(rc.Share.Value), rc.Share.CI, fpct), withCI(f64(rc.JaccardChange.Value), rc.JaccardChange.CI, fnum),
						withCI(f64(rc.RBOChange.Value), rc.RBOChange.CI, fnum), fnum(f64(rc.FallbackRBOChange)), yesNo(rc.Flagged)})
				}
			}
		}
		b.addTable(rt)
	}
	var flagged, passed []string
	for _, s := range probed {
		if s.Consent.Flagged {
			flagged = append(flagged, s.Name)
		} else {
			passed = append(passed, s.Name)
		}
	}
	switch {
	case len(flagged) == 0:
		b.lead("Verdict.", fmt.Sprintf("No system personalises the lists of users who did not consent: %s %s the consent probe.", joinAnd(passed), passVerb(len(passed))))
	default:
		text := fmt.Sprintf("%s %s the lists of users who did not consent (see the findings).", joinAnd(flagged), personaliseVerb(len(flagged)))
		if len(passed) > 0 {
			text += fmt.Sprintf(" %s %s.", capitalize(joinAnd(passed)), passVerb(len(passed)))
		}
		b.lead("Verdict.", text)
	}
}

func passVerb(n int) string {
	if n == 1 {
		return "passes"
	}
	return "pass"
}

func personaliseVerb(n int) string {
	if n == 1 {
		return "personalises"
	}
	return "personalise"
}

// inferenceProbe writes the attribute-inference probe's subsection.
func (b *builder) inferenceProbe() {
	r := b.res
	b.sub("What the lists reveal")
	var probed []*audit.SystemResult
	for _, s := range r.Systems {
		if s.Inference != nil {
			probed = append(probed, s)
		}
	}
	if len(probed) == 0 {
		switch {
		case b.probeDisabled(false):
			b.note("The attribute-inference probe was turned off in the audit's spec (probes.inference).")
		case r.Spec != nil:
			b.note("The attribute-inference probe did not run: there is no sensitive attribute to infer.")
		default:
			b.note("This result holds no attribute-inference probe (it was not made by the audit runner, or by an older version).")
		}
		return
	}
	st := probed[0].Inference.Settings
	k := "whole lists"
	if st.K > 0 {
		k = fmt.Sprintf("the top %s of each list", count(st.K))
	}
	pv := "a permutation p-value over the shuffles"
	if st.PValue == probe.ShuffledTPValue.String() {
		pv = "a p-value from how far the AUC lies above the shuffled ones, in shuffled standard deviations (a t test with " + count(st.Shuffles-1) + " degrees of freedom)"
	}
	lift := ""
	if st.MinLift > 0 {
		lift = fmt.Sprintf(" and its AUC exceeds the shuffled mean by at least %s", trimFloat(st.MinLift, 4))
	}
	b.para(fmt.Sprintf("Anyone who sees a user's recommendations may learn something about the user. For each sensitive attribute, a classifier "+
		"(L2-regularised logistic regression, λ = %s, one group against the rest) learns the attribute from %s: the items listed and the number of them in each category. "+
		"Its predictions for users it did not see (%s-fold cross-validation) are scored by the AUC: the chance that a user of a group is ranked above a user outside it, "+
		"0.5 when the lists reveal nothing, averaged over the groups. The same classifier on shuffled attributes, %s times, gives the AUCs that chance alone reaches (the grey bands), "+
		"and %s. An attribute leaks when the q-value of that test is below %s%s. The interval is a %s bootstrap over users.",
		trimFloat(st.Lambda, 4), k, count(st.Folds), count(st.Shuffles), pv, trimFloat(b.q, 4), lift, trimFloat(100*st.Confidence, 2)+"%"))

	var attrs []string
	m := InferenceAUC{K: st.K, Level: st.Confidence, Significance: "leaks (BH q < " + trimFloat(b.q, 4) + ")"}
	for _, s := range probed {
		sa := SystemAUCs{System: s.Name}
		for _, a := range s.Inference.Attributes {
			if !slices.Contains(attrs, a.Attribute) {
				attrs = append(attrs, a.Attribute)
			}
			sa.Attributes = append(sa.Attributes, AttributeAUC{Attribute: attrLabel(a.Attribute), AUC: f64(a.AUC.Value), Lo: f64(a.AUC.CI[0]), Hi: f64(a.AUC.CI[1]),
				ShuffledLo: f64(a.Shuffled.Min), ShuffledHi: f64(a.Shuffled.Max), Leaks: a.Verdict == probe.InferenceLeaks})
		}
		if len(sa.Attributes) > 0 {
			m.Systems = append(m.Systems, sa)
		}
	}
	if len(m.Systems) == 0 {
		b.note("No attribute was modelled.")
		return
	}
	p, err := InferenceChart(m)
	b.figure("inference-auc", p, err, fmt.Sprintf("AUC of predicting each attribute from %s, per system, with %s intervals; grey bands span the AUCs on shuffled attributes, "+
		"the line is chance. Filled markers are attributes the lists leak.", k, trimFloat(100*st.Confidence, 2)+"%"))

	t := &table{Caption: fmt.Sprintf("Attribute inference from %s: AUC [%s interval], the shuffled baseline (mean, range), the lift over it, the test and the verdict.", k, trimFloat(100*st.Confidence, 2)+"%"),
		Head: []string{"System", "Attribute", "Groups", "Users", "AUC", "Shuffled: mean (range)", "Lift", "p", "q", "Verdict"},
		Num:  []bool{false, false, true, true, true, true, true, true, true, false}}
	var sup []para
	for _, s := range probed {
		for _, a := range s.Inference.Attributes {
			t.Rows = append(t.Rows, []string{s.Name, attrLabel(a.Attribute), count(len(a.Classes)), count(a.Users),
				withCI(f64(a.AUC.Value), a.AUC.CI, fnum),
				fmt.Sprintf("%s (%s–%s)", fnum(f64(a.Shuffled.Mean)), fnum(f64(a.Shuffled.Min)), fnum(f64(a.Shuffled.Max))),
				fsigned(f64(a.Lift)), fq(f64(a.Test.P)), fq(f64(a.Test.Q)), a.Verdict.String()})
			if s == probed[0] {
				for _, g := range a.Suppressed {
					sup = append(sup, para{Text: fmt.Sprintf("%s %s: %s.", attrLabel(a.Attribute), g.Group, g.Reason)})
				}
			}
		}
	}
	b.addTable(t)
	if len(sup) > 0 {
		b.lead("Groups not modelled.", "These groups are too small to model, or suppressed by the audit; their users take no part:")
		b.list(sup)
	}
	var leaks []string
	for _, s := range probed {
		var as []string
		for _, a := range s.Inference.Attributes {
			if a.Verdict == probe.InferenceLeaks {
				as = append(as, attrLabel(a.Attribute))
			}
		}
		if len(as) > 0 {
			leaks = append(leaks, s.Name+" ("+joinAnd(as)+")")
		}
	}
	if len(leaks) == 0 {
		b.lead("Verdict.", "No system's lists reveal an attribute clearly better than chance.")
	} else {
		b.lead("Verdict.", fmt.Sprintf("The lists of %s reveal the attributes named to anyone who sees them. "+
			"A personalised list reflects the user's history, and the history reflects the attributes; even a list of popular items reveals it when it leaves out what the user already has.",
			joinAnd(leaks)))
	}
	b.para("The classifier is a yardstick, not the strongest possible attacker: a stronger model may find a leak this one misses, so “no evidence” is not a proof that a list reveals nothing, while “leaks” is a demonstration that it does.")
}

// dataAccess writes the data-minimisation record and the note on
// pseudonymisation.
func (b *builder) dataAccess() {
	r := b.res
	b.sub("Data minimisation")
	if len(r.DataAccess) == 0 {
		b.note("This result holds no data-minimisation record (it was not made by the audit runner, or by an older version).")
	} else {
		var given []string
		for _, a := range r.DataAccess {
			if a.Reader == audit.ReaderRecaudit || a.Table != "users" {
				continue
			}
			for _, c := range a.Columns {
				if c != "user_id" && !slices.Contains(given, c) && !isConsentColumn(r, c) {
					given = append(given, c)
				}
			}
		}
		text := "Which columns of which table each stage of the audit read, and who read them: the recommenders (or external programs) are given interactions and item attributes, " +
			"and only recaudit's scoring reads the users' sensitive attributes."
		if len(given) == 0 {
			text += " No recommender and no external program was given a users column other than the user ID"
			if b.hasConsentRerun() {
				text += " and, in the consent probe's reruns, the consent to personalisation"
			}
			text += "."
		} else {
			text += " Contrary to that, systems were given the users columns " + joinAnd(given) + "."
		}
		b.para(text)
		t := &table{Caption: "The data-minimisation record of results.json: stage, system, reader, table, rows and columns read, and how they were passed.",
			Head: []string{"Stage", "System", "Read by", "Table", "Rows", "Columns", "Passed"},
			Num:  []bool{false, false, false, false, false, false, false}}
		for _, a := range r.DataAccess {
			t.Rows = append(t.Rows, []string{a.Stage, dash(a.System), a.Reader, a.Table, a.Rows, strings.Join(a.Columns, ", "), a.Via})
		}
		b.addTable(t)
	}
	b.lead("Pseudonymisation.", fmt.Sprintf("Neither results.json nor this report holds a user ID or anything about a single user: every value is an aggregate over at least %s users. "+
		"The per-user table written next to them (per-user.arrow or .parquet) holds one row per system and user; run the audit with --pseudonymize-key (or the environment variable RECAUDIT_PSEUDONYMIZE_KEY) "+
		"to replace its user IDs by keyed HMAC-SHA-256 pseudonyms, the same for the same key, before sharing it.", count(b.minSize)))
}

// isConsentColumn reports whether c is the consent column of a probed
// system.
func isConsentColumn(r *audit.Result, c string) bool {
	for _, s := range r.Systems {
		if s.Consent != nil && s.Consent.Column == c {
			return true
		}
	}
	return false
}

// hasConsentRerun reports whether any system was run again by the
// consent probe.
func (b *builder) hasConsentRerun() bool {
	for _, s := range b.res.Systems {
		if s.Consent != nil && s.Consent.Rerun != nil {
			return true
		}
	}
	return false
}

// fsigned formats a difference with fnum and an explicit plus sign.
func fsigned(v float64) string {
	s := fnum(v)
	if v > 0 && strings.Trim(s, "0.") != "" {
		s = "+" + s
	}
	return s
}

// probesSummary adds the summary's sentence on the probes, when there
// are any.
func (b *builder) probesSummary() {
	if !b.hasProbes() {
		return
	}
	var what []string
	consent, inference := false, false
	var attrs []string
	for _, s := range b.res.Systems {
		consent = consent || s.Consent != nil
		if s.Inference != nil {
			inference = true
			for _, a := range s.Inference.Attributes {
				if l := attrLabel(a.Attribute); !slices.Contains(attrs, l) {
					attrs = append(attrs, l)
				}
			}
		}
	}
	if consent {
		what = append(what, "whether they personalise the lists of users who did not consent to personalisation")
	}
	if inference && len(attrs) > 0 {
		what = append(what, "how well a user's "+joinAnd(attrs)+" can be predicted from their list alone")
	}
	if len(what) == 0 {
		return
	}
	n := 0
	for _, f := range b.res.Findings {
		if f.Kind == audit.KindConsent || f.Kind == audit.KindInference {
			n++
		}
	}
	text := "It also probes " + joinAnd(what) + " (section “Consent and privacy”): "
	if n == 0 {
		text += "the probes found nothing."
	} else {
		text += plural(n, "finding", "findings") + ", listed below with the others."
	}
	b.para(text)
}

// privacyColumn adds the scorecard's column of probe findings, when the
// systems were probed.
func (b *builder) privacyColumn(t *table, counts map[string]map[string]int) {
	if !b.hasProbes() {
		return
	}
	t.Caption = strings.TrimSuffix(t.Caption, ".") + "; findings of the consent and attribute-inference probes."
	t.Head, t.Num = append(t.Head, "Consent and privacy findings"), append(t.Num, true)
	for i, s := range b.res.Systems {
		c := counts[s.Name]
		t.Rows[i] = append(t.Rows[i], count(c[audit.KindConsent]+c[audit.KindInference]))
	}
}
