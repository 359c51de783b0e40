package cmdutil

import (
	"fmt"
	"strconv"
	"time"

	"github.com/recaudit/recaudit/datasets"
	"github.com/spf13/cobra"
)

// SplitChoices are the split kinds of --split.
var SplitChoices = []Choice[datasets.SplitKind]{
	{"random", datasets.SplitRandom},
	{"leave-n-out", datasets.SplitLeaveNOut},
	{"last-n", datasets.SplitLastN},
	{"temporal-cutoff", datasets.SplitTemporalCutoff},
	{"temporal-fraction", datasets.SplitTemporalFraction},
}

// SplitInput is the train/test split a command applies to a dataset's
// interactions: recommend fits on the training part, score judges with
// the test part. The two commands share these flags, so that the same
// flags (and seed) give the same split.
type SplitInput struct {
	// Set reports whether --split was given; without it there is no split.
	Set   bool
	Split datasets.Split
}

// AddFlags adds --split, --test-fraction, --n, --cutoff, --min-interactions
// and --seed.
func (s *SplitInput) AddFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	EnumVar(cmd, &s.Split.Kind, "split", "", SplitChoices, "Split the interactions into train and test by `kind`")
	fl.Float64Var(&s.Split.Fraction, "test-fraction", datasets.DefaultSplitFraction, "Share `F` of interactions held out for test (random, temporal-fraction)")
	fl.IntVar(&s.Split.N, "n", datasets.DefaultSplitN, "Interactions `N` held out per user (leave-n-out, last-n)")
	fl.Var((*UnixTimeValue)(&s.Split.Cutoff), "cutoff", "First test `time`, Unix seconds or an RFC 3339 date such as 2024-06-01 (temporal-cutoff)")
	fl.IntVar(&s.Split.MinInteractions, "min-interactions", 0, "Keep users with fewer than `N` interactions whole, in train (0: the kind's minimum)")
	fl.Uint64Var(&s.Split.Seed, "seed", 0, "Random seed `N` of the random and leave-n-out splits")
}

// Check sets Set from the command line and checks the split flags: the
// others need --split, --test-fraction is in (0, 1), --n is at least 1 and
// --min-interactions is not negative. Call it from RunE.
func (s *SplitInput) Check(cmd *cobra.Command) error {
	s.Set = cmd.Flags().Changed("split")
	if !s.Set {
		for _, name := range []string{"test-fraction", "n", "cutoff", "min-interactions", "seed"} {
			if cmd.Flags().Changed(name) {
				return UsageErrorf("--%s needs --split", name)
			}
		}
		return nil
	}
	if f := s.Split.Fraction; !(f > 0 && f < 1) {
		return UsageErrorf("--test-fraction must be between 0 and 1 (exclusive), got %v", f)
	}
	if s.Split.N < 1 {
		return UsageErrorf("--n must be at least 1, got %d", s.Split.N)
	}
	if s.Split.MinInteractions < 0 {
		return UsageErrorf("--min-interactions must not be negative, got %d", s.Split.MinInteractions)
	}
	if s.Split.Kind == datasets.SplitTemporalCutoff && !cmd.Flags().Changed("cutoff") {
		return UsageErrorf("--split temporal-cutoff needs --cutoff")
	}
	return nil
}

// UnixTimeValue is a time flag in Unix seconds that also reads RFC 3339
// dates and times (UTC unless the text gives a zone).
type UnixTimeValue int64

func (v *UnixTimeValue) Set(s string) error {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*v = UnixTimeValue(n)
		return nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			*v = UnixTimeValue(t.Unix())
			return nil
		}
	}
	return fmt.Errorf("want Unix seconds or a date such as 2024-06-01, got %q", s)
}

func (v *UnixTimeValue) String() string { return strconv.FormatInt(int64(*v), 10) }
func (v *UnixTimeValue) Type() string   { return "time" }

// SplitSummary describes a split in a JSON document: the parameters the
// kind reads and what it did.
type SplitSummary struct {
	Kind              string  `json:"kind"`
	Fraction          float64 `json:"fraction,omitempty"`
	N                 int     `json:"n,omitempty"`
	Cutoff            *int64  `json:"cutoff,omitempty"`
	MinInteractions   int     `json:"min_interactions"`
	Seed              *uint64 `json:"seed,omitempty"`
	TrainInteractions int     `json:"train_interactions"`
	TestInteractions  int     `json:"test_interactions"`
	UsersSplit        int     `json:"users_split"`
	UsersKeptWhole    int     `json:"users_kept_whole"`
	UsersEmpty        int     `json:"users_empty"`
	UsersNoTest       int     `json:"users_no_test"`
}

// NewSplitSummary describes split s and its statistics st.
func NewSplitSummary(s datasets.Split, st datasets.SplitStats) *SplitSummary {
	out := &SplitSummary{
		Kind: s.Kind.String(), MinInteractions: s.MinInteractions,
		TrainInteractions: st.TrainInteractions, TestInteractions: st.TestInteractions,
		UsersSplit: st.UsersSplit, UsersKeptWhole: st.UsersKeptWhole, UsersEmpty: st.UsersEmpty, UsersNoTest: st.UsersNoTest,
	}
	switch s.Kind {
	case datasets.SplitRandom, datasets.SplitTemporalFraction:
		out.Fraction = s.Fraction
	case datasets.SplitLeaveNOut, datasets.SplitLastN:
		out.N = s.N
	}
	if s.Kind == datasets.SplitTemporalCutoff || s.Kind == datasets.SplitTemporalFraction {
		c := st.Cutoff
		out.Cutoff = &c
	}
	if s.Kind == datasets.SplitRandom || s.Kind == datasets.SplitLeaveNOut {
		seed := s.Seed
		out.Seed = &seed
	}
	return out
}

// Describe returns a short readable description of the split, such as
// "random split (test fraction 0.2, seed 0): 3,120 train, 780 test
// interactions".
func (s *SplitSummary) Describe() string {
	var p string
	switch {
	case s.Fraction != 0 && s.Seed != nil:
		p = fmt.Sprintf("test fraction %g, seed %d", s.Fraction, *s.Seed)
	case s.Fraction != 0:
		p = fmt.Sprintf("test fraction %g, cutoff %d", s.Fraction, *s.Cutoff)
	case s.Seed != nil:
		p = fmt.Sprintf("n %d, seed %d", s.N, *s.Seed)
	case s.N != 0:
		p = fmt.Sprintf("n %d", s.N)
	default:
		p = fmt.Sprintf("cutoff %d", *s.Cutoff)
	}
	return fmt.Sprintf("%s split (%s): %d train, %d test interactions", s.Kind, p, s.TrainInteractions, s.TestInteractions)
}
