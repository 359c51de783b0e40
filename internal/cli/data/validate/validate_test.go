package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/clitest"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

func TestNewCmdValidateFlags(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    cmdutil.DatasetInput
		json    bool
		wantErr bool
	}{
		{name: "dir", args: []string{"d"}, want: cmdutil.DatasetInput{Dir: "d", Roles: cmdutil.RolesValue{}}},
		{name: "files", args: []string{"--interactions", "i.csv", "--users", "u.csv", "--items", "t.parquet", "--json"},
			want: cmdutil.DatasetInput{Interactions: "i.csv", Users: "u.csv", Items: "t.parquet", Roles: cmdutil.RolesValue{}}, json: true},
		{name: "roles and duplicates", args: []string{"d", "--role", "region=sensitive", "--role", "tier=attribute", "--duplicates", "max"},
			want: cmdutil.DatasetInput{Dir: "d", Duplicates: datasets.DuplicatesMax,
				Roles: cmdutil.RolesValue{"region": datasets.RoleSensitive, "tier": datasets.RoleAttribute}}},
		{name: "nothing", args: nil, wantErr: true},
		{name: "dir and files", args: []string{"d", "--interactions", "i.csv"}, wantErr: true},
		{name: "users without interactions", args: []string{"--users", "u.csv"}, wantErr: true},
		{name: "two dirs", args: []string{"d", "e"}, wantErr: true},
		{name: "bad role", args: []string{"d", "--role", "region=secret"}, wantErr: true},
		{name: "bad duplicates", args: []string{"d", "--duplicates", "min"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *ValidateOptions
			cmd := NewCmdValidate(f, func(o *ValidateOptions) error { got = o; return nil })
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
			if diff := cmp.Diff(tc.want, got.Input); diff != "" {
				t.Errorf("input (-want +got):\n%s", diff)
			}
			if got.JSON != tc.json {
				t.Errorf("JSON = %v, want %v", got.JSON, tc.json)
			}
		})
	}
}

func TestValidateRun(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	p := clitest.WriteArrow(t, dir, clitest.Small())

	t.Run("json", func(t *testing.T) {
		var out bytes.Buffer
		opts := &ValidateOptions{IO: &cmdutil.IOStreams{Out: &out}, Allocator: mem, JSON: true,
			Input: cmdutil.DatasetInput{Dir: dir}}
		if err := validateRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		var got Result
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
		}
		// clitest.Small: 4 users, 5 items, 7 interactions; items d and e
		// have none.
		want := Result{Valid: true, Interactions: p.Interactions, Users: p.Users, Items: p.Items,
			NumUsers: 4, NumItems: 5, NumInteractions: 7, InteractionRows: 7, ItemsWithoutHistory: 2,
			IgnoredColumns: []string{}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("result (-want +got):\n%s", diff)
		}
	})
	t.Run("text", func(t *testing.T) {
		var out bytes.Buffer
		opts := &ValidateOptions{IO: &cmdutil.IOStreams{Out: &out}, Allocator: mem,
			Input: cmdutil.DatasetInput{Interactions: p.Interactions}}
		if err := validateRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		// Without the users and items tables, items d and e are unknown.
		want := "valid: 4 users, 3 items, 7 interactions\n" +
			"  interactions  " + p.Interactions + " (7 rows)\n" +
			"  users         (none: indexed from the interactions)\n" +
			"  items         (none: indexed from the interactions)\n"
		if got := out.String(); got != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("missing dir", func(t *testing.T) {
		var out bytes.Buffer
		opts := &ValidateOptions{IO: &cmdutil.IOStreams{Out: &out}, Allocator: mem,
			Input: cmdutil.DatasetInput{Dir: filepath.Join(dir, "nope")}}
		err := validateRun(context.Background(), opts)
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("error %v, want one wrapping os.ErrNotExist", err)
		}
		if out.Len() != 0 {
			t.Errorf("stdout written on failure: %q", out.String())
		}
	})
	t.Run("corrupt file", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "interactions.arrow")
		if err := os.WriteFile(bad, []byte("user_id,item_id\n1,2\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		opts := &ValidateOptions{IO: &cmdutil.IOStreams{Out: &bytes.Buffer{}}, Allocator: mem,
			Input: cmdutil.DatasetInput{Interactions: bad}}
		err := validateRun(context.Background(), opts)
		var de *datasets.Error
		if !errors.Is(err, datasets.ErrFormat) || !errors.As(err, &de) || de.File != bad {
			t.Errorf("error %v, want a datasets.ErrFormat naming %s", err, bad)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		opts := &ValidateOptions{IO: &cmdutil.IOStreams{Out: &bytes.Buffer{}}, Input: cmdutil.DatasetInput{Dir: dir}}
		if err := validateRun(ctx, opts); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
}
