package fairness

import (
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// Resampling runs in fixed-size chunks of replicates. Every chunk has its own
// random stream, derived from one value drawn from the caller's rand.Source
// and the chunk's index, so that the result depends on the seed only and not
// on GOMAXPROCS or on the order in which goroutines pick up chunks.

// baseSeed draws the one value that seeds all chunk streams: from src, or
// from the global source when src is nil.
func baseSeed(src rand.Source) uint64 {
	if src == nil {
		return rand.Uint64()
	}
	return src.Uint64()
}

// mix64 is the splitmix64 finaliser (Steele, Lea & Flood, "Fast Splittable
// Pseudorandom Number Generators", OOPSLA 2014).
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// stream is a small, fast generator (wyrand, Wang Yi's wyhash family: a Weyl
// sequence mixed by a 128-bit multiply; it passes BigCrush and PractRand) used
// in the resampling hot loops, where an interface call per draw would
// dominate. Streams of different chunks start at independent, hashed states
// of a 2⁶⁴-period sequence.
type stream struct{ s uint64 }

// newStream returns the stream of chunk c under base seed seed.
func newStream(seed uint64, c int) stream {
	return stream{s: mix64(seed ^ mix64(uint64(c)+0x9e3779b97f4a7c15))}
}

// Constants of wyrand.
const (
	wyInc = 0xa0761d6478bd642f
	wyMix = 0xe7037ed1a0b428db
)

func (r *stream) uint64() uint64 {
	r.s += wyInc
	hi, lo := bits.Mul64(r.s, r.s^wyMix)
	return hi ^ lo
}

// intn returns a uniform integer in [0, n), 0 < n < 2³², by Lemire's
// multiply-and-reject method ("Fast Random Integer Generation in an
// Interval", ACM TOMACS 2019).
func (r *stream) intn(n uint32) uint32 {
	m := uint64(uint32(r.uint64())) * uint64(n)
	if uint32(m) < n {
		m = r.reject(n, m)
	}
	return uint32(m >> 32)
}

// reject completes Lemire's method for a draw m that fell in the low zone:
// it redraws while the low half of m is below 2³² mod n. It is rarely called
// (probability n/2³² per draw), so it is kept out of line.
//
//go:noinline
func (r *stream) reject(n uint32, m uint64) uint64 {
	t := -n % n
	for uint32(m) < t {
		m = uint64(uint32(r.uint64())) * uint64(n)
	}
	return m
}

// workers returns the number of goroutines used for n chunks.
func workers(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n))
}

// forChunks calls fn(w, c) for every chunk c in [0, n), on workers(n)
// goroutines; w in [0, workers(n)) identifies the goroutine, so that fn can
// use per-worker scratch space. Chunks are handed out dynamically; fn must
// write its results to places that depend on c only.
func forChunks(n int, fn func(w, c int)) {
	nw := workers(n)
	if nw == 1 {
		for c := range n {
			fn(0, c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range nw {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= n {
					return
				}
				fn(w, c)
			}
		})
	}
	wg.Wait()
}
