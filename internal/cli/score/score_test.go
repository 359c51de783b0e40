package score

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/metrics"
)

func TestNewCmdScoreFlags(t *testing.T) {
	defSplit := datasets.Split{Fraction: datasets.DefaultSplitFraction, N: datasets.DefaultSplitN}
	split := defSplit
	split.Seed = 3
	type parsed struct {
		Input    cmdutil.DatasetInput
		Split    cmdutil.SplitInput
		Recs     []string
		Qrels    string
		Runs     []string
		Complete bool
		Measures []metrics.Measure
		Cutoffs  []int
		Profile  metrics.Profile
		Format   OutputFormat
		PerUser  bool
		JSON     bool
	}
	data := cmdutil.DatasetInput{Dir: "d", Roles: cmdutil.RolesValue{}}
	for _, tc := range []struct {
		name    string
		args    []string
		want    parsed
		wantErr string
	}{
		{name: "defaults", args: []string{"--data", "d", "--recs", "r.arrow"},
			want: parsed{Input: data, Split: cmdutil.SplitInput{Split: defSplit}, Recs: []string{"r.arrow"},
				Measures: defaultMeasures, Cutoffs: []int{10}}},
		{name: "everything", args: []string{"--data", "d", "--recs", "a.arrow", "b.csv", "c.parquet", "--split", "random", "--seed", "3",
			"--metrics", "ndcg,map", "--metrics=mrr", "--k", "5,10", "--k", "0", "--profile", "lenskit", "--format", "trec", "-q"},
			want: parsed{Input: data, Split: cmdutil.SplitInput{Set: true, Split: split}, Recs: []string{"a.arrow", "b.csv", "c.parquet"},
				Measures: []metrics.Measure{metrics.MeasureNDCG, metrics.MeasureAP, metrics.MeasureRR}, Cutoffs: []int{5, 10, 0},
				Profile: metrics.ProfileLensKit, Format: FormatTrec, PerUser: true}},
		{name: "json", args: []string{"--data", "d", "--recs", "r.arrow", "--json"},
			want: parsed{Input: data, Split: cmdutil.SplitInput{Split: defSplit}, Recs: []string{"r.arrow"},
				Measures: defaultMeasures, Cutoffs: []int{10}, JSON: true}},
		{name: "trec mode", args: []string{"--qrels", "q.txt", "--run", "r1.txt", "r2.txt", "-c"},
			want: parsed{Split: cmdutil.SplitInput{Split: defSplit}, Qrels: "q.txt", Runs: []string{"r1.txt", "r2.txt"}, Complete: true,
				Measures: defaultMeasures, Profile: metrics.ProfileTrecEval}},
		{name: "trec mode with cutoffs and profile", args: []string{"--qrels", "q.txt", "r.txt", "--k", "3", "--profile", "ranx"},
			want: parsed{Split: cmdutil.SplitInput{Split: defSplit}, Qrels: "q.txt", Runs: []string{"r.txt"},
				Measures: defaultMeasures, Cutoffs: []int{3}, Profile: metrics.ProfileRanx}},
		{name: "no recs", args: []string{"--data", "d"}, wantErr: "give the recommendation files to score with --recs"},
		{name: "no data", args: []string{"--recs", "r.arrow"}, wantErr: "--data DIR is required"},
		{name: "unknown metric", args: []string{"--data", "d", "--recs", "r", "--metrics", "auc"}, wantErr: `unknown metric "auc"`},
		{name: "metric twice", args: []string{"--data", "d", "--recs", "r", "--metrics", "map,ap"}, wantErr: "metric ap given twice"},
		{name: "bad cutoff", args: []string{"--data", "d", "--recs", "r", "--k", "ten"}, wantErr: `cutoff "ten" is not a whole number`},
		{name: "cutoff twice", args: []string{"--data", "d", "--recs", "r", "--k", "10,10"}, wantErr: "cutoff 10 given twice"},
		{name: "bad profile", args: []string{"--data", "d", "--recs", "r", "--profile", "sklearn"}, wantErr: "valid values are default, trec_eval"},
		{name: "per-user without trec", args: []string{"--data", "d", "--recs", "r", "-q"}, wantErr: "--per-user needs --format trec"},
		{name: "json and trec", args: []string{"--data", "d", "--recs", "r", "--json", "--format", "trec"}, wantErr: "none of the others can be"},
		{name: "run without qrels", args: []string{"--data", "d", "--run", "r"}, wantErr: "--run needs --qrels"},
		{name: "complete without qrels", args: []string{"--data", "d", "--recs", "r", "-c"}, wantErr: "--complete needs --qrels"},
		{name: "qrels with data", args: []string{"--qrels", "q", "--run", "r", "--data", "d"}, wantErr: "--data does not go with --qrels"},
		{name: "qrels with split", args: []string{"--qrels", "q", "--run", "r", "--split", "random"}, wantErr: "--split does not go with --qrels"},
		{name: "qrels without runs", args: []string{"--qrels", "q"}, wantErr: "--qrels needs at least one --run file"},
		{name: "qrels with cutoff 0", args: []string{"--qrels", "q", "r", "--k", "0,10"}, wantErr: "give positive cutoffs"},
		{name: "split flag without split", args: []string{"--data", "d", "--recs", "r", "--test-fraction", "0.1"}, wantErr: "--test-fraction needs --split"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *ScoreOptions
			cmd := NewCmdScore(f, func(o *ScoreOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := parsed{Input: got.Input, Split: got.Split, Recs: got.Recs, Qrels: got.Qrels, Runs: got.Runs, Complete: got.Complete,
				Measures: got.Measures, Cutoffs: got.Cutoffs, Profile: got.Profile, Format: got.Format, PerUser: got.PerUser, JSON: got.JSON}
			if tc.want.Input.Roles == nil {
				tc.want.Input.Roles = cmdutil.RolesValue{}
			}
			if diff := cmp.Diff(tc.want, p); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
			if got.IO != f.IO || got.Now == nil {
				t.Error("options not filled from the factory")
			}
		})
	}
}
