package datasets

import "slices"

// radixThreshold is the row length from which sortInt32 uses a radix sort;
// shorter rows use pdqsort.
const radixThreshold = 48

// sortInt32 sorts non-negative values below 1<<bits ascending, using tmp
// (grown as needed and returned) as scratch: an LSD radix sort with 8-bit
// digits for long rows, pdqsort for short ones.
func sortInt32(s []int32, tmp []int32, bits int) []int32 {
	if len(s) < radixThreshold {
		slices.Sort(s)
		return tmp
	}
	tmp = grow(tmp, len(s))
	src, dst := s, tmp
	var count [256]int
	for shift := 0; shift < bits; shift += 8 {
		clear(count[:])
		for _, v := range src {
			count[(v>>shift)&0xff]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, v := range src {
			d := (v >> shift) & 0xff
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &s[0] {
		copy(s, src)
	}
	return tmp
}

// bitsFor returns the number of bits needed for values below n.
func bitsFor(n int) int {
	b := 0
	for (1 << b) < n {
		b++
	}
	return max(b, 1)
}
