package audit

import (
	"fmt"
	"math"
	"slices"

	"github.com/recaudit/recaudit/probe"
	"go.yaml.in/yaml/v3"
)

// ProbesSpec holds the settings of the behavioural probes of an audit
// (package probe): the consent probe and the attribute-inference probe,
// run on every system. Their results are in [SystemResult.Consent] and
// [SystemResult.Inference].
type ProbesSpec struct {
	Consent   ConsentProbeSpec   `json:"consent"`
	Inference InferenceProbeSpec `json:"inference"`
}

// ConsentProbeSpec is the consent probe of an audit (probe.Consent): do
// the users who did not consent to personalisation get lists that depend
// on their own history? Every system's lists are probed as they are
// (probe.Consent.Lists, cheap); exec systems are also run again with the
// non-consenting users' histories perturbed (probe.Consent.Rerun, asking
// the system for every user and telling it their consent, so that the
// system's own consent handling is tested).
type ConsentProbeSpec struct {
	// Enabled runs the probe (when the users table has a consent column).
	Enabled bool `json:"enabled"`
	// Cutoffs are the list lengths at which lists are compared; nil means
	// the audit's cutoffs.
	Cutoffs []int `json:"cutoffs"`
	// Perturbations are the changes made to the non-consenting users'
	// histories before a rerun: "drop", "shuffle", "random".
	Perturbations []string `json:"perturbations"`
	// Tolerance is the share of non-consenting users with personalised
	// lists tolerated before a system is flagged, in [0, 1).
	Tolerance float64 `json:"tolerance"`
	// Permutations is the number of relabelings of the lists probe's
	// permutation tests.
	Permutations int `json:"permutations"`
	// RerunBuiltins also reruns the built-in algorithms. They run through
	// recaudit's consent fallback (non-consenting users never reach
	// them), so their rerun checks recaudit's runner rather than the
	// algorithm, at the cost of one more fit per perturbation and
	// system.
	RerunBuiltins bool `json:"rerun_builtins"`
}

// InferenceProbeSpec is the attribute-inference probe of an audit
// (probe.Inference): how well a user's sensitive attribute can be
// predicted from their list alone.
type InferenceProbeSpec struct {
	// Enabled runs the probe.
	Enabled bool `json:"enabled"`
	// Attributes are the sensitive attributes to infer; nil means every
	// one of groups.sensitive.
	Attributes []string `json:"attributes"`
	// K is the length of the top of the list the classifier sees; 0 means
	// the smallest cutoff.
	K int `json:"k"`
	// Folds is the number of cross-validation folds.
	Folds int `json:"folds"`
	// Shuffles is the number of label shuffles of the baseline.
	Shuffles int `json:"shuffles"`
	// MinLift is the smallest AUC above the shuffled mean that counts as
	// a leak.
	MinLift float64 `json:"min_lift"`
}

// Defaults of the probes of an audit. The inference probe's folds and
// shuffles are smaller than the probe's own defaults (5 and 19), to keep
// its cost within that of the rest of the demo audit: each shuffle costs
// as much as the real fit, and each fold fits on (folds−1)/folds of the
// users, so two folds and nine shuffles cost a fifth of five and
// nineteen (about 3.5 s of CPU per system on the default demo audit,
// against 16 s); on the demo shop (10,000 users, item-kNN top-10
// lists) the gender AUC is 0.732 with two folds, 0.730 with three and
// five. With nine shuffles the permutation p-value cannot fall below
// 1/10, so the audit uses the shuffled-t p-value (probe.ShuffledTPValue).
//
// InferenceTolerance is the convergence threshold of the probe's logistic
// fits in an audit (probe.Logistic.Tolerance), ten times the probe's own
// default: it halves the iterations, and on the default demo audit the
// AUCs stay within 0.002 of those at 1e-4 (popular: gender 0.627 against
// 0.629; item-kNN: 0.732 for both), a tenth of their intervals' width.
const (
	DefaultConsentPermutations = 1000
	DefaultInferenceFolds      = 2
	DefaultInferenceShuffles   = 9
	InferenceTolerance         = 1e-3
)

// defaultProbes returns the probes of the demo audit: both on, the
// consent probe with every perturbation and no tolerance, the inference
// probe of every sensitive attribute.
func defaultProbes() ProbesSpec {
	return ProbesSpec{
		Consent: ConsentProbeSpec{Enabled: true, Perturbations: perturbationNames(probe.Perturbations()),
			Permutations: DefaultConsentPermutations},
		Inference: InferenceProbeSpec{Enabled: true, Folds: DefaultInferenceFolds, Shuffles: DefaultInferenceShuffles,
			MinLift: probe.DefaultInferenceMinLift},
	}
}

