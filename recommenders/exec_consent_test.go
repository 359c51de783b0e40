package recommenders_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/rectest"
)

// TestExecConsent checks that after SetConsent the users file holds each
// asked user's consent, in the order asked, with role consent, and that
// SetConsent(nil) goes back to user_id alone.
func TestExecConsent(t *testing.T) {
	needShell(t)
	d := rectest.Datasets()[0]
	keep := t.TempDir()
	e := &recommenders.Exec{
		Command: []string{"sh", "-c", `cp "$RECAUDIT_USERS" "$1" && : > "$2"`, "sh", keep, "{out}"},
		Format:  datasets.FormatCSV,
	}
	e.SetIDs(d.Users, d.Items)
	var _ recommenders.ConsentSetter = e
	consent := []bool{true, false, true, false, true, true}
	e.SetConsent(consent)
	ctx := context.Background()
	if err := e.Fit(ctx, &d.Train); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Recommend(ctx, []int32{3, 0, 1}, 2); err != nil {
		t.Fatal(err)
	}
	read := func() (names []string, role string, ids []int64, got []bool) {
		t.Helper()
		r, err := datasets.OpenTable(filepath.Join(keep, "users.arrow"))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for _, f := range r.Schema().Fields() {
			names = append(names, f.Name)
			if f.Name == recommenders.ConsentColumn {
				if i := f.Metadata.FindKey(datasets.MetadataRole); i >= 0 {
					role = f.Metadata.Values()[i]
				}
			}
		}
		for r.Next() {
			b := r.RecordBatch()
			ids = append(ids, b.Column(0).(interface{ Int64Values() []int64 }).Int64Values()...)
			if b.NumCols() > 1 {
				c := b.Column(1).(interface{ Value(int) bool })
				for i := 0; i < int(b.NumRows()); i++ {
					got = append(got, c.Value(i))
				}
			}
		}
		return names, role, ids, got
	}
	names, role, ids, got := read()
	if !slices.Equal(names, []string{"user_id", recommenders.ConsentColumn}) || role != "consent" {
		t.Errorf("users file fields %v, consent role %q; want user_id, %s with role consent", names, role, recommenders.ConsentColumn)
	}
	if want := []int64{d.Users.Int(3), d.Users.Int(0), d.Users.Int(1)}; !slices.Equal(ids, want) {
		t.Errorf("user IDs %v, want %v", ids, want)
	}
	if want := []bool{false, true, false}; !slices.Equal(got, want) { // consent of users 3, 0, 1
		t.Errorf("consent %v, want %v", got, want)
	}

	e.SetConsent(nil)
	if _, err := e.Recommend(ctx, []int32{1}, 2); err != nil {
		t.Fatal(err)
	}
	if names, _, _, _ := read(); !slices.Equal(names, []string{"user_id"}) {
		t.Errorf("after SetConsent(nil) the users file has fields %v, want user_id only", names)
	}

	e.SetConsent(consent[:2])
	if !panics(func() { _, _ = e.Recommend(ctx, []int32{1}, 2) }) {
		t.Error("Recommend with a consent slice of the wrong length did not panic")
	}
}
