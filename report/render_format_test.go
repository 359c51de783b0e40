package report

import (
	"math"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/fairness"
)

func TestNumberFormats(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	iv := func(lo, hi float64) fairness.Interval2 {
		return fairness.Interval2{fairness.Float(lo), fairness.Float(hi)}
	}
	for _, c := range []struct {
		name, got, want string
	}{
		{"fnum", fnum(0.32149), "0.321"},
		{"fnum large", fnum(354.44), "354.4"},
		{"fnum negative", fnum(-0.5), "−0.500"},
		{"fnum negative zero", fnum(-0.0001), "0.000"},
		{"fnum NaN", fnum(nan), "n/a"},
		{"fnum Inf", fnum(inf), "∞"},
		{"fpct", fpct(0.3804), "38.0%"},
		{"fpct NaN", fpct(nan), "n/a"},
		{"fpoints", fpoints(0.328), "+32.8"},
		{"fpoints negative", fpoints(-0.328), "−32.8"},
		{"fpoints zero", fpoints(0.0001), "0.0"},
		{"fratio", fratio(1.371), "1.37"},
		{"fratio Inf", fratio(inf), "∞"},
		{"fq small", fq(0.0004), "< 0.001"},
		{"fq", fq(0.0201), "0.020"},
		{"fq none", fq(nan), "—"},
		{"withCI", withCI(0.321, iv(0.291, 0.349), fnum), "0.321 [0.291, 0.349]"},
		{"withCI no interval", withCI(0.321, iv(nan, nan), fnum), "0.321"},
		{"withCI NaN value", withCI(nan, iv(0.1, 0.2), fnum), "n/a"},
		{"withCI percent", withCI(0.38, iv(0.375, 0.384), fpct), "38.0% [37.5%, 38.4%]"},
		{"plural one", plural(1, "test", "tests"), "1 test"},
		{"plural many", plural(1234, "test", "tests"), "1,234 tests"},
		{"joinAnd 1", joinAnd([]string{"a"}), "a"},
		{"joinAnd 2", joinAnd([]string{"a", "b"}), "a and b"},
		{"joinAnd 3", joinAnd([]string{"a", "b", "c"}), "a, b and c"},
		{"slug", slug("NDCG@10 by gender × age_band"), "ndcg-10-by-gender-age-band"},
		{"slug edges", slug("  --Ümlaut! "), "mlaut"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}

// TestMarkdownText checks that mdText escapes exactly the Markdown syntax
// a text could trigger (GitHub Flavored Markdown), and leaves the rest as
// it is, so that the raw file stays readable.
func TestMarkdownText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, 0.3 [0.1, 0.5]", "plain text, 0.3 [0.1, 0.5]"},
		{"a|b", `a\|b`},
		{"*bold* and `code`", "\\*bold\\* and \\`code\\`"},
		{"[link](http://x)", `[link\](http://x)`},
		{"<script>x</script>", `\<script>x\</script>`},
		{"q < 0.05 and 3 > 2", "q < 0.05 and 3 > 2"},
		{"high_cost_credit", "high_cost_credit"},
		{"_emph_", `\_emph\_`},
		{"a _b", `a \_b`},
		{"# not a heading", `\# not a heading`},
		{"- not a list", `\- not a list`},
		{"-0.5 stays", "-0.5 stays"},
		{"> not a quote", `\> not a quote`},
		{"1. not a list", `1\. not a list`},
		{"2025 was a year", "2025 was a year"},
		{"0.165", "0.165"},
		{"line\nbreak\t and  spaces", "line break and spaces"},
		{`back\slash ~strike~`, `back\\slash \~strike\~`},
		{"AT&T &amp; &#38; & co", `AT\&T \&amp; \&\#38; & co`},
	} {
		if got := mdText(c.in); got != c.want {
			t.Errorf("mdText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestMarkdownLink checks that link and alt texts escape every bracket:
// an unbalanced one inside [...](#x) would end the link early.
func TestMarkdownLink(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"A.2 ease", "A.2 ease"},
		{"[l](http://x) sys", `\[l\](http://x) sys`},
		{"a [b", `a \[b`},
		{"x] *y*", `x\] \*y\*`},
		{`back\slash [`, `back\\slash \[`},
	} {
		if got := mdLink(c.in); got != c.want {
			t.Errorf("mdLink(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFence(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", "```"},
		{"a ` b", "```"},
		{"a ``` b", "````"},
		{"`````", "``````"},
	} {
		if got := fence(c.in); got != c.want {
			t.Errorf("fence(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSpecJSON checks the spec of the reproduction section: the result's
// Spec as indented JSON, HTML characters kept as they are (the templates
// escape), and none for a result without one.
func TestSpecJSON(t *testing.T) {
	spec := &audit.Spec{Version: 1, Seed: 7, Dataset: audit.DatasetSpec{Name: "a<b"}}
	got, ok := specJSON(&audit.Result{Spec: spec})
	if !ok || !strings.HasPrefix(got, "{\n  \"version\": 1,\n  \"dataset\": {\n    \"name\": \"a<b\",") || !strings.HasSuffix(got, "\"seed\": 7\n}") {
		t.Errorf("spec %q, %v", got, ok)
	}
	if s, ok := specJSON(&audit.Result{}); ok {
		t.Errorf("a result without a spec gives %q", s)
	}
}
