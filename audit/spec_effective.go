package audit

import (
	"slices"
	"strconv"
	"time"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/metrics"
)

// effective returns the spec as Run ran it: every default filled in
// (systems with all their parameters, the split seed, the list length,
// the metric conventions, the groups resolved from the column roles),
// paths as given.
func (r *runner) effective(d *datasets.Dataset, gc GroupsConfig, results [][]systemOutcome) *Spec {
	s, pl := r.spec, r.pl
	e := &Spec{Version: s.Version, Seed: s.Seed}

	ds := s.Dataset
	e.Dataset = DatasetSpec{Name: pl.name, Dir: ds.Dir, Interactions: ds.Interactions, Users: ds.Users, Items: ds.Items,
		Roles: slices.Clone(ds.Roles), Duplicates: ds.Duplicates}
	if e.Dataset.Roles == nil {
		e.Dataset.Roles = []RoleSpec{}
	}
	if ds.Demo != nil {
		dm := *ds.Demo
		if v, err := strconv.Atoi(d.Metadata[demo.MetaMinPerUser]); err == nil {
			dm.MinPerUser = v
		}
		if v, err := strconv.Atoi(d.Metadata[demo.MetaClusters]); err == nil {
			dm.Clusters = v
		}
		e.Dataset.Demo = &dm
	}

	sp := s.Split
	seed := pl.split.Seed
	sp.Seed = &seed
	e.Split = sp

	e.Systems = []SystemSpec{}
	for i, p := range pl.systems {
		given := s.systemSpec(p.index)
		sys := SystemSpec{Name: p.name, Algo: p.algo, Params: []SpecParam{}, File: given.File, System: given.System}
		if p.file != "" && len(results[i]) == 1 {
			sys.Name = results[i][0].res.Name
		}
		if p.algo != "" {
			fac, _ := r.reg.Lookup(p.algo)
			vals := p.values.Map()
			for _, decl := range fac.Params {
				v := vals[decl.Name]
				if dur, ok := v.(time.Duration); ok {
					v = dur.String()
				}
				sys.Params = append(sys.Params, SpecParam{Name: decl.Name, Value: v})
			}
		}
		e.Systems = append(e.Systems, sys)
	}

	e.Cutoffs = slices.Clone(pl.cfg.Cutoffs)
	k := pl.k
	e.K = &k

	mc := pl.cfg.Metrics
	m := MetricsSpec{Measures: []string{}, GroupMeasures: []string{}, Profile: s.Metrics.Profile,
		CalibrationAlpha: s.Metrics.CalibrationAlpha, HeadShare: s.Metrics.HeadShare}
	for _, x := range pl.cfg.Measures {
		m.Measures = append(m.Measures, x.String())
	}
	for _, x := range pl.cfg.GroupMeasures {
		m.GroupMeasures = append(m.GroupMeasures, x.String())
	}
	m.Conventions = ConventionsSpec{
		RelevanceThreshold: mc.Threshold,
		Precision:          nameOf(precisionChoices, mc.Precision),
		Recall:             nameOf(recallChoices, mc.Recall),
		AP:                 nameOf(apChoices, mc.AP),
		Gain:               nameOf(gainChoices, mc.Gain),
		Discount:           nameOf(discountChoices, mc.Discount),
		Ideal:              nameOf(idealChoices, mc.Ideal),
		NoRelevant:         nameOf(noRelevantChoices, mc.NoRelevant),
		NoList:             nameOf(noListChoices, mc.NoList),
		Patience:           mc.Patience,
	}
	if m.Conventions.RelevanceThreshold == 0 {
		m.Conventions.RelevanceThreshold = metrics.DefaultThreshold
	}
	if m.Conventions.Patience == 0 {
		m.Conventions.Patience = metrics.DefaultPatience
	}
	e.Metrics = m

	e.Groups = GroupsSpec{Sensitive: slices.Clone(gc.Sensitive), Bins: slices.Clone(s.Groups.Bins), Intersections: [][]string{},
		ItemGroups: slices.Clone(gc.ItemGroups), Flags: slices.Clone(gc.Flags), Category: gc.Category, MinGroupSize: minSize(gc.MinGroupSize)}
	if e.Groups.Bins == nil {
		e.Groups.Bins = []BinSpec{}
	}
	for _, in := range gc.Intersections {
		e.Groups.Intersections = append(e.Groups.Intersections, slices.Clone(in))
	}

	ex := s.Exposure
	for _, p := range []*float64{&ex.Patience, &ex.Stop, &ex.TopShare} {
		if *p == 0 {
			*p = 0.5
		}
	}
	e.Exposure = ex

	st := s.Statistics
	st.Aggregators = slices.Clone(st.Aggregators)
	e.Statistics = st
	e.Probes = r.effectiveProbes(r.probes.Attributes)
	return e
}
