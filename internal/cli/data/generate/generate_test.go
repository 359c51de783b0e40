package generate

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

func TestNewCmdGenerateFlags(t *testing.T) {
	def := demo.DefaultConfig()
	small := def
	small.Users, small.Items, small.Interactions, small.Seed = 300, 200, 4000, 7
	null := def
	null.Effects = demo.Effects{}
	for _, tc := range []struct {
		name    string
		args    []string
		want    GenerateOptions // only the parsed fields
		wantErr bool
	}{
		{name: "defaults", args: []string{"--out", "d"},
			want: GenerateOptions{Out: "d", Config: def, Format: datasets.FormatArrow}},
		{name: "sizes and seed", args: []string{"--out=d", "--users", "300", "--items", "200", "--interactions", "4000", "--seed", "7", "--format", "csv", "--force", "--json"},
			want: GenerateOptions{Out: "d", Config: small, Format: datasets.FormatCSV, Force: true, JSON: true}},
		{name: "null world", args: []string{"--out", "d", "--null-world", "--format", "parquet"},
			want: GenerateOptions{Out: "d", Config: null, NullWorld: true, Format: datasets.FormatParquet}},
		{name: "no out", args: nil, wantErr: true},
		{name: "argument", args: []string{"--out", "d", "extra"}, wantErr: true},
		{name: "bad format", args: []string{"--out", "d", "--format", "xlsx"}, wantErr: true},
		{name: "zero users", args: []string{"--out", "d", "--users", "0"}, wantErr: true},
		{name: "negative items", args: []string{"--out", "d", "--items", "-5"}, wantErr: true},
		{name: "negative seed", args: []string{"--out", "d", "--seed", "-1"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *GenerateOptions
			cmd := NewCmdGenerate(f, func(o *GenerateOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			parsed := GenerateOptions{Out: got.Out, Config: got.Config, NullWorld: got.NullWorld,
				Format: got.Format, Force: got.Force, JSON: got.JSON}
			if diff := cmp.Diff(tc.want, parsed); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
			if got.IO != f.IO || got.Now == nil {
				t.Error("options not filled from the factory")
			}
		})
	}
}
