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

func TestSplitInput(t *testing.T) {
	def := datasets.Split{Fraction: datasets.DefaultSplitFraction, N: datasets.DefaultSplitN}
	with := func(f func(*datasets.Split)) datasets.Split { s := def; f(&s); return s }
	for _, tc := range []struct {
		name    string
		args    []string
		want    SplitInput
		wantErr string
	}{
		{"none", nil, SplitInput{Split: def}, ""},
		{"random", []string{"--split", "random", "--test-fraction", "0.3", "--seed", "7"},
			SplitInput{Set: true, Split: with(func(s *datasets.Split) { s.Fraction, s.Seed = 0.3, 7 })}, ""},
		{"leave-n-out", []string{"--split=leave-n-out", "--n", "2", "--min-interactions", "5"},
			SplitInput{Set: true, Split: with(func(s *datasets.Split) { s.Kind, s.N, s.MinInteractions = datasets.SplitLeaveNOut, 2, 5 })}, ""},
		// 2024-06-01T00:00:00Z is 1717200000 Unix seconds.
		{"cutoff date", []string{"--split", "temporal-cutoff", "--cutoff", "2024-06-01"},
			SplitInput{Set: true, Split: with(func(s *datasets.Split) { s.Kind, s.Cutoff = datasets.SplitTemporalCutoff, 1717200000 })}, ""},
		{"cutoff seconds", []string{"--split", "temporal-cutoff", "--cutoff", "86400"},
			SplitInput{Set: true, Split: with(func(s *datasets.Split) { s.Kind, s.Cutoff = datasets.SplitTemporalCutoff, 86400 })}, ""},
		{"seed without split", []string{"--seed", "3"}, SplitInput{}, "--seed needs --split"},
		{"fraction 1", []string{"--split", "random", "--test-fraction", "1"}, SplitInput{}, "--test-fraction must be between 0 and 1"},
		{"n 0", []string{"--split", "last-n", "--n", "0"}, SplitInput{}, "--n must be at least 1"},
		{"negative minimum", []string{"--split", "random", "--min-interactions", "-1"}, SplitInput{}, "--min-interactions must not be negative"},
		{"cutoff missing", []string{"--split", "temporal-cutoff"}, SplitInput{}, "needs --cutoff"},
		{"bad cutoff", []string{"--split", "temporal-cutoff", "--cutoff", "June"}, SplitInput{}, "want Unix seconds or a date"},
		{"bad kind", []string{"--split", "kfold"}, SplitInput{}, "valid values are random, leave-n-out, last-n, temporal-cutoff, temporal-fraction"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s SplitInput
			cmd := &cobra.Command{Use: "x", RunE: func(cmd *cobra.Command, _ []string) error { return s.Check(cmd) }}
			s.AddFlags(cmd)
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
			if diff := cmp.Diff(tc.want, s); diff != "" {
				t.Errorf("split (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitSummary(t *testing.T) {
	st := datasets.SplitStats{Cutoff: 99, TrainInteractions: 8, TestInteractions: 2, UsersSplit: 3}
	for _, tc := range []struct {
		s    datasets.Split
		want string
	}{
		{datasets.Split{Fraction: 0.2, Seed: 4}, "random split (test fraction 0.2, seed 4): 8 train, 2 test interactions"},
		{datasets.Split{Kind: datasets.SplitLeaveNOut, N: 1}, "leave-n-out split (n 1, seed 0): 8 train, 2 test interactions"},
		{datasets.Split{Kind: datasets.SplitLastN, N: 2}, "last-n split (n 2): 8 train, 2 test interactions"},
		{datasets.Split{Kind: datasets.SplitTemporalCutoff, Cutoff: 99}, "temporal-cutoff split (cutoff 99): 8 train, 2 test interactions"},
		{datasets.Split{Kind: datasets.SplitTemporalFraction, Fraction: 0.1}, "temporal-fraction split (test fraction 0.1, cutoff 99): 8 train, 2 test interactions"},
	} {
		if got := NewSplitSummary(tc.s, st).Describe(); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.s.Kind, got, tc.want)
		}
	}
}

func TestCheckData(t *testing.T) {
	for _, tc := range []struct {
		in   DatasetInput
		want string
	}{
		{DatasetInput{Dir: "d"}, ""},
		{DatasetInput{Interactions: "i", Items: "t"}, ""},
		{DatasetInput{}, "--data DIR is required"},
		{DatasetInput{Dir: "d", Users: "u"}, "not both"},
		{DatasetInput{Items: "t"}, "need --interactions"},
	} {
		err := tc.in.CheckData()
		if tc.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc.in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrUsage) {
			t.Errorf("%+v: error %v, want a usage error containing %q", tc.in, err, tc.want)
		}
	}
}
