package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	libaudit "github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
)

// Columns of the per-user table before the metric columns.
const (
	colSystem   = "system"
	colUser     = "user_id"
	colFallback = "fallback"
)

// Pseudonymize returns the pseudonym of a user ID under key: the
// lower-case hex HMAC-SHA-256 of the ID's text with the key. The same key
// and ID always give the same pseudonym; without the key it cannot be
// linked back to the ID.
func Pseudonymize(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))
}

// perUserTable builds the per-user table of an audit: one row per
// (system, user), systems in result order and users in dataset order (with
// a key, in the order of their pseudonyms, so that the rows cannot be
// matched to users by position), with the columns
//
//	system      string   the system's name
//	user_id     int64 or string, the dataset's ID; with a key, the
//	            string Pseudonymize(key, id) instead
//	fallback    bool     the user was served the non-personalised fallback
//	                     (no consent); null for systems read from a file
//	<metric>@k  float64  every per-user column of the systems (accuracy
//	                     measures, novelty, ARP, APLT, popularity lift,
//	                     miscalibration, targeting measures), null where the
//	                     value is undefined (NaN)
//
// The caller must Release the batches.
func perUserTable(mem memory.Allocator, out *libaudit.Outcome, key []byte) (*arrow.Schema, []arrow.RecordBatch) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	res, users := out.Result, out.Users
	var metricNames []string
	for _, s := range res.Systems {
		for _, c := range s.PerUser {
			if !slices.Contains(metricNames, c.Name) {
				metricNames = append(metricNames, c.Name)
			}
		}
	}
	idType := arrow.DataType(arrow.PrimitiveTypes.Int64)
	if key != nil || users.Kind() == datasets.StringIDs {
		idType = arrow.BinaryTypes.String
	}
	fields := []arrow.Field{
		{Name: colSystem, Type: arrow.BinaryTypes.String},
		{Name: colUser, Type: idType},
		{Name: colFallback, Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}
	for _, n := range metricNames {
		fields = append(fields, arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Float64, Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)

	// User IDs, the same in every batch.
	nu := users.Len()
	var pseudo []string
	order := make([]int, nu) // row r holds user order[r]
	for u := range order {
		order[u] = u
	}
	if key != nil {
		byUser := make([]string, nu)
		for u := range nu {
			byUser[u] = Pseudonymize(key, users.String(int32(u)))
		}
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(byUser[a], byUser[b]) })
		pseudo = make([]string, nu)
		for r, u := range order {
			pseudo[r] = byUser[u]
		}
	}
	batches := make([]arrow.RecordBatch, 0, len(res.Systems))
	for si, s := range res.Systems {
		cols := make([]arrow.Array, 0, len(fields))
		sb := array.NewStringBuilder(mem)
		for range nu {
			sb.Append(s.Name)
		}
		cols = append(cols, sb.NewArray())
		sb.Release()
		switch {
		case pseudo != nil:
			b := array.NewStringBuilder(mem)
			b.AppendValues(pseudo, nil)
			cols = append(cols, b.NewArray())
			b.Release()
		case users.Kind() == datasets.StringIDs:
			b := array.NewStringBuilder(mem)
			b.AppendValues(users.Strs(), nil)
			cols = append(cols, b.NewArray())
			b.Release()
		default:
			b := array.NewInt64Builder(mem)
			b.AppendValues(users.Ints(), nil)
			cols = append(cols, b.NewArray())
			b.Release()
		}
		fb := array.NewBooleanBuilder(mem)
		if fallback := out.Fallback[si]; fallback != nil {
			for _, u := range order {
				fb.Append(fallback[u])
			}
		} else {
			fb.AppendNulls(nu)
		}
		cols = append(cols, fb.NewArray())
		fb.Release()
		for _, n := range metricNames {
			b := array.NewFloat64Builder(mem)
			b.Reserve(nu)
			var vals []float64
			for _, c := range s.PerUser {
				if c.Name == n {
					vals = c.Values
				}
			}
			for _, u := range order {
				if vals == nil || math.IsNaN(vals[u]) {
					b.UnsafeAppendBoolToBitmap(false)
				} else {
					b.UnsafeAppend(vals[u])
				}
			}
			cols = append(cols, b.NewArray())
			b.Release()
		}
		batches = append(batches, array.NewRecordBatch(schema, cols, int64(nu)))
		for _, c := range cols {
			c.Release()
		}
	}
	return schema, batches
}
