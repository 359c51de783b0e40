package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/report"
)

// section returns the text of report.md from the heading with id to the
// next numbered section.
func section(md, id, next string) string {
	_, rest, ok := strings.Cut(md, `<a id="`+id+`"></a>`)
	if !ok {
		return ""
	}
	body, _, _ := strings.Cut(rest, `<a id="`+next+`"></a>`)
	return body
}

// TestReportPrivacy checks the "Consent and privacy" section of the demo
// fixture: the consent probe's table and verdict (every built-in passes),
// the inference probe's chart (compared with its golden file), table and
// verdict (the planted gender tastes leak through item-kNN and EASE), and
// the summary's mention of the probes.
func TestReportPrivacy(t *testing.T) {
	dir := demoReport(t)
	md := string(readFile(t, filepath.Join(dir, report.MarkdownFile)))
	checkGolden(t, "report_inference-auc_golden.svg", readFile(t, filepath.Join(dir, report.PlotsDir, "inference-auc.svg")))
	s := section(md, "consent-and-privacy", "limitations")
	for _, want := range []string{
		"### <a id=\"consent-to-personalisation\"></a>",
		"| itemknn | 10 | 224 | 0.0% [0.0%, 1.7%] (0) |",
		"**Verdict.** No system personalises the lists of users who did not consent: popular, itemknn and ease pass the consent probe.",
		"No system was run again: the probe runs external programs (exec systems) again",
		"![How well the top-10 lists reveal each attribute](plots/inference-auc.svg)",
		"| System | Attribute | Groups | Users | AUC | Shuffled: mean (range) | Lift | p | q | Verdict |",
		"**Verdict.** The lists of ",
		"itemknn (gender)",
		"“no evidence” is not a proof",
		"**Pseudonymisation.**",
		"This result holds no data-minimisation record",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the privacy section lacks %q", want)
		}
	}
	// Every system and attribute has a row; region leaks nowhere (no
	// effect depends on it).
	for _, sys := range []string{"popular", "itemknn", "ease"} {
		for _, attr := range []string{"gender", "age band", "region"} {
			if !strings.Contains(s, "| "+sys+" | "+attr+" | ") {
				t.Errorf("no inference row for %s, %s", sys, attr)
			}
		}
	}
	for line := range strings.SplitSeq(s, "\n") {
		if strings.Contains(line, " | region | ") && !strings.HasSuffix(line, "| no evidence |") {
			t.Errorf("region: %s", line)
		}
	}
	sum := section(md, "summary-of-findings", "key-findings")
	if !strings.Contains(sum, "It also probes whether they personalise the lists of users who did not consent to personalisation and how well a user's gender, age band and region can be predicted from their list alone") ||
		!strings.Contains(sum, "| Consent and privacy findings |") {
		t.Errorf("the summary does not mention the probes:\n%s", sum)
	}
	if key := section(md, "key-findings", "accuracy-against-fairness"); !strings.Contains(key, "**What the lists reveal.**") || !strings.Contains(key, "leak gender: a classifier that sees only a user's list") {
		t.Errorf("the key findings do not list the inference findings:\n%s", key)
	}
}

// TestReportPrivacyFromRun renders an audit made by audit.Run in which a
// recommendation file personalises the lists of users who did not
// consent: the consent probe flags it in the report, and the
// data-minimisation record is a table that shows no recommender was given
// a sensitive attribute.
func TestReportPrivacyFromRun(t *testing.T) {
	ctx := context.Background()
	cfg := demo.Config{Users: 300, Items: 400, Interactions: 9000, Seed: 1, Effects: demo.DefaultEffects()}
	d, err := demo.Generate(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The audit's split (random 80/20, the audit's seed 1), and item-kNN's
	// lists for every user with a test interaction, consent ignored.
	train, test, _, err := datasets.Split{Kind: datasets.SplitRandom, Fraction: 0.2, N: 1, Seed: 1}.Apply(&d.Interactions)
	if err != nil {
		t.Fatal(err)
	}
	var users []int32
	for u := range test.Rows {
		if test.Len(u) > 0 {
			users = append(users, int32(u))
		}
	}
	lists, _, err := recommenders.Run(ctx, &recommenders.ItemKNN{}, &recommenders.TrainView{Interactions: train, ItemColumns: d.ItemColumns}, users, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	lists.System = "vendor"
	recs := filepath.Join(t.TempDir(), "vendor.arrow")
	if err := datasets.WriteRecommendations(recs, d.Users, d.Items, []datasets.Rankings{lists}, nil); err != nil {
		t.Fatal(err)
	}
	spec, err := audit.ParseSpec("audit.yaml", []byte(`version: 1
dataset: {demo: {users: 300, items: 400}}
systems: [popular, {file: `+recs+`}]
cutoffs: [10]
statistics: {resamples: 20, permutations: 20}
probes: {consent: {permutations: 50}, inference: {shuffles: 4}}
`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := audit.Run(ctx, spec, audit.RunOptions{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	md := string(readFile(t, filepath.Join(render(t, out.Result, report.Options{}), report.MarkdownFile)))
	s := section(md, "consent-and-privacy", "limitations")
	for _, want := range []string{
		"**Verdict.** vendor personalises the lists of users who did not consent (see the findings). Popular passes.",
		"| vendor | 10 |",
		"No recommender and no external program was given a users column other than the user ID.",
		"| Stage | System | Read by | Table | Rows | Columns | Passed |",
		"| scoring | — | recaudit | users | users with a list | user_id, consent_personalization |",
		"| scoring | — | recaudit | users | users with a list | user_id, gender, age_band |",
		"| recommend | vendor | recaudit | recommendations | all |",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the privacy section lacks %q:\n%s", want, s)
		}
	}
	if key := section(md, "key-findings", "accuracy-against-fairness"); !strings.Contains(key, "**Consent to personalisation.** 1 significant finding in 1 system (vendor).") ||
		!strings.Contains(key, "vendor personalises the lists of users who did not consent to personalisation: in the top 10, ") {
		t.Errorf("the key findings lack the consent finding:\n%s", key)
	}
}
