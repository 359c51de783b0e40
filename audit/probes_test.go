package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/internal/buildtest"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
)

// finding returns the findings of res of the given kind for system.
func findingsOf(res *Result, system, kind string) []Finding {
	var out []Finding
	for _, f := range res.Findings {
		if f.System == system && f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

func attributeOf(s *SystemResult, name string) *probe.AttributeInference {
	if s.Inference == nil {
		return nil
	}
	for i := range s.Inference.Attributes {
		if s.Inference.Attributes[i].Attribute == name {
			return &s.Inference.Attributes[i]
		}
	}
	return nil
}

// TestRunProbesDemo runs a small demo audit with the default probes. The
// demo generator plants gender-specific category tastes, so item-kNN's
// personalised lists reveal gender (AUC about 0.66 at this size, against
// 0.50 for shuffled labels); random lists and most-popular lists that
// include the users' own items (the same list for everyone) reveal
// nothing. (The default popular system, which leaves each user's own
// items out, does reveal gender a little: what is left out depends on the
// history. The demo audit reports it.) Every built-in passes the consent
// probe: the non-consenting users get recaudit's fallback. In the null
// world nothing leaks.
func TestRunProbesDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end")
	}
	const spec = `version: 1
dataset:
  demo: {users: 2000, items: 500}
systems:
  - random
  - {name: popular-all, algo: popular, params: {include-train: true}}
  - itemknn
cutoffs: [10]
statistics: {resamples: 100, permutations: 200}
`
	out := runSpec(t, spec, RunOptions{ToolVersion: "test"})
	res := out.Result
	problems, err := validateJSON(Schema, marshal(t, res), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error("schema: " + p)
	}
	for _, s := range res.Systems {
		for _, a := range s.Inference.Attributes {
			t.Logf("%s %s: AUC %.3f %v, shuffled %.3f ± %.3f, p %.2g, q %.2g, %v", s.Name, a.Attribute, a.AUC.Value, a.AUC.CI,
				a.Shuffled.Mean, a.Shuffled.SD, a.Test.P, a.Test.Q, a.Verdict)
		}
		if c := s.Consent; c == nil || c.Flagged || c.Rerun != nil || c.RerunMode != "" || c.Column != "consent_personalization" {
			t.Errorf("%s: consent %+v; want the lists probe only, not flagged", s.Name, c)
		} else if lc := c.Lists.ByCutoff[0]; lc.Personalised != 0 || lc.K != 10 {
			t.Errorf("%s: %d non-consenting users with a list of their own at k %d; want 0 at 10", s.Name, lc.Personalised, lc.K)
		}
		if f := findingsOf(res, s.Name, KindConsent); len(f) != 0 {
			t.Errorf("%s: consent findings %v", s.Name, f)
		}
	}
	knn := attributeOf(res.Systems[2], "gender")
	if knn == nil || knn.Verdict != probe.InferenceLeaks || !(knn.AUC.CI[0] > knn.Shuffled.Max) || knn.Test.Method != "shuffled-t" {
		t.Errorf("itemknn gender: %+v; want a leak, its interval above every shuffled AUC", knn)
	}
	if f := findingsOf(res, "itemknn", KindInference); !slices.ContainsFunc(f, func(f Finding) bool {
		return f.Attribute == "gender" && f.Cutoff == 10 && strings.HasPrefix(f.Text, "The top-10 lists of itemknn leak gender: ")
	}) {
		t.Errorf("no finding that itemknn leaks gender: %v", f)
	}
	for _, name := range []string{"random", "popular-all"} {
		s := res.Systems[slices.IndexFunc(res.Systems, func(s *SystemResult) bool { return s.Name == name })]
		for _, a := range s.Inference.Attributes {
			if a.Verdict == probe.InferenceLeaks {
				t.Errorf("%s leaks %s: %+v", name, a.Attribute, a)
			}
		}
		if f := findingsOf(res, name, KindInference); len(f) != 0 {
			t.Errorf("%s: inference findings %v", name, f)
		}
	}
	// The lists of popular-all are nearly all the same (the
	// non-consenting users' fallback may break ties differently): next
	// to nothing to learn.
	if a := attributeOf(res.Systems[1], "gender"); math.Abs(float64(a.AUC.Value)-0.5) > 0.01 {
		t.Errorf("popular-all gender AUC %v, want 0.5 ± 0.01", a.AUC.Value)
	}

	// The probes' tests are in the family of the correction.
	var all, probes int
	for _, s := range res.Systems {
		probes += len(s.probeTests())
	}
	for _, tt := range res.AllTests() {
		if !tt.P.IsNaN() {
			all++
		}
	}
	if probes != 3*(2+2) || res.Tests.Count != all {
		t.Errorf("%d probe tests (want 3 systems × (2 lists tests + 2 attributes)), %d tests counted of %d", probes, res.Tests.Count, all)
	}

	// The data-minimisation record: the probes read the consent column
	// and the sensitive attributes in the scoring stage, and no
	// recommender saw either.
	for _, want := range [][]string{{"user_id", "consent_personalization"}, {"user_id", "gender", "age_band"}} {
		if !slices.ContainsFunc(res.DataAccess, func(a DataAccess) bool {
			return a.Stage == "scoring" && a.Reader == ReaderRecaudit && a.Table == "users" && slices.Equal(a.Columns, want) && strings.Contains(a.Via, "probe")
		}) {
			t.Errorf("no scoring entry of the probes reading %v", want)
		}
	}
	for _, a := range res.DataAccess {
		if a.Reader != ReaderRecaudit && a.Table == "users" && !slices.Equal(a.Columns, []string{"user_id"}) {
			t.Errorf("%s %s was given users columns %v", a.Reader, a.System, a.Columns)
		}
	}
	// The effective spec records what ran.
	if p := res.Spec.Probes; !slices.Equal(p.Inference.Attributes, []string{"gender", "age_band"}) || p.Inference.K != 10 || !slices.Equal(p.Consent.Cutoffs, []int{10}) {
		t.Errorf("effective probes %+v", p)
	}
	if ts := out.Timings.Systems; len(ts) != 3 || !(ts[2].Probes > 0) {
		t.Errorf("timings %+v: want the probes' seconds", ts)
	}

	// The null world: nothing to find.
	null := runSpec(t, "version: 1\ndataset:\n  demo: {users: 2000, items: 500, effects: none}\nsystems: [itemknn]\ncutoffs: [10]\nstatistics: {resamples: 100, permutations: 200}\n", RunOptions{})
	for _, a := range null.Result.Systems[0].Inference.Attributes {
		t.Logf("null world: itemknn %s: AUC %.3f, shuffled %.3f ± %.3f, p %.2g", a.Attribute, a.AUC.Value, a.Shuffled.Mean, a.Shuffled.SD, a.Test.P)
		if a.Verdict != probe.InferenceNoEvidence || math.Abs(float64(a.Lift)) > 0.03 {
			t.Errorf("null world: itemknn %s: verdict %v, lift %v; want no evidence, within noise of 0", a.Attribute, a.Verdict, a.Lift)
		}
	}
	if f := findingsOf(null.Result, "itemknn", KindInference); len(f) != 0 {
		t.Errorf("null world: %v", f)
	}
}

