package recommenders_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/datasets"
)

// recRow is one row of a recommendation file written by tests.
type recRow struct {
	user   int32 // dense index, written as its external ID
	item   int32
	rank   int64
	score  float64
	system string
}

// writeRecsFile writes rows as a CSV recommendation file: user_id and
// item_id as the external IDs, rank, and optionally score and system.
func writeRecsFile(t *testing.T, path string, users, items *datasets.IDs, rows []recRow, withScore, withSystem bool) {
	t.Helper()
	var b strings.Builder
	b.WriteString("user_id,item_id,rank")
	if withScore {
		b.WriteString(",score")
	}
	if withSystem {
		b.WriteString(",system")
	}
	b.WriteByte('\n')
	for _, r := range rows {
		b.WriteString(users.String(r.user) + "," + items.String(r.item) + "," + strconv.FormatInt(r.rank, 10))
		if withScore {
			b.WriteString("," + strconv.FormatFloat(r.score, 'g', -1, 64))
		}
		if withSystem {
			b.WriteString("," + r.system)
		}
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// rowsOf turns rankings into file rows, ranks 1, 2, ... per list.
func rowsOf(r datasets.Rankings, system string) []recRow {
	var rows []recRow
	for u := 0; u < r.Users(); u++ {
		for j, i := range r.List(u) {
			row := recRow{user: int32(u), item: i, rank: int64(j + 1), system: system}
			if s := r.ListScores(u); s != nil {
				row.score = s[j]
			}
			rows = append(rows, row)
		}
	}
	return rows
}
