package recommenders_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/rectest"
)

// spy records the users a recommender is asked for.
type spy struct {
	recommenders.Recommender
	asked []int32
}

func (s *spy) Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error) {
	s.asked = append(s.asked, users...)
	return s.Recommender.Recommend(ctx, users, k)
}

func TestRunConsentFallback(t *testing.T) {
	d := rectest.Generate("consent", 5, 60, 30, 8, false)
	train := &d.Train
	n := train.NumUsers()
	consent := make([]bool, n)
	for u := range consent {
		consent[u] = u%3 != 0 // users 0, 3, 6, ... did not consent
	}
	users := make([]int32, n)
	for u := range users {
		users[u] = int32(u)
	}
	const k = 5
	rec := &spy{Recommender: &recommenders.ItemKNN{}}
	got, fallback, err := recommenders.Run(context.Background(), rec, train, users, consent, k)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range rec.asked {
		if !consent[u] {
			t.Errorf("the personalised recommender was asked for user %d, who did not consent", u)
		}
	}
	// The personalised lists are ItemKNN's own.
	ref := &recommenders.ItemKNN{}
	if err := ref.Fit(context.Background(), train); err != nil {
		t.Fatal(err)
	}
	want, err := ref.Recommend(context.Background(), users, k)
	if err != nil {
		t.Fatal(err)
	}
	// The fallback: the k most popular items by distinct users, ties by
	// index, computed here from scratch, the same for everyone.
	count := make([]int, train.NumItems())
	for _, c := range train.Interactions.Cols {
		count[c]++
	}
	var global []int32
	for i := range count {
		global = append(global, int32(i))
	}
	slices.SortStableFunc(global, func(a, b int32) int { return count[b] - count[a] })
	global = global[:k]
	for u := 0; u < n; u++ {
		if fallback[u] != !consent[u] {
			t.Errorf("user %d: fallback %v with consent %v", u, fallback[u], consent[u])
		}
		if consent[u] {
			if !slices.Equal(got.List(u), want.List(u)) {
				t.Errorf("consenting user %d: %v, want ItemKNN's %v", u, got.List(u), want.List(u))
			}
			continue
		}
		if !slices.Equal(got.List(u), global) {
			t.Errorf("user %d without consent: %v, want the global popular list %v", u, got.List(u), global)
		}
		for j, i := range got.List(u) {
			if s := got.ListScores(u)[j]; s != float64(count[i]) {
				t.Errorf("user %d without consent: score of item %d is %v, want its user count %d", u, i, s, count[i])
			}
		}
	}
	// Some non-consenting users have popular items in their history, which
	// the fallback keeps (it does not look at their history).
	kept := false
	for u := 0; u < n; u += 3 {
		for _, i := range global {
			if _, found := slices.BinarySearch(train.Interactions.Row(u), i); found {
				kept = true
			}
		}
	}
	if !kept {
		t.Error("test data too weak: no non-consenting user has a popular item in training")
	}
}

func TestRunNilConsentAndAsked(t *testing.T) {
	v := threeUsers()
	got, fallback, err := recommenders.Run(context.Background(), &recommenders.Popular{}, v, []int32{2}, nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(fallback, true) {
		t.Errorf("fallback %v with everyone consenting", fallback)
	}
	// Only user 2 was asked: users 0 and 1 have no list.
	if d := cmp.Diff([]int64{0, 0, 0, 1}, got.Offsets); d != "" {
		t.Errorf("offsets (-want +got)\n%s", d)
	}
	if !panics(func() {
		_, _, _ = recommenders.Run(context.Background(), &recommenders.Popular{}, v, nil, []bool{true}, 2)
	}) {
		t.Error("no panic with a consent slice of the wrong length")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := recommenders.Run(ctx, &recommenders.Popular{}, v, []int32{0}, []bool{false, true, true}, 2); err == nil {
		t.Error("no error with a cancelled context")
	}
}

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}

// TestTrainViewHasNoUserAttributes walks every type reachable from
// TrainView: none may lead to a Dataset, to IDs (user IDs), to user
// columns or consent, or be an interface or function that could.
func TestTrainViewHasNoUserAttributes(t *testing.T) {
	forbiddenTypes := map[reflect.Type]string{
		reflect.TypeFor[datasets.Dataset](): "the whole dataset",
		reflect.TypeFor[datasets.IDs]():     "external IDs (users)",
	}
	forbiddenNames := []string{"user", "consent", "sensitive", "dataset"}
	seen := map[reflect.Type]bool{}
	var walk func(tp reflect.Type, path string)
	walk = func(tp reflect.Type, path string) {
		if why, bad := forbiddenTypes[tp]; bad {
			t.Errorf("%s reaches %s (%v)", path, why, tp)
		}
		if seen[tp] {
			return
		}
		seen[tp] = true
		switch tp.Kind() {
		case reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer:
			t.Errorf("%s is a %v, which could reach anything", path, tp.Kind())
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(tp.Elem(), path+"[]")
		case reflect.Map:
			walk(tp.Key(), path+"{key}")
			walk(tp.Elem(), path+"{}")
		case reflect.Struct:
			for i := 0; i < tp.NumField(); i++ {
				f := tp.Field(i)
				for _, bad := range forbiddenNames {
					if strings.Contains(strings.ToLower(f.Name), bad) {
						t.Errorf("%s.%s: a field about %ss", path, f.Name, bad)
					}
				}
				walk(f.Type, path+"."+f.Name)
			}
		}
	}
	walk(reflect.TypeFor[recommenders.TrainView](), "TrainView")
	if !seen[reflect.TypeFor[datasets.CSR]()] || !seen[reflect.TypeFor[datasets.Column]()] {
		t.Error("the walk did not reach CSR and Column: it is not walking the type")
	}
}