// TestRunProbesFileSystem audits two recommendation files of the same
// item-kNN: one made as recaudit makes lists (the users who did not
// consent get the most-popular fallback) and one that personalises
// everyone's list. The lists probe flags the second only, in the result
// document and in the findings.
func TestRunProbesFileSystem(t *testing.T) {
	w := newWorld(t, demo.Config{Users: 600, Items: 300, Interactions: 15000, Seed: 1, Effects: demo.DefaultEffects()})
	var users []int32
	for u := range w.test.Rows {
		if w.test.Len(u) > 0 {
			users = append(users, int32(u))
		}
	}
	view := &recommenders.TrainView{Interactions: w.train, ItemColumns: w.d.ItemColumns}
	var runs []datasets.Rankings
	for _, c := range []struct {
		name    string
		consent []bool
	}{{"honours", w.d.Consent()}, {"ignores", nil}} {
		lists, _, err := recommenders.Run(context.Background(), &recommenders.ItemKNN{}, view, users, c.consent, 10)
		if err != nil {
			t.Fatal(err)
		}
		lists.System = c.name
		runs = append(runs, lists)
	}
	recs := filepath.Join(t.TempDir(), "recs.arrow")
	if err := datasets.WriteRecommendations(recs, w.d.Users, w.d.Items, runs, nil); err != nil {
		t.Fatal(err)
	}
	out := runSpec(t, `version: 1
dataset: {demo: {users: 600, items: 300, interactions: 15000}}
systems: [{file: `+recs+`}]
cutoffs: [5, 10]
statistics: {resamples: 50, permutations: 50}
probes: {inference: false, consent: {permutations: 200}}
`, RunOptions{})
	res := out.Result
	if len(res.Systems) != 2 || res.Systems[0].Name != "honours" || res.Systems[1].Name != "ignores" {
		t.Fatalf("systems %v", res.Systems)
	}
	honours, ignores := res.Systems[0].Consent, res.Systems[1].Consent
	if honours.Flagged || honours.Lists.ByCutoff[1].Personalised != 0 {
		t.Errorf("the file made with the fallback is flagged: %+v", honours.Lists.ByCutoff)
	}
	if !ignores.Flagged || !ignores.Lists.Flagged || ignores.Rerun != nil {
		t.Fatalf("the file that personalises everyone is not flagged: %+v", ignores)
	}
	// Item-kNN's lists differ from user to user: nearly every
	// non-consenting user has one of their own.
	lc := ignores.Lists.ByCutoff[1]
	if lc.K != 10 || !(float64(lc.Share.Value) > 0.9) || !(float64(lc.Share.CI[0]) > 0.8) {
		t.Errorf("personalised share at 10: %+v; want above 0.9", lc.Share)
	}
	f := findingsOf(res, "ignores", KindConsent)
	if len(f) != 1 || f[0].Cutoff != 5 || f[0].Attribute != "consent_personalization" ||
		!strings.HasPrefix(f[0].Text, "ignores personalises the lists of users who did not consent to personalisation: in the top 5, ") {
		t.Errorf("findings %+v; want one consent finding at the first flagged cutoff", f)
	}
	if f := findingsOf(res, "honours", KindConsent); len(f) != 0 {
		t.Errorf("findings of the file that honours consent: %v", f)
	}
	// In results.json.
	doc := marshal(t, res)
	if !bytes.Contains(doc, []byte(`"rerun_mode": "",`)) || !bytes.Contains(doc, []byte(`"method": "lists",`)) {
		t.Error("results.json lacks the consent probe")
	}
	if problems, err := validateJSON(Schema, doc, true); err != nil || len(problems) > 0 {
		t.Errorf("schema: %v %v", err, problems)
	}
	back, err := ReadJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if !back.Systems[1].Consent.Flagged || back.Systems[1].Inference != nil {
		t.Errorf("read back: %+v %+v", back.Systems[1].Consent, back.Systems[1].Inference)
	}
}

