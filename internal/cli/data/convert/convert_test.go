package convert

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

func TestNewCmdConvertFlags(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    ConvertOptions // only the parsed fields
		wantErr bool
	}{
		{name: "dir", args: []string{"in", "--out", "out", "--format", "parquet"},
			want: ConvertOptions{In: "in", Out: "out", Format: datasets.FormatParquet, Roles: cmdutil.RolesValue{}}},
		{name: "file, format from extension", args: []string{"in/users.arrow", "--out", "users.csv"},
			want: ConvertOptions{In: "in/users.arrow", Out: "users.csv", Format: datasets.FormatUnknown, Roles: cmdutil.RolesValue{}}},
		{name: "roles, duplicates, force, json", args: []string{"in", "--out", "o", "--format", "csv", "--role", "age=sensitive", "--duplicates", "sum", "--force", "--json"},
			want: ConvertOptions{In: "in", Out: "o", Format: datasets.FormatCSV, Roles: cmdutil.RolesValue{"age": datasets.RoleSensitive},
				Duplicates: datasets.DuplicatesSum, Force: true, JSON: true}},
		{name: "no out", args: []string{"in"}, wantErr: true},
		{name: "no input", args: []string{"--out", "o"}, wantErr: true},
		{name: "two inputs", args: []string{"a", "b", "--out", "o"}, wantErr: true},
		{name: "bad format", args: []string{"in", "--out", "o", "--format", "arrows"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *ConvertOptions
			cmd := NewCmdConvert(f, func(o *ConvertOptions) error { got = o; return nil })
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
			parsed := ConvertOptions{In: got.In, Out: got.Out, Format: got.Format, Roles: got.Roles,
				Duplicates: got.Duplicates, Force: got.Force, JSON: got.JSON}
			if diff := cmp.Diff(tc.want, parsed); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}
