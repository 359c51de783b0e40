package generate

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// GenerateOptions are the inputs of "recaudit data generate".
type GenerateOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator
	Now       func() time.Time

	Out       string
	Config    demo.Config // Users, Items, Interactions and Seed from the flags
	NullWorld bool
	Format    datasets.Format
	Force     bool
	JSON      bool
}

// NewCmdGenerate returns the "data generate" command. When runF is not nil
// it is called with the parsed options instead of running the command.
func NewCmdGenerate(f *cmdutil.Factory, runF func(*GenerateOptions) error) *cobra.Command {
	opts := &GenerateOptions{IO: f.IO, Allocator: f.Allocator, Now: f.Now, Config: demo.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "generate --out DIR [flags]",
		Short: "Write the synthetic demo dataset",
		Long: `Write the synthetic demo shop: users with sensitive attributes (gender,
age band) and a consent flag, items with providers, categories and a
high-cost-credit flag, and their interactions, as interactions, users and
items tables in DIR.

By default the data has planted group differences (older users less active,
brand items more popular, gender-specific category tastes, young users drawn
to high-cost credit) that an audit should find; --null-world generates the
same shop with none, where an audit should find nothing. The same flags
always give the same data.

A one-line summary goes to stderr; with --json a summary document goes to
stdout. Existing tables in DIR are replaced only with --force (which also
removes the tables of other formats, so DIR holds one dataset).`,
		Example: `  recaudit data generate --out demo-data
  recaudit data generate --out small --users 300 --items 200 --interactions 4000 --seed 7
  recaudit data generate --out null --null-world --format parquet --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Out == "" {
				return cmdutil.UsageErrorf("--out is required")
			}
			for _, n := range []struct {
				name string
				v    int
			}{{"users", opts.Config.Users}, {"items", opts.Config.Items}, {"interactions", opts.Config.Interactions}} {
				if n.v <= 0 {
					return cmdutil.UsageErrorf("--%s must be positive, got %d", n.name, n.v)
				}
			}
			if opts.NullWorld {
				opts.Config.Effects = demo.Effects{}
			}
			if runF != nil {
				return runF(opts)
			}
			return generateRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Out, "out", "", "Write the tables to `DIR` (created if missing)")
	fl.Uint64Var(&opts.Config.Seed, "seed", opts.Config.Seed, "Random seed `N`: the same seed and sizes give the same data")
	fl.IntVar(&opts.Config.Users, "users", opts.Config.Users, "Generate `N` users")
	fl.IntVar(&opts.Config.Items, "items", opts.Config.Items, "Generate `N` items")
	fl.IntVar(&opts.Config.Interactions, "interactions", opts.Config.Interactions, "Generate about `N` interactions")
	fl.BoolVar(&opts.NullWorld, "null-world", false, "Plant no group differences")
	cmdutil.EnumVar(cmd, &opts.Format, "format", "arrow", cmdutil.FormatChoices, "Table file `format`")
	fl.BoolVar(&opts.Force, "force", false, "Replace the tables already in the output directory")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// Summary is the JSON document printed by "recaudit data generate --json".
type Summary struct {
	cmdutil.WrittenDataset
	Seed      uint64  `json:"seed"`
	NullWorld bool    `json:"null_world"`
	Effects   Effects `json:"effects"`
}

// Effects are the planted effects (see demo.Effects); all zero in the null
// world.
type Effects struct {
	AgeActivity      float64 `json:"age_activity"`
	BrandPopularity  float64 `json:"brand_popularity"`
	CategoryTaste    float64 `json:"category_taste"`
	CreditPropensity float64 `json:"credit_propensity"`
}

func generateRun(ctx context.Context, opts *GenerateOptions) error {
	old, err := cmdutil.CheckOutputDir(opts.Out, opts.Force)
	if err != nil {
		return err
	}
	start := opts.Now()
	d, err := demo.Generate(ctx, opts.Config)
	if err != nil {
		return err
	}
	if err := datasets.WriteDataset(opts.Out, d, opts.Format, datasets.WithAllocator(opts.Allocator)); err != nil {
		return err
	}
	if err := cmdutil.RemoveStale(old, datasets.TablePaths(opts.Out, opts.Format)); err != nil {
		return err
	}
	p, err := datasets.Locate(opts.Out)
	if err != nil {
		return err
	}
	s := Summary{
		WrittenDataset: cmdutil.NewWrittenDataset(opts.Out, opts.Format, p, d),
		Seed:           opts.Config.Seed,
		NullWorld:      opts.Config.Effects.IsNull(),
		Effects:        Effects(opts.Config.Effects),
	}
	world := "planted effects"
	if s.NullWorld {
		world = "null world"
	}
	fmt.Fprintf(opts.IO.ErrOut, "Wrote demo dataset (%s, seed %d) to %s: %d users, %d items, %d interactions, %s, in %s\n",
		world, s.Seed, opts.Out, s.Users, s.Items, s.Interactions, s.Format, opts.Now().Sub(start).Round(time.Millisecond))
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, s)
	}
	return nil
}
