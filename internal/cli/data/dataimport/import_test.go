package dataimport

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

func TestNewCmdImportFlags(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    ImportOptions // only the parsed fields
		wantErr error         // nil: no error; else the error must match it
	}{
		{name: "movielens", args: []string{"movielens", "ml-1m", "--out", "ml"},
			want: ImportOptions{Source: MovieLens, Dir: "ml-1m", Out: "ml", Format: datasets.FormatArrow}},
		{name: "format force json", args: []string{"movielens", "ml-100k", "--out", "ml", "--format", "parquet", "--force", "--json"},
			want: ImportOptions{Source: MovieLens, Dir: "ml-100k", Out: "ml", Format: datasets.FormatParquet, Force: true, JSON: true}},
		{name: "unknown source", args: []string{"netflix", "d", "--out", "o"}, wantErr: cmdutil.ErrUsage},
		{name: "no out", args: []string{"movielens", "d"}, wantErr: cmdutil.ErrUsage},
		{name: "no dir", args: []string{"movielens", "--out", "o"}, wantErr: errors.New("any")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *ImportOptions
			cmd := NewCmdImport(f, func(o *ImportOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tc.wantErr != nil {
				if err == nil || (errors.Is(tc.wantErr, cmdutil.ErrUsage) && !errors.Is(err, cmdutil.ErrUsage)) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			parsed := ImportOptions{Source: got.Source, Dir: got.Dir, Out: got.Out, Format: got.Format, Force: got.Force, JSON: got.JSON}
			if diff := cmp.Diff(tc.want, parsed); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
	if MovieLens.String() != "movielens" {
		t.Errorf("MovieLens.String() = %q", MovieLens.String())
	}
}
