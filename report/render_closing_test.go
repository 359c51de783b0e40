package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/audit"
)

// TestDerivable checks which suppressed intersections the report says can
// be recovered by subtraction (hand-worked on the groupings below).
func TestDerivable(t *testing.T) {
	gs := func(names ...string) []audit.GroupSize {
		var out []audit.GroupSize
		for _, n := range names {
			out = append(out, audit.GroupSize{Group: n, Users: 50})
		}
		return out
	}
	sup := func(names ...string) []audit.Suppressed {
		var out []audit.Suppressed
		for _, n := range names {
			out = append(out, audit.Suppressed{Group: n, Reason: "fewer than 10 users"})
		}
		return out
	}
	r := &audit.Result{UserGroups: []audit.UserGroupsInfo{
		{Attribute: "gender", Groups: gs("F", "M", "X")},
		{Attribute: "age_band", Groups: gs("18-34", "35+"), Suppressed: sup("65+")},
		{Attribute: "gender × age_band",
			Groups: gs("F × 18-34", "F × 35+", "M × 18-34", "M × 35+", "X × 35+"),
			// X × 18-34 is the only suppressed cell with 18-34: the group
			// 18-34 less F × 18-34 and M × 18-34 gives it. X × 65+ is the
			// only one with 65+, but 65+ is suppressed, and X has two
			// suppressed cells: it does not follow.
			Suppressed: sup("X × 18-34", "X × 65+")},
	}}
	got := derivable(r)
	want := []para{{Lead: "Gender × age band:", Text: "X × 18-34."}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("derivable (-want +got):\n%s", d)
	}
	// Without intersections, nothing.
	r.UserGroups = r.UserGroups[:2]
	if got := derivable(r); len(got) != 0 {
		t.Errorf("derivable without intersections: %v", got)
	}
}