func perturbationNames(ps []probe.Perturbation) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// probes decodes the probes section. Each probe may be written as true or
// false alone, for its default settings or none.
func (d *decoder) probes(path string, n *yaml.Node) error {
	p := &d.s.Probes
	return d.mapping(path, n, []field{
		{"consent", func(path string, n *yaml.Node) error {
			if r := resolve(n); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!bool" {
				d.s.set(path+".enabled", posOf(r))
				return d.boolean(&p.Consent.Enabled)(path, r)
			}
			c := &p.Consent
			return d.mapping(path, n, []field{
				{"enabled", d.boolean(&c.Enabled)},
				{"cutoffs", func(path string, n *yaml.Node) error {
					if isNull(resolve(n)) {
						c.Cutoffs = nil
						return nil
					}
					return d.ints(&c.Cutoffs)(path, n)
				}},
				{"perturbations", d.strs(&c.Perturbations)},
				{"tolerance", d.float(&c.Tolerance)},
				{"permutations", d.integer(&c.Permutations)},
				{"rerun_builtins", d.boolean(&c.RerunBuiltins)},
			})
		}},
		{"inference", func(path string, n *yaml.Node) error {
			if r := resolve(n); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!bool" {
				d.s.set(path+".enabled", posOf(r))
				return d.boolean(&p.Inference.Enabled)(path, r)
			}
			in := &p.Inference
			return d.mapping(path, n, []field{
				{"enabled", d.boolean(&in.Enabled)},
				{"attributes", d.strs(&in.Attributes)},
				{"k", d.integer(&in.K)},
				{"folds", d.integer(&in.Folds)},
				{"shuffles", d.integer(&in.Shuffles)},
				{"min_lift", d.float(&in.MinLift)},
			})
		}},
	})
}

// probePlan is the checked probes section in typed form. The probes'
// Src fields are left nil: each system's streams are derived from the
// audit's seed and the system's name (see [Probes]).
type probePlan struct {
	consent       *probe.Consent
	rerunBuiltins bool
	inference     *probe.Inference
	attributes    []string // nil: every sensitive attribute
}

var perturbationChoices = []named[probe.Perturbation]{
	{"drop", probe.PerturbDrop},
	{"shuffle", probe.PerturbShuffle},
	{"random", probe.PerturbRandom},
}

