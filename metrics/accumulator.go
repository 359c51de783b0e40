package metrics

import (
	"encoding/binary"
	"math"
	"slices"
)

// Status describes why a user is, or is not, in the means. It is a bit set.
type Status uint8

const (
	// StatusNoRelevant: the user has no relevant test item (R = ∅).
	StatusNoRelevant Status = 1 << iota
	// StatusNoList: the user's recommendation list is empty.
	StatusNoList
	// StatusExcluded: the user is left out of the means (its values are
	// NaN), because of one of the two conditions above and the Config.
	StatusExcluded
)

// Counts are the user counts behind the means of an Accumulator.
type Counts struct {
	Users      int64 // users seen
	Evaluated  int64 // users in the means (Users minus the excluded ones)
	NoRelevant int64 // users with no relevant test item, excluded or scored 0
	NoList     int64 // users with an empty list, excluded or scored as a miss
}

// Accumulator is the mergeable state of the means of several measures at
// several cutoffs: a user count and, per (measure, cutoff), the sum of the
// values of the evaluated users.
//
// Sums are exact: every value is added to a fixed-point integer wide enough
// for any float64, and rounded once when read. So a mean does not depend on
// the order of the users, and merging accumulators of disjoint sets of
// users gives bit for bit the accumulator of their union, whatever the
// split and the merge order. This is what lets shards evaluated apart (other
// goroutines, processes or machines; see MarshalBinary) be combined.
//
// The zero value is not usable; create one with NewAccumulator or get one
// from an Evaluator. An Accumulator is not safe for concurrent use.
type Accumulator struct {
	measures []Measure
	cutoffs  []int
	counts   Counts
	sums     []exactSum // [mi*len(cutoffs)+ci]
}

// NewAccumulator returns an empty accumulator for the measures at the
// cutoffs. The slices are copied. It panics if a measure is invalid or
// repeated, or a cutoff is negative, larger than MaxCutoff or repeated, or
// there are no cutoffs.
func NewAccumulator(measures []Measure, cutoffs []int) *Accumulator {
	if p := layoutProblem(measures, cutoffs); p != "" {
		panic(p)
	}
	return &Accumulator{
		measures: slices.Clone(measures),
		cutoffs:  slices.Clone(cutoffs),
		sums:     make([]exactSum, len(measures)*len(cutoffs)),
	}
}

// Measures returns a copy of the accumulated measures.
func (a *Accumulator) Measures() []Measure { return slices.Clone(a.measures) }

// Cutoffs returns a copy of the accumulated cutoffs.
func (a *Accumulator) Cutoffs() []int { return slices.Clone(a.cutoffs) }

// Counts returns the user counts.
func (a *Accumulator) Counts() Counts { return a.counts }

// AddUser adds one user with status s and values laid out as
// values[mi*len(cutoffs)+ci], in the order of Measures and Cutoffs (the
// layout of Result.Values). When s has StatusExcluded the values are not
// read and may be nil. This lets a caller build the means of a subset of
// users, such as a user group, from the per-user values of a Result.
// AddUser panics if the user is not excluded and len(values) is not
// len(Measures)·len(Cutoffs).
func (a *Accumulator) AddUser(values []float64, s Status) {
	a.counts.Users++
	if s&StatusNoRelevant != 0 {
		a.counts.NoRelevant++
	}
	if s&StatusNoList != 0 {
		a.counts.NoList++
	}
	if s&StatusExcluded != 0 {
		return
	}
	if len(values) != len(a.sums) {
		panic(lengthMismatch)
	}
	a.counts.Evaluated++
	for i, v := range values {
		a.sums[i].add(v)
	}
}

// Merge adds the users of b to a. Merging accumulators of disjoint sets of
// users is exact, associative and commutative. Merge panics if a and b do
// not hold the same measures and cutoffs in the same order.
func (a *Accumulator) Merge(b *Accumulator) {
	if !slices.Equal(a.measures, b.measures) || !slices.Equal(a.cutoffs, b.cutoffs) {
		panic(mergeMismatch)
	}
	a.counts.Users += b.counts.Users
	a.counts.Evaluated += b.counts.Evaluated
	a.counts.NoRelevant += b.counts.NoRelevant
	a.counts.NoList += b.counts.NoList
	for i := range a.sums {
		a.sums[i].merge(&b.sums[i])
	}
}

// index returns the position of (m, k) in the layout, or -1.
func (a *Accumulator) index(m Measure, k int) int {
	mi := slices.Index(a.measures, m)
	ci := slices.Index(a.cutoffs, k)
	if mi < 0 || ci < 0 {
		return -1
	}
	return mi*len(a.cutoffs) + ci
}

