package datasets

import (
	"maps"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BatchRows is the number of interactions per record batch that
// [Dataset.InteractionBatches] produces.
const BatchRows = 1 << 20

// timestampType is how interaction times are written: Unix seconds, UTC.
var timestampType = &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}

func roleField(name string, t arrow.DataType, r Role, nullable bool) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: nullable,
		Metadata: arrow.NewMetadata([]string{MetadataRole}, []string{r.String()})}
}

func (d *Dataset) schemaMetadata() *arrow.Metadata {
	keys := slices.Sorted(maps.Keys(d.Metadata))
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = d.Metadata[k]
	}
	md := arrow.NewMetadata(keys, vals)
	return &md
}

// idArray builds the ID column for the given dense indices.
func idArray(mem memory.Allocator, ids *IDs, idx []int32) arrow.Array {
	n := len(idx)
	if ids.Kind() == StringIDs {
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.Reserve(n)
		for _, j := range idx {
			b.Append(ids.strs[j])
		}
		return b.NewArray()
	}
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(n * 8)
	vals := arrow.Int64Traits.CastFromBytes(buf.Bytes())
	for i, j := range idx {
		vals[i] = ids.ints[j]
	}
	data := array.NewData(arrow.PrimitiveTypes.Int64, n, []*memory.Buffer{nil, buf}, nil, 0, 0)
	buf.Release()
	defer data.Release()
	return array.MakeFromData(data)
}

func idType(ids *IDs) arrow.DataType {
	if ids.Kind() == StringIDs {
		return arrow.BinaryTypes.String
	}
	return arrow.PrimitiveTypes.Int64
}

// InteractionsSchema returns the schema of [Dataset.InteractionBatches].
func (d *Dataset) InteractionsSchema() *arrow.Schema {
	fields := []arrow.Field{
		roleField("user_id", idType(d.Users), RoleUserID, false),
		roleField("item_id", idType(d.Items), RoleItemID, false),
	}
	if d.Interactions.Values != nil {
		fields = append(fields, roleField("value", arrow.PrimitiveTypes.Float32, RoleValue, false))
	}
	if d.Interactions.Times != nil {
		fields = append(fields, roleField("timestamp", timestampType, RoleTimestamp, false))
	}
	return arrow.NewSchema(fields, d.schemaMetadata())
}

// InteractionBatches returns the interactions as record batches of at most
// [BatchRows] rows, in user-index then item-index order: user_id, item_id,
// then value (float32) and timestamp (seconds, UTC) when present, roles in
// the field metadata and the dataset's Metadata on the schema. The caller
// must Release every batch.
func (d *Dataset) InteractionBatches(mem memory.Allocator) []arrow.RecordBatch {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	m := &d.Interactions
	schema := d.InteractionsSchema()
	var out []arrow.RecordBatch
	u := 0
	var rowUser []int32
	for lo := 0; lo < len(m.Cols); lo += BatchRows {
		hi := min(lo+BatchRows, len(m.Cols))
		n := hi - lo
		rowUser = grow(rowUser, n)
		for i := lo; i < hi; {
			for m.Offsets[u+1] <= int64(i) {
				u++
			}
			end := min(int(m.Offsets[u+1]), hi)
			for ; i < end; i++ {
				rowUser[i-lo] = int32(u)
			}
		}
		cols := []arrow.Array{idArray(mem, d.Users, rowUser), idArray(mem, d.Items, m.Cols[lo:hi])}
		if m.Values != nil {
			b := array.NewFloat32Builder(mem)
			b.AppendValues(m.Values[lo:hi], nil)
			cols = append(cols, b.NewArray())
			b.Release()
		}
		if m.Times != nil {
			b := array.NewTimestampBuilder(mem, timestampType)
			b.Reserve(n)
			for _, t := range m.Times[lo:hi] {
				b.UnsafeAppend(arrow.Timestamp(t))
			}
			cols = append(cols, b.NewArray())
			b.Release()
		}
		out = append(out, array.NewRecordBatch(schema, cols, int64(n)))
		for _, c := range cols {
			c.Release()
		}
	}
	return out
}

// UsersBatch returns the users table: user_id and the user columns, with
// roles in the field metadata. The caller must Release it.
func (d *Dataset) UsersBatch(mem memory.Allocator) arrow.RecordBatch {
	return d.entityBatch(mem, "user_id", RoleUserID, d.Users, d.UserColumns)
}

// ItemsBatch returns the items table: item_id and the item columns, with
// roles in the field metadata. The caller must Release it.
func (d *Dataset) ItemsBatch(mem memory.Allocator) arrow.RecordBatch {
	return d.entityBatch(mem, "item_id", RoleItemID, d.Items, d.ItemColumns)
}

func (d *Dataset) entityBatch(mem memory.Allocator, idName string, idRole Role, ids *IDs, columns []Column) arrow.RecordBatch {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	n := ids.Len()
	fields := []arrow.Field{roleField(idName, idType(ids), idRole, false)}
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	cols := []arrow.Array{idArray(mem, ids, idx)}
	for i := range columns {
		c := &columns[i]
		var arr arrow.Array
		var typ arrow.DataType
		switch c.Kind {
		case Categorical:
			typ = arrow.BinaryTypes.String
			b := array.NewStringBuilder(mem)
			for _, code := range c.Codes {
				if code < 0 {
					b.AppendNull()
				} else {
					b.Append(c.Levels[code])
				}
			}
			arr = b.NewArray()
			b.Release()
		case MultiCategorical:
			typ = arrow.ListOf(arrow.BinaryTypes.String)
			b := array.NewListBuilder(mem, arrow.BinaryTypes.String)
			vb := b.ValueBuilder().(*array.StringBuilder)
			for r := 0; r < c.Len(); r++ {
				b.Append(true)
				for _, code := range c.RowCodes(r) {
					vb.Append(c.Levels[code])
				}
			}
			arr = b.NewArray()
			b.Release()
		case Numeric:
			typ = arrow.PrimitiveTypes.Float64
			b := array.NewFloat64Builder(mem)
			for _, v := range c.Floats {
				if v != v { // NaN marks null
					b.AppendNull()
				} else {
					b.Append(v)
				}
			}
			arr = b.NewArray()
			b.Release()
		case Bool:
			typ = arrow.FixedWidthTypes.Boolean
			b := array.NewBooleanBuilder(mem)
			b.AppendValues(c.Bools, nil)
			arr = b.NewArray()
			b.Release()
		}
		fields = append(fields, roleField(c.Name, typ, c.Role, true))
		cols = append(cols, arr)
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, d.schemaMetadata()), cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}
