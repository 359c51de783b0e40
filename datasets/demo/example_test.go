package demo_test

import (
	"context"
	"fmt"

	"github.com/recaudit/recaudit/datasets/demo"
)

func ExampleGenerate() {
	cfg := demo.DefaultConfig()
	cfg.Users, cfg.Items, cfg.Interactions = 1000, 400, 20_000

	d, err := demo.Generate(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := &d.Interactions
	fmt.Println("users:", m.Rows, "items:", m.NumCols, "interactions:", m.NNZ())
	for _, c := range d.UserColumns {
		fmt.Printf("users.%s (%v, %v) %q\n", c.Name, c.Kind, c.Role, c.Levels)
	}
	for _, c := range d.ItemColumns {
		if c.Name != "provider" {
			fmt.Printf("items.%s (%v, %v) %q\n", c.Name, c.Kind, c.Role, c.Levels)
		}
	}
	fmt.Println("age activity effect:", d.Metadata[demo.MetaAgeActivity])
	fmt.Println("credit group:", d.Metadata[demo.MetaCreditPropensity+".column"], d.Metadata[demo.MetaCreditPropensity+".group"])
	// Output:
	// users: 1000 items: 400 interactions: 21759
	// users.gender (categorical, sensitive) ["F" "M" "X"]
	// users.age_band (categorical, sensitive) ["18-24" "25-34" "35-44" "45-54" "55-64" "65+"]
	// users.region (categorical, attribute) ["central" "east" "north" "south" "west"]
	// users.consent_personalization (bool, consent) []
	// items.provider_type (categorical, item_group) ["brand" "independent"]
	// items.category (multi-categorical, item_group) ["automotive" "beauty" "books" "electronics" "fashion" "finance" "garden" "grocery" "health" "home" "sports" "toys"]
	// items.price_tier (categorical, attribute) ["high" "low" "mid"]
	// items.high_cost_credit (bool, flag) []
	// age activity effect: 0.5
	// credit group: age_band 18-24
}

// The zero Effects is the null world: no group differs in anything.
func ExampleEffects_IsNull() {
	cfg := demo.Config{Users: 500, Items: 100, Interactions: 6000, Seed: 1}
	d, err := demo.Generate(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Effects.IsNull(), d.Metadata[demo.MetaNullWorld], demo.DefaultEffects().IsNull())
	// Output:
	// true true false
}
