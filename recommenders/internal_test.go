package recommenders

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitJoinWords(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{`a b  c`, []string{"a", "b", "c"}},
		{`python3 "my rec.py" --out={out}`, []string{"python3", "my rec.py", "--out={out}"}},
		{`sh -c 'echo "$X" > {out}'`, []string{"sh", "-c", `echo "$X" > {out}`}},
		{`a\ b "c\"d" 'e\f' "g\h"`, []string{"a b", `c"d`, `e\f`, `g\h`}},
		{`'' ""`, []string{"", ""}},
		{`  `, nil},
	}
	for _, c := range cases {
		got, err := splitWords(c.in)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("splitWords(%q) = %q, %v; want %q", c.in, got, err, c.want)
			continue
		}
		back, err := splitWords(joinWords(got))
		if err != nil || !slices.Equal(back, c.want) {
			t.Errorf("joinWords(%q) = %q reads back as %q, %v", got, joinWords(got), back, err)
		}
	}
	for _, bad := range []string{`"open`, `'open`, `trailing\`} {
		if _, err := splitWords(bad); err == nil {
			t.Errorf("splitWords(%q): no error", bad)
		}
	}
}

func TestExpand(t *testing.T) {
	vals := map[string]string{"train": "/t/train.arrow", "items": "/t/items.arrow", "users": "/t/users.arrow", "k": "10", "out": "/t/recs.arrow", "dir": "/t"}
	got := expand([]string{"prog", "--train={train}", "{k}", "{out}{out}", `{"json": {k}}`, "{unknown}"}, vals)
	want := []string{"prog", "--train=/t/train.arrow", "10", "/t/recs.arrow/t/recs.arrow", `{"json": 10}`, "{unknown}"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTailBuffer(t *testing.T) {
	b := &tailBuffer{limit: 8}
	b.Write([]byte("hello"))
	if got := b.String(); got != "hello" {
		t.Errorf("got %q", got)
	}
	for i := 0; i < 100; i++ {
		b.Write([]byte("0123456789"))
	}
	b.Write([]byte("end"))
	if got := b.String(); got != "...56789end" {
		t.Errorf("got %q, want the last 8 bytes after ...", got)
	}
	if len(b.buf) > 2*b.limit {
		t.Errorf("kept %d bytes, more than twice the limit", len(b.buf))
	}
	// A cut in the middle of a character drops its partial bytes.
	b = &tailBuffer{limit: 4}
	b.Write([]byte(strings.Repeat("é", 10))) // 2 bytes each
	if got := b.String(); got != "...éé" {
		t.Errorf("got %q", got)
	}
	b = &tailBuffer{limit: 3}
	b.Write([]byte("xxé")) // 4 bytes: the last 3 are "xé"
	if got := b.String(); got != "...xé" {
		t.Errorf("got %q", got)
	}
	b = &tailBuffer{limit: 2}
	b.Write([]byte("aéb")) // last 2 bytes: second byte of é, then b
	if got := b.String(); got != "...b" {
		t.Errorf("got %q", got)
	}
}
