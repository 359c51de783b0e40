package all_test

import (
	"context"
	"testing"

	"github.com/recaudit/recaudit/recommenders/all"
	"github.com/recaudit/recaudit/recommenders/rectest"
)

func TestDefaultBuildsEveryAlgorithmWithDefaults(t *testing.T) {
	r := all.Default()
	d := rectest.Datasets()[1]
	for _, name := range r.Names() {
		f, _ := r.Lookup(name)
		if f.Doc == "" {
			t.Errorf("%s: no documentation", name)
		}
		required := false
		for _, p := range f.Params {
			if p.Doc == "" {
				t.Errorf("%s: parameter %s has no documentation", name, p.Name)
			}
			required = required || p.IsRequired()
		}
		if required {
			continue // adapters need a path or a command
		}
		rec, err := r.New(name, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := rec.Fit(context.Background(), &d.Train); err != nil {
			t.Errorf("%s: Fit: %v", name, err)
			continue
		}
		if _, err := rec.Recommend(context.Background(), []int32{0, 1}, 5); err != nil {
			t.Errorf("%s: Recommend: %v", name, err)
		}
	}
}
