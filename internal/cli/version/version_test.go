package version

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

func TestNewCmdVersionFlags(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		wantJSON bool
		wantErr  bool
	}{
		{"default", nil, false, false},
		{"json", []string{"--json"}, true, false},
		{"argument", []string{"x"}, false, true},
		{"unknown flag", []string{"--short"}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *VersionOptions
			cmd := NewCmdVersion(f, func(o *VersionOptions) error { got = o; return nil })
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
			if got.JSON != tc.wantJSON {
				t.Errorf("JSON = %v, want %v", got.JSON, tc.wantJSON)
			}
			if got.Version != Version || got.IO != f.IO {
				t.Errorf("options not filled from the package and factory: %+v", got)
			}
		})
	}
}

func fakeBuildInfo() (*debug.BuildInfo, bool) {
	return &debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/recaudit/recaudit", Version: "v0.1.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc123"},
			{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}, true
}

func TestVersionRun(t *testing.T) {
	platform := runtime.GOOS + "/" + runtime.GOARCH
	t.Run("json", func(t *testing.T) {
		var out bytes.Buffer
		opts := &VersionOptions{IO: &cmdutil.IOStreams{Out: &out}, JSON: true, Version: "v0.1.0", BuildInfo: fakeBuildInfo}
		if err := versionRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		var got Info
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
		}
		want := Info{Version: "v0.1.0", GoVersion: "go1.26.0", Platform: platform,
			Module: "github.com/recaudit/recaudit", ModuleVersion: "v0.1.0",
			VCSRevision: "abc123", VCSTime: "2026-01-02T03:04:05Z", VCSModified: true}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("JSON mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("text", func(t *testing.T) {
		var out bytes.Buffer
		opts := &VersionOptions{IO: &cmdutil.IOStreams{Out: &out}, Version: "v0.1.0", BuildInfo: fakeBuildInfo}
		if err := versionRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		want := "recaudit v0.1.0\n" +
			"go:       go1.26.0 " + platform + "\n" +
			"module:   github.com/recaudit/recaudit v0.1.0\n" +
			"revision: abc123 2026-01-02T03:04:05Z (modified)\n"
		if got := out.String(); got != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("no build info", func(t *testing.T) {
		var out bytes.Buffer
		opts := &VersionOptions{IO: &cmdutil.IOStreams{Out: &out}, Version: "dev",
			BuildInfo: func() (*debug.BuildInfo, bool) { return nil, false }}
		if err := versionRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		if got, want := out.String(), "recaudit dev\ngo:       "+runtime.Version()+" "+platform+"\n"; got != want {
			t.Errorf("stdout = %q, want %q", got, want)
		}
		if strings.Contains(out.String(), "module") {
			t.Error("module line printed without build info")
		}
	})
}
