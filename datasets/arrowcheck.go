package datasets

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// validateBatch checks that every array of rec is internally consistent,
// so that reading any of its values cannot panic: buffers long enough for
// the length and offset, offsets in bounds and non-decreasing, strings
// valid UTF-8, dictionary indices within their dictionary. arrow-go's IPC
// readers check only part of this, so a corrupt file could otherwise make
// the code that reads the values index out of range. The cost is one pass
// over offsets, indices and string bytes.
func validateBatch(rec arrow.RecordBatch) error {
	for j, c := range rec.Columns() {
		if int64(c.Len()) != rec.NumRows() {
			return fmt.Errorf("column %d has %d rows, the batch %d", j, c.Len(), rec.NumRows())
		}
		if err := validateArray(c, 0); err != nil {
			return fmt.Errorf("column %q: %w", rec.ColumnName(j), err)
		}
	}
	return nil
}

const maxNesting = 64

// bitsFit reports whether the bitmap buffer i of a can hold offset+length bits.
func bitsFit(a arrow.Array, i int) bool {
	bufs := a.Data().Buffers()
	if i >= len(bufs) || bufs[i] == nil {
		return false
	}
	return int64(bufs[i].Len())*8 >= int64(a.Data().Offset())+int64(a.Len())
}

func validateArray(a arrow.Array, depth int) error {
	if depth > maxNesting {
		return errors.New("arrays nested too deeply")
	}
	d := a.Data()
	if d.Offset() < 0 || d.Len() < 0 {
		return fmt.Errorf("negative offset %d or length %d", d.Offset(), d.Len())
	}
	if a.Len() == 0 {
		return nil
	}
	if bufs := d.Buffers(); len(bufs) > 0 && bufs[0] != nil && bufs[0].Len() > 0 && !bitsFit(a, 0) {
		return errors.New("validity bitmap shorter than the array")
	}
	switch a := a.(type) {
	case *array.Boolean:
		if !bitsFit(a, 1) {
			return errors.New("boolean values shorter than the array")
		}
	case *array.Dictionary:
		dict := a.Dictionary()
		if err := validateArray(dict, depth+1); err != nil {
			return fmt.Errorf("dictionary: %w", err)
		}
		if err := validateArray(a.Indices(), depth+1); err != nil {
			return fmt.Errorf("dictionary indices: %w", err)
		}
		n := dict.Len()
		for i := 0; i < a.Len(); i++ {
			if a.IsValid(i) {
				if k := a.GetValueIndex(i); k < 0 || k >= n {
					return fmt.Errorf("dictionary index %d at row %d outside the dictionary of %d values", k, i, n)
				}
			}
		}
	case array.ListLike:
		if v, ok := a.(interface{ ValidateFull() error }); ok {
			if err := v.ValidateFull(); err != nil {
				return err
			}
		}
		if err := validateArray(a.ListValues(), depth+1); err != nil {
			return fmt.Errorf("list values: %w", err)
		}
	case *array.Struct:
		for i := 0; i < a.NumField(); i++ {
			if err := validateArray(a.Field(i), depth+1); err != nil {
				return fmt.Errorf("struct field %d: %w", i, err)
			}
		}
	default:
		if v, ok := a.(interface{ ValidateFull() error }); ok {
			return v.ValidateFull()
		}
	}
	return nil
}
