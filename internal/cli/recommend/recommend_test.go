package recommend

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

func TestNewCmdRecommendFlags(t *testing.T) {
	defSplit := datasets.Split{Fraction: datasets.DefaultSplitFraction, N: datasets.DefaultSplitN}
	split := defSplit
	split.Kind, split.Seed = datasets.SplitLeaveNOut, 9
	for _, tc := range []struct {
		name    string
		args    []string
		want    RecommendOptions // only the parsed fields
		wantErr string
	}{
		{name: "minimal", args: []string{"--data", "d", "--algo", "popular", "--k", "10", "--out", "r.arrow"},
			want: RecommendOptions{Input: cmdutil.DatasetInput{Dir: "d"}, Split: cmdutil.SplitInput{Split: defSplit},
				Algo: "popular", K: 10, Out: "r.arrow", Format: datasets.FormatArrow}},
		{name: "params split and files", args: []string{"--interactions", "i.csv", "--users", "u.csv", "--algo", "itemknn",
			"--param", "neighbors=20", "--param=shrink=1.5", "--k=5", "--out", "r.parquet", "--split", "leave-n-out",
			"--seed", "9", "--system", "knn20", "--force", "--json"},
			want: RecommendOptions{Input: cmdutil.DatasetInput{Interactions: "i.csv", Users: "u.csv"},
				Split: cmdutil.SplitInput{Set: true, Split: split}, Algo: "itemknn", Params: []string{"neighbors=20", "shrink=1.5"},
				System: "knn20", K: 5, Out: "r.parquet", Format: datasets.FormatParquet, Force: true, JSON: true}},
		{name: "format adds the extension", args: []string{"--data", "d", "--algo", "popular", "--k", "3", "--out", "recs", "--format", "csv"},
			want: RecommendOptions{Input: cmdutil.DatasetInput{Dir: "d"}, Split: cmdutil.SplitInput{Split: defSplit},
				Algo: "popular", K: 3, Out: "recs.csv", Format: datasets.FormatCSV}},
		{name: "format matching the extension", args: []string{"--data", "d", "--algo", "popular", "--k", "3", "--out", "r.pq", "--format", "parquet"},
			want: RecommendOptions{Input: cmdutil.DatasetInput{Dir: "d"}, Split: cmdutil.SplitInput{Split: defSplit},
				Algo: "popular", K: 3, Out: "r.pq", Format: datasets.FormatParquet}},
		{name: "list", args: []string{"--list", "--json"},
			want: RecommendOptions{Split: cmdutil.SplitInput{Split: defSplit}, List: true, JSON: true}},
		{name: "list one", args: []string{"--list", "--algo", "itemknn"},
			want: RecommendOptions{Split: cmdutil.SplitInput{Split: defSplit}, List: true, Algo: "itemknn"}},
		{name: "list with data", args: []string{"--list", "--data", "d"}, wantErr: "--list takes only --algo and --json, not --data"},
		{name: "no data", args: []string{"--algo", "popular", "--k", "10", "--out", "r.arrow"}, wantErr: "--data DIR is required"},
		{name: "no algo", args: []string{"--data", "d", "--k", "10", "--out", "r.arrow"}, wantErr: "--algo is required"},
		{name: "no k", args: []string{"--data", "d", "--algo", "popular", "--out", "r.arrow"}, wantErr: "--k is required"},
		{name: "zero k", args: []string{"--data", "d", "--algo", "popular", "--k", "0", "--out", "r.arrow"}, wantErr: "--k must be positive"},
		{name: "no out", args: []string{"--data", "d", "--algo", "popular", "--k", "1"}, wantErr: "--out is required"},
		{name: "unknown extension", args: []string{"--data", "d", "--algo", "popular", "--k", "1", "--out", "r.txt"}, wantErr: "name the file .arrow, .parquet or .csv"},
		{name: "format conflict", args: []string{"--data", "d", "--algo", "popular", "--k", "1", "--out", "r.csv", "--format", "arrow"}, wantErr: "does not end in .arrow"},
		{name: "seed without split", args: []string{"--data", "d", "--algo", "popular", "--k", "1", "--out", "r.csv", "--seed", "2"}, wantErr: "--seed needs --split"},
		{name: "argument", args: []string{"--data", "d", "--algo", "popular", "--k", "1", "--out", "r.csv", "extra"}, wantErr: "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *RecommendOptions
			cmd := NewCmdRecommend(f, func(o *RecommendOptions) error { got = o; return nil })
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
			parsed := RecommendOptions{Input: got.Input, Split: got.Split, Algo: got.Algo, Params: got.Params, System: got.System,
				K: got.K, Out: got.Out, Format: got.Format, Force: got.Force, List: got.List, JSON: got.JSON}
			tc.want.Input.Roles = cmdutil.RolesValue{}
			if diff := cmp.Diff(tc.want, parsed); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
			if got.IO != f.IO || got.Now == nil || got.Registry != f.Recommenders {
				t.Error("options not filled from the factory")
			}
		})
	}
}
