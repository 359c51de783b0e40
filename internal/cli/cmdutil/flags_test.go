package cmdutil

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/spf13/cobra"
)

func TestEnumVar(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    datasets.Format
		wantErr string
	}{
		{"default", nil, datasets.FormatArrow, ""},
		{"parquet", []string{"--format", "parquet"}, datasets.FormatParquet, ""},
		{"csv", []string{"--format=csv"}, datasets.FormatCSV, ""},
		{"bad", []string{"--format", "xlsx"}, datasets.FormatArrow, "valid values are arrow, parquet, csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got datasets.Format
			cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
			EnumVar(cmd, &got, "format", "arrow", FormatChoices, "Table `format`")
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
			if got != tc.want {
				t.Errorf("format = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEnumVarUsage(t *testing.T) {
	var got datasets.DuplicatePolicy
	cmd := &cobra.Command{Use: "x"}
	fl := EnumVar(cmd, &got, "duplicates", "error", DuplicatesChoices, "Merge `policy` for repeated pairs")
	if want := "Merge `policy` for repeated pairs: {error|sum|max}"; fl.Usage != want {
		t.Errorf("usage = %q, want %q", fl.Usage, want)
	}
	if fl.DefValue != "error" {
		t.Errorf("default shown as %q, want error", fl.DefValue)
	}
}

func TestEnumVarBadDefaultPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a default that is not a choice")
		}
	}()
	var f datasets.Format
	EnumVar(&cobra.Command{Use: "x"}, &f, "format", "xlsx", FormatChoices, "format")
}

func TestRolesValue(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    RolesValue
		wantErr error
	}{
		{"none", nil, RolesValue{}, nil},
		{"two", []string{"--role", "gender=sensitive", "--role=provider=item_group"},
			RolesValue{"gender": datasets.RoleSensitive, "provider": datasets.RoleItemGroup}, nil},
		{"last wins", []string{"--role", "age=sensitive", "--role", "age=ignore"}, RolesValue{"age": datasets.RoleIgnore}, nil},
		{"unknown role", []string{"--role", "gender=protected"}, nil, datasets.ErrSchema},
		{"no equals", []string{"--role", "gender"}, nil, errors.New("want column=role")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			roles := RolesValue{}
			cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
			AddRolesFlag(cmd, roles)
			cmd.SetArgs(tc.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tc.wantErr != nil {
				if err == nil || !(errors.Is(err, tc.wantErr) || strings.Contains(err.Error(), tc.wantErr.Error())) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, roles); diff != "" {
				t.Errorf("roles (-want +got):\n%s", diff)
			}
		})
	}
	if got, want := (RolesValue{"b": datasets.RoleFlag, "a": datasets.RoleSensitive}).String(), "a=sensitive,b=flag"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestNoSubcommand(t *testing.T) {
	parent := &cobra.Command{Use: "data", Args: cobra.ArbitraryArgs, RunE: NoSubcommand}
	parent.AddCommand(&cobra.Command{Use: "validate", Run: func(*cobra.Command, []string) {}})
	var out bytes.Buffer
	parent.SetOut(&out)

	parent.SetArgs([]string{"validat"})
	err := parent.Execute()
	if !errors.Is(err, ErrUsage) {
		t.Fatalf("error %v, want a usage error", err)
	}
	if want := `unknown command "validat" for "data"; did you mean validate?`; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}

	parent.SetArgs(nil)
	if err := parent.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "validate") {
		t.Errorf("help not shown when called alone: %q", out.String())
	}
}