// ignoresConsentCommand builds examples/exec-ignores-consent once per
// test binary (TestMain removes it).
func ignoresConsentCommand(t *testing.T) string {
	return buildtest.Program(t, "../examples/exec-ignores-consent")
}

// TestRunProbesExec audits examples/exec-ignores-consent, an external
// system that ignores the refusal of 30% of the users who did not
// consent. In the audit's own run recaudit keeps those users away from it
// (their lists are the fallback, and pass the lists probe); the consent
// probe's rerun asks it for every user and tells it their consent, and
// catches it: after the non-consenting users' histories are shuffled
// among them, the lists of about 30% of them change.
func TestRunProbesExec(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs an external program")
	}
	cmd := ignoresConsentCommand(t)
	out := runSpec(t, `version: 1
dataset: {demo: {users: 600, items: 300, interactions: 12000}}
systems:
  - name: vendor
    exec: [`+cmd+`, -train, "{train}", -users, "{users}", -k, "{k}", -out, "{out}", -ignore, "0.3"]
cutoffs: [10]
statistics: {resamples: 50, permutations: 50}
probes:
  inference: false
  consent: {perturbations: [shuffle], permutations: 100}
`, RunOptions{})
	res := out.Result
	c := res.Systems[0].Consent
	if c.Lists.Flagged || c.RerunMode != RerunDirect || c.Rerun == nil || !c.Rerun.Flagged || !c.Flagged {
		t.Fatalf("consent %+v; want the lists passing and the direct rerun flagged", c)
	}
	// The truth: the share of the non-consenting users with a history
	// whose refusal the program ignores.
	d, err := demo.Generate(context.Background(), demo.Config{Users: 600, Items: 300, Interactions: 12000, Seed: 1, Effects: demo.DefaultEffects()})
	if err != nil {
		t.Fatal(err)
	}
	truth, non := 0, 0
	for u, ok := range d.Consent() {
		if !ok {
			non++
			sum := sha256.Sum256([]byte(d.Users.String(int32(u))))
			if float64(binary.BigEndian.Uint64(sum[:8]))/math.Exp2(64) < 0.3 {
				truth++
			}
		}
	}
	rc := c.Rerun.Perturbations[0].Cutoffs[0]
	trueShare := float64(truth) / float64(non)
	t.Logf("shuffle@10: %d of %d probed users violate, share %.3f %v; true share %.3f (%d of %d)", rc.Violating, rc.Probed, rc.Share.Value, rc.Share.CI, trueShare, truth, non)
	// A lower bound (a personalised list may not move), near the truth.
	if !(float64(rc.Share.Value) <= trueShare+0.05 && float64(rc.Share.Value) >= trueShare-0.1) {
		t.Errorf("violating share %.3f, want near the true %.3f", rc.Share.Value, trueShare)
	}
	if f := findingsOf(res, "vendor", KindConsent); len(f) != 1 || !strings.Contains(f[0].Text, "asked for every user and told their consent and run again after their histories were shuffled among them") {
		t.Errorf("findings %v", f)
	}
	// The record: the program was given the consent column, in the
	// probe's reruns only.
	var probeUsers bool
	for _, a := range res.DataAccess {
		if a.System != "vendor" || a.Table != "users" || a.Reader != ReaderExternal {
			continue
		}
		switch a.Stage {
		case "probe":
			probeUsers = slices.Equal(a.Columns, []string{"user_id", "consent_personalization"}) && a.Rows == "all"
		default:
			if !slices.Equal(a.Columns, []string{"user_id"}) {
				t.Errorf("the audit's own run gave the program %v", a.Columns)
			}
		}
	}
	if !probeUsers {
		t.Errorf("no record of the consent column given to the program in the probe: %+v", res.DataAccess)
	}
}

