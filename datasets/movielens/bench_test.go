package movielens

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSynthetic1M writes a synthetic data set in the MovieLens 1M layout
// with the given numbers of users, movies and ratings per user.
func writeSynthetic1M(b *testing.B, users, movies, perUser int) string {
	b.Helper()
	dir := b.TempDir()
	src := rand.New(rand.NewPCG(1, 1))
	var u, m, r strings.Builder
	for i := 1; i <= users; i++ {
		fmt.Fprintf(&u, "%d::%s::%d::%d::%05d\n", i, []string{"F", "M"}[src.IntN(2)], ageBands[src.IntN(len(ageBands))].code, src.IntN(21), src.IntN(100000))
	}
	for i := 1; i <= movies; i++ {
		fmt.Fprintf(&m, "%d::Movie %d (%d)::Drama|Comedy\n", i, i, 1950+src.IntN(50))
	}
	for i := 1; i <= users; i++ {
		for _, j := range src.Perm(movies)[:perUser] {
			fmt.Fprintf(&r, "%d::%d::%d::%d\n", i, j+1, 1+src.IntN(5), 956703932+src.IntN(1e7))
		}
	}
	for name, s := range map[string]string{"users.dat": u.String(), "movies.dat": m.String(), "ratings.dat": r.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

func BenchmarkImport1M(b *testing.B) {
	for _, size := range []struct{ users, movies, perUser int }{
		{100, 200, 20}, {1000, 1000, 50}, {6000, 4000, 165}, // the last about the size of MovieLens 1M
	} {
		b.Run(fmt.Sprintf("ratings=%d", size.users*size.perUser), func(b *testing.B) {
			dir := writeSynthetic1M(b, size.users, size.movies, size.perUser)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Import(dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
