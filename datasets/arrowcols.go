package datasets

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// This file holds the typed access to Arrow arrays that the loaders use:
// every function here reads an array without modifying it and copies what it
// keeps, so nothing returned refers to Arrow (or memory-mapped) buffers.

// isIntType reports whether t is an integer type usable for IDs.
func isIntType(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return true
	}
	return false
}

// isStringType reports whether t is a string type (plain, large, view, or a
// dictionary of strings).
func isStringType(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
		return true
	case arrow.DICTIONARY:
		return isStringType(t.(*arrow.DictionaryType).ValueType)
	}
	return false
}

// isFloatType reports whether t is a floating-point type.
func isFloatType(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64:
		return true
	}
	return false
}

// isTimeType reports whether t is a timestamp or date type.
func isTimeType(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.TIMESTAMP, arrow.DATE32, arrow.DATE64:
		return true
	}
	return false
}

// isListOfStrings reports whether t is a list (or large list) of strings.
func isListOfStrings(t arrow.DataType) bool {
	switch lt := t.(type) {
	case *arrow.ListType:
		return isStringType(lt.Elem())
	case *arrow.LargeListType:
		return isStringType(lt.Elem())
	}
	return false
}

// intsOf returns the values of an integer array as int64, using the
// array's own buffer for int64 and scratch otherwise. Null slots hold
// arbitrary values; callers check validity. An unsigned value above
// MaxInt64 is reported by its row as bad.
func intsOf(arr arrow.Array, scratch []int64) ([]int64, int) {
	n := arr.Len()
	switch a := arr.(type) {
	case *array.Int64:
		return a.Int64Values(), -1
	}
	scratch = grow(scratch, n)
	switch a := arr.(type) {
	case *array.Int32:
		for i, v := range a.Int32Values() {
			scratch[i] = int64(v)
		}
	case *array.Int16:
		for i, v := range a.Int16Values() {
			scratch[i] = int64(v)
		}
	case *array.Int8:
		for i, v := range a.Int8Values() {
			scratch[i] = int64(v)
		}
	case *array.Uint8:
		for i, v := range a.Uint8Values() {
			scratch[i] = int64(v)
		}
	case *array.Uint16:
		for i, v := range a.Uint16Values() {
			scratch[i] = int64(v)
		}
	case *array.Uint32:
		for i, v := range a.Uint32Values() {
			scratch[i] = int64(v)
		}
	case *array.Uint64:
		for i, v := range a.Uint64Values() {
			if v > math.MaxInt64 && arr.IsValid(i) {
				return nil, i
			}
			scratch[i] = int64(v)
		}
	default:
		panic("datasets: intsOf on " + arr.DataType().String())
	}
	return scratch, -1
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// stringAt returns an accessor for the i-th string of a string or
// dictionary-of-string array. The returned strings may alias Arrow memory:
// clone them before keeping them.
func stringAt(arr arrow.Array) func(i int) string {
	switch a := arr.(type) {
	case *array.String:
		return a.Value
	case *array.LargeString:
		return a.Value
	case *array.StringView:
		return a.Value
	case *array.Dictionary:
		dict := stringAt(a.Dictionary())
		return func(i int) string { return dict(a.GetValueIndex(i)) }
	}
	panic("datasets: stringAt on " + arr.DataType().String())
}

// floatAt returns an accessor for the i-th value of a numeric array as
// float64.
func floatAt(arr arrow.Array) func(i int) float64 {
	switch a := arr.(type) {
	case *array.Float64:
		return a.Value
	case *array.Float32:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Float16:
		return func(i int) float64 { return float64(a.Value(i).Float32()) }
	}
	if isIntType(arr.DataType()) {
		vals, _ := intsOf(arr, nil)
		if vals == nil { // uint64 overflow: fall back to exact conversion
			u := arr.(*array.Uint64)
			return func(i int) float64 { return float64(u.Value(i)) }
		}
		return func(i int) float64 { return float64(vals[i]) }
	}
	if isTimeType(arr.DataType()) {
		secs := timeAt(arr)
		return func(i int) float64 {
			s, _ := secs(i)
			return float64(s)
		}
	}
	panic("datasets: floatAt on " + arr.DataType().String())
}

// timeAt returns an accessor for the i-th value of a time-like column as
// Unix seconds: timestamps (any unit, truncated to seconds), dates, integers
// (taken as Unix seconds), and strings in RFC 3339, "2006-01-02 15:04:05"
// or "2006-01-02" form (UTC unless an offset is given). ok is false for a
// string that does not parse.
func timeAt(arr arrow.Array) func(i int) (int64, bool) {
	switch a := arr.(type) {
	case *array.Timestamp:
		div := unitsPerSecond(a.DataType().(*arrow.TimestampType).Unit)
		return func(i int) (int64, bool) { return floorDiv(int64(a.Value(i)), div), true }
	case *array.Date32:
		return func(i int) (int64, bool) { return int64(a.Value(i)) * 86400, true }
	case *array.Date64:
		return func(i int) (int64, bool) { return floorDiv(int64(a.Value(i)), 1000), true }
	}
	if isIntType(arr.DataType()) {
		vals, bad := intsOf(arr, nil)
		return func(i int) (int64, bool) {
			if vals == nil {
				return 0, i != bad
			}
			return vals[i], true
		}
	}
	if isStringType(arr.DataType()) {
		str := stringAt(arr)
		return func(i int) (int64, bool) { return parseTime(str(i)) }
	}
	panic("datasets: timeAt on " + arr.DataType().String())
}

// unitsPerSecond returns how many of a timestamp unit make a second.
func unitsPerSecond(unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Millisecond:
		return 1e3
	case arrow.Microsecond:
		return 1e6
	case arrow.Nanosecond:
		return 1e9
	}
	return 1
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) {
		q--
	}
	return q
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}

func parseTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Unix(), true
		}
	}
	return 0, false
}

// listAt returns an accessor for the strings of the i-th element of a
// list-of-strings array (nil for a null element). The strings may alias
// Arrow memory.
func listAt(arr arrow.Array) func(i int, dst []string) []string {
	var offs func(i int) (int64, int64)
	var values arrow.Array
	switch a := arr.(type) {
	case *array.List:
		values = a.ListValues()
		offs = func(i int) (int64, int64) { return a.ValueOffsets(i) }
	case *array.LargeList:
		values = a.ListValues()
		offs = func(i int) (int64, int64) { return a.ValueOffsets(i) }
	default:
		panic("datasets: listAt on " + arr.DataType().String())
	}
	str := stringAt(values)
	return func(i int, dst []string) []string {
		dst = dst[:0]
		lo, hi := offs(i)
		for j := lo; j < hi; j++ {
			if values.IsValid(int(j)) {
				dst = append(dst, str(int(j)))
			}
		}
		return dst
	}
}

// typeName names an Arrow type for error messages.
func typeName(t arrow.DataType) string { return fmt.Sprint(t) }