// probeSpecErrorCases are bad probes sections, with the field, line and
// column each error must name (counted by hand) and a part of the
// message.
var probeSpecErrorCases = []struct {
	name, yaml, field string
	line, col         int
	msg               string
}{
	{"unknown probe", "version: 1\nprobes:\n  consnt: false\n", "probes.consnt", 3, 3, `did you mean "consent"?`},
	{"unknown perturbation", "version: 1\nprobes:\n  consent: {perturbations: [drop, swap]}\n", "probes.consent.perturbations[1]", 3, 35, `unknown perturbation "swap"`},
	{"perturbation twice", "version: 1\nprobes:\n  consent: {perturbations: [drop, drop]}\n", "probes.consent.perturbations[1]", 3, 35, `"drop" is given twice`},
	{"no perturbations", "version: 1\nprobes:\n  consent: {perturbations: []}\n", "probes.consent.perturbations", 3, 28, "no perturbations"},
	{"tolerance", "version: 1\nprobes:\n  consent: {tolerance: 1}\n", "probes.consent.tolerance", 3, 24, "1 is out of range [0, 1)"},
	{"consent cutoff beyond the lists", "version: 1\ncutoffs: [10]\nprobes:\n  consent:\n    cutoffs: [5, 20]\n", "probes.consent.cutoffs[1]", 5, 18, "20 is out of range [1, 10]"},
	{"permutations", "version: 1\nprobes:\n  consent: {permutations: 0}\n", "probes.consent.permutations", 3, 27, "0 is out of range [1, +inf)"},
	{"consent not a bool", "version: 1\nprobes:\n  consent: yes please\n", "probes.consent", 3, 12, "must be a mapping"},
	{"folds", "version: 1\nprobes:\n  inference: {folds: 1}\n", "probes.inference.folds", 3, 22, "1 is out of range [2, +inf)"},
	{"shuffles", "version: 1\nprobes:\n  inference: {shuffles: 1}\n", "probes.inference.shuffles", 3, 25, "1 is out of range [2, +inf)"},
	{"inference k", "version: 1\ncutoffs: [10, 20]\nprobes:\n  inference: {k: 30}\n", "probes.inference.k", 4, 18, "30 is out of range [0, 20]"},
	{"min lift", "version: 1\nprobes:\n  inference: {min_lift: -0.1}\n", "probes.inference.min_lift", 3, 25, "-0.1 is out of range [0, +inf)"},
	{"attribute twice", "version: 1\nprobes:\n  inference: {attributes: [gender, gender]}\n", "probes.inference.attributes[1]", 3, 36, `"gender" is given twice`},
}