// Sum returns the sum of measure m at cutoff k over the evaluated users,
// rounded once from the exact sum. It panics if (m, k) was not accumulated.
func (a *Accumulator) Sum(m Measure, k int) float64 {
	i := a.index(m, k)
	if i < 0 {
		panic(missingColumn)
	}
	return a.sums[i].value()
}

// Mean returns the mean of measure m at cutoff k over the evaluated users,
//
//	mean = Sum(m, k) / Counts().Evaluated.
//
// It returns NaN when no user was evaluated, and panics if (m, k) was not
// accumulated.
func (a *Accumulator) Mean(m Measure, k int) float64 {
	s := a.Sum(m, k)
	if a.counts.Evaluated == 0 {
		return math.NaN()
	}
	return s / float64(a.counts.Evaluated)
}

// Means returns the mean of every (measure, cutoff), at index
// mi*len(Cutoffs)+ci (the layout of Result.Values); see Mean.
func (a *Accumulator) Means() []float64 {
	m := make([]float64, len(a.sums))
	for i := range m {
		m[i] = a.Mean(a.measures[i/len(a.cutoffs)], a.cutoffs[i%len(a.cutoffs)])
	}
	return m
}

// accumulatorMagic starts every encoded Accumulator ("rcaM", version 1).
const accumulatorMagic = 0x7263614d_00000001

// MarshalBinary encodes the accumulator, exact sums included, so that
// shards evaluated on other machines can be merged. The encoding is
// little-endian and versioned.
func (a *Accumulator) MarshalBinary() ([]byte, error) {
	b := binary.LittleEndian.AppendUint64(nil, accumulatorMagic)
	b = binary.AppendUvarint(b, uint64(len(a.measures)))
	for _, m := range a.measures {
		b = binary.AppendUvarint(b, uint64(m))
	}
	b = binary.AppendUvarint(b, uint64(len(a.cutoffs)))
	for _, c := range a.cutoffs {
		b = binary.AppendUvarint(b, uint64(c))
	}
	for _, c := range []int64{a.counts.Users, a.counts.Evaluated, a.counts.NoRelevant, a.counts.NoList} {
		b = binary.AppendVarint(b, c)
	}
	for i := range a.sums {
		s := a.sums[i]
		s.normalize()
		var flags byte
		if s.nan {
			flags |= 1
		}
		if s.posInf {
			flags |= 2
		}
		if s.negInf {
			flags |= 4
		}
		b = append(b, flags)
		for _, l := range s.limbs {
			b = binary.AppendVarint(b, l)
		}
	}
	return b, nil
}

// UnmarshalBinary decodes an accumulator encoded by MarshalBinary into a,
// replacing its contents. It returns an error if data is not such an
// encoding.
func (a *Accumulator) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	if d.fixed64() != accumulatorMagic {
		return encodingError{}
	}
	nm := d.uvarint()
	if nm > uint64(numMeasures) {
		return encodingError{}
	}
	measures := make([]Measure, nm)
	for i := range measures {
		measures[i] = Measure(d.uvarint())
	}
	nc := d.uvarint()
	if nc == 0 || nc > uint64(len(d.b)) {
		return encodingError{}
	}
	cutoffs := make([]int, nc)
	for i := range cutoffs {
		c := d.uvarint()
		if c > MaxCutoff {
			return encodingError{}
		}
		cutoffs[i] = int(c)
	}
	if d.err || layoutProblem(measures, cutoffs) != "" {
		return encodingError{}
	}
	var c Counts
	c.Users, c.Evaluated, c.NoRelevant, c.NoList = d.varint(), d.varint(), d.varint(), d.varint()
	sums := make([]exactSum, len(measures)*len(cutoffs))
	for i := range sums {
		flags := d.byte()
		sums[i].nan, sums[i].posInf, sums[i].negInf = flags&1 != 0, flags&2 != 0, flags&4 != 0
		for j := range sums[i].limbs {
			l := d.varint()
			if j < sumLimbs-1 && (l < 0 || l >= 1<<32) {
				return encodingError{}
			}
			sums[i].limbs[j] = l
		}
	}
	if d.err || len(d.b) != 0 {
		return encodingError{}
	}
	*a = Accumulator{measures: measures, cutoffs: cutoffs, counts: c, sums: sums}
	return nil
}

// encodingError is returned for malformed accumulator encodings.
type encodingError struct{}

func (encodingError) Error() string { return badEncoding }

// decoder reads the accumulator encoding, remembering the first error.
type decoder struct {
	b   []byte
	err bool
}

func (d *decoder) fixed64() uint64 {
	if len(d.b) < 8 {
		d.err = true
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = true
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}