// compileProbes checks the probes section; it runs after compileCutoffs
// (the list length) and compileStatistics (resamples and alpha).
func (s *Spec) compileProbes(pl *plan) error {
	c := s.Probes.Consent
	cutoffs := c.Cutoffs
	if cutoffs == nil {
		cutoffs = pl.cfg.Cutoffs
	}
	if len(cutoffs) == 0 {
		return s.errAt("probes.consent.cutoffs", "no cutoffs", "give list lengths, or leave it out for the audit's cutoffs", nil)
	}
	for i, k := range cutoffs {
		f := index("probes.consent.cutoffs", i)
		if c.Cutoffs == nil {
			f = "probes.consent.cutoffs"
		}
		if k < 1 || k > pl.k {
			return s.errAt(f, fmt.Sprintf("%d is out of range [1, %d] (the length of the lists, k)", k, pl.k), "", nil)
		}
		if slices.Contains(cutoffs[:i], k) {
			return s.errAt(f, fmt.Sprintf("cutoff %d is given twice", k), "", nil)
		}
	}
	var perts []probe.Perturbation
	for i, name := range c.Perturbations {
		p, ok := lookup(perturbationChoices, name)
		if !ok {
			return s.errAt(index("probes.consent.perturbations", i), fmt.Sprintf("unknown perturbation %q", name),
				suggest(name, names(perturbationChoices), "perturbations"), nil)
		}
		if slices.Contains(perts, p) {
			return s.errAt(index("probes.consent.perturbations", i), fmt.Sprintf("perturbation %q is given twice", name), "", nil)
		}
		perts = append(perts, p)
	}
	switch {
	case len(perts) == 0:
		return s.errAt("probes.consent.perturbations", "no perturbations", "name at least one of drop, shuffle, random", nil)
	case !(c.Tolerance >= 0 && c.Tolerance < 1):
		return s.errAt("probes.consent.tolerance", fmt.Sprintf("%v is out of range [0, 1)", c.Tolerance), "0 tolerates no personalised list", nil)
	case c.Permutations < 1:
		return s.errAt("probes.consent.permutations", fmt.Sprintf("%d is out of range [1, +inf)", c.Permutations),
			fmt.Sprintf("%d is the default", DefaultConsentPermutations), nil)
	}
	st := pl.cfg.Analyze
	if c.Enabled {
		pl.probes.consent = &probe.Consent{K: pl.k, Cutoffs: slices.Clone(cutoffs), Perturbations: perts, Tolerance: c.Tolerance,
			Alpha: st.Alpha, B: st.BootstrapB, Permutations: c.Permutations}
		pl.probes.rerunBuiltins = c.RerunBuiltins
	}

	in := s.Probes.Inference
	switch {
	case in.K < 0 || in.K > pl.k:
		return s.errAt("probes.inference.k", fmt.Sprintf("%d is out of range [0, %d] (the length of the lists, k)", in.K, pl.k), "0 means the smallest cutoff", nil)
	case in.Folds < 2:
		return s.errAt("probes.inference.folds", fmt.Sprintf("%d is out of range [2, +inf)", in.Folds), fmt.Sprintf("%d is the default", DefaultInferenceFolds), nil)
	case in.Shuffles < 2:
		return s.errAt("probes.inference.shuffles", fmt.Sprintf("%d is out of range [2, +inf)", in.Shuffles), fmt.Sprintf("%d is the default", DefaultInferenceShuffles), nil)
	case !(in.MinLift >= 0) || math.IsInf(in.MinLift, 0):
		return s.errAt("probes.inference.min_lift", fmt.Sprintf("%v is out of range [0, +inf)", in.MinLift), fmt.Sprintf("%v is the default", probe.DefaultInferenceMinLift), nil)
	}
	for i, a := range in.Attributes {
		if slices.Contains(in.Attributes[:i], a) {
			return s.errAt(index("probes.inference.attributes", i), fmt.Sprintf("attribute %q is given twice", a), "", nil)
		}
	}
	if in.Enabled {
		k := in.K
		if k == 0 {
			k = slices.Min(pl.cfg.Cutoffs)
		}
		lift := in.MinLift
		if lift == 0 {
			lift = -1 // the probe's "no minimum"
		}
		pl.probes.inference = &probe.Inference{K: k, Folds: in.Folds, Shuffles: in.Shuffles, Bootstrap: st.BootstrapB,
			Confidence: 1 - st.Alpha, MinGroupSize: minSize(pl.groups.MinGroupSize), Alpha: QThreshold, MinLift: lift,
			PValue: probe.ShuffledTPValue, Model: probe.Logistic{Tolerance: InferenceTolerance}}
		pl.probes.attributes = slices.Clone(in.Attributes)
	}
	return nil
}

// probeAttributes checks the inference probe's attributes against the
// resolved sensitive attributes and returns them (all of them when the
// spec names none).
func (s *Spec) probeAttributes(pl *plan, gc GroupsConfig) ([]string, error) {
	if pl.probes.inference == nil {
		return nil, nil
	}
	if pl.probes.attributes == nil {
		return slices.Clone(gc.Sensitive), nil
	}
	for i, a := range pl.probes.attributes {
		if !slices.Contains(gc.Sensitive, a) {
			return nil, s.errAt(index("probes.inference.attributes", i), fmt.Sprintf("attribute %q is not among the sensitive attributes %q", a, gc.Sensitive),
				"add it to groups.sensitive, or leave attributes out for all of them", nil)
		}
	}
	return slices.Clone(pl.probes.attributes), nil
}

// effectiveProbes returns the probes section as Run ran it: the consent
// cutoffs and the inference attributes and cutoff filled in.
func (r *runner) effectiveProbes(attributes []string) ProbesSpec {
	p := r.spec.Probes
	p.Consent.Cutoffs = slices.Clone(p.Consent.Cutoffs)
	if p.Consent.Cutoffs == nil {
		p.Consent.Cutoffs = slices.Clone(r.pl.cfg.Cutoffs)
	}
	p.Consent.Perturbations = slices.Clone(p.Consent.Perturbations)
	p.Inference.Attributes = slices.Clone(p.Inference.Attributes)
	if inf := r.pl.probes.inference; inf != nil {
		p.Inference.K = inf.K
		p.Inference.Attributes = slices.Clone(attributes)
	}
	if p.Inference.Attributes == nil {
		p.Inference.Attributes = []string{}
	}
	return p
}