// TestProbeSpecErrors checks the errors about the probes section: they
// name the file, field, line and column, and wrap ErrSpec.
func TestProbeSpecErrors(t *testing.T) {
	for _, tc := range probeSpecErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSpec("audit.yaml", []byte(tc.yaml))
			if err == nil {
				err = s.Check(nil)
			}
			var se *SpecError
			if !errors.As(err, &se) || !errors.Is(err, ErrSpec) {
				t.Fatalf("%v: not a *SpecError wrapping ErrSpec", err)
			}
			if se.Field != tc.field || se.Line != tc.line || se.Column != tc.col || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v (field %q at %d:%d), want field %q at %d:%d containing %q", err, se.Field, se.Line, se.Column, tc.field, tc.line, tc.col, tc.msg)
			}
		})
	}
	// An attribute that is not a sensitive attribute: found by Run.
	s, err := ParseSpec("audit.yaml", []byte("version: 1\ndataset: {demo: {users: 300, items: 400}}\nsystems: [popular]\nprobes:\n  inference:\n    attributes: [region]\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), s, RunOptions{})
	var se *SpecError
	if !errors.As(err, &se) || se.Field != "probes.inference.attributes[0]" || se.Line != 6 || se.Column != 18 ||
		!strings.Contains(err.Error(), `attribute "region" is not among the sensitive attributes ["gender" "age_band"]`) {
		t.Errorf("got %v", err)
	}
}

// TestProbeSpecShorthands checks the shorthands and defaults of the
// probes section.
func TestProbeSpecShorthands(t *testing.T) {
	s, err := ParseSpec("audit.yaml", []byte("version: 1\nprobes:\n  consent: false\n  inference: {shuffles: 19}\n"))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := s.compile(nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Probes.Consent.Enabled || pl.probes.consent != nil || !slices.Equal(s.Probes.Consent.Perturbations, []string{"drop", "shuffle", "random"}) {
		t.Errorf("consent: false gives %+v", s.Probes.Consent)
	}
	inf := pl.probes.inference
	if inf == nil || inf.Shuffles != 19 || inf.Folds != DefaultInferenceFolds || inf.K != 10 || inf.PValue != probe.ShuffledTPValue || inf.MinLift != probe.DefaultInferenceMinLift {
		t.Errorf("inference plan %+v", inf)
	}
	if p := s.at("probes.consent.enabled"); p != (Pos{Line: 3, Column: 12}) {
		t.Errorf("position of consent: %+v", p)
	}
	// min_lift 0: no minimum.
	s, _ = ParseSpec("audit.yaml", []byte("version: 1\nprobes:\n  inference: {min_lift: 0}\n"))
	if pl, err := s.compile(nil); err != nil || !(pl.probes.inference.MinLift < 0) {
		t.Errorf("min_lift 0: %v %+v", err, pl)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	buildtest.Cleanup()
	os.Exit(code)
}
