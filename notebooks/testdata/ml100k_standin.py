#!/usr/bin/python3
"""Writes an invented stand-in for MovieLens 100K into a directory, for notebooks/run.

  ml100k_standin.py OUTDIR

The files have the layout of the ml-100k folder (u.data, u.user, u.item,
u.genre; see the data set's README), and sizes like the real data (943 users,
1,682 movies, about 100,000 ratings, at least 20 per user), but every value is
drawn here from a seeded generator: nothing comes from MovieLens, whose licence
forbids redistribution. It lets notebooks/run execute the real-data path of
05-movielens.ipynb in CI, where the data cannot be downloaded. The output is
the same on every run.

The generator has taste structure to learn (each user favours a few genres, and
movies have Zipf popularity) and, so that the notebook's analysis has something
to find, planted activity differences: women and older users rate fewer
movies. They are properties of this invented data only.
"""

import math
import os
import random
import sys

USERS, MOVIES, TARGET_RATINGS = 943, 1682, 100_000
GENRES = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
          "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
          "Romance", "Sci-Fi", "Thriller", "War", "Western"]
OCCUPATIONS = ["administrator", "artist", "doctor", "educator", "engineer", "entertainment",
               "executive", "healthcare", "homemaker", "lawyer", "librarian", "marketing",
               "none", "other", "programmer", "retired", "salesman", "scientist", "student",
               "technician", "writer"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def main(out):
    rnd = random.Random(20180101)
    os.makedirs(out, exist_ok=True)

    # Movies: 1 to 3 genres, a release year, Zipf popularity in a random order.
    movies = []
    for m in range(1, MOVIES + 1):
        genres = rnd.sample(range(1, len(GENRES)), rnd.choice([1, 1, 2, 2, 3]))
        movies.append((m, genres, rnd.randint(1930, 1998)))
    rank = list(range(MOVIES))
    rnd.shuffle(rank)
    popularity = [(rank[i] + 3) ** -1.0 for i in range(MOVIES)]
    pools = {g: [i for i, mv in enumerate(movies) if g in mv[1]] for g in range(1, len(GENRES))}
    pools[0] = list(range(MOVIES))  # any genre
    cum = {}
    for g, pool in pools.items():
        acc, c = 0.0, []
        for j in pool:
            acc += popularity[j]
            c.append(acc)
        cum[g] = c

    # Users: gender, age, occupation; activity falls with age and is lower
    # for women.
    users = []
    for u in range(1, USERS + 1):
        gender = "F" if rnd.random() < 0.29 else "M"
        age = max(7, min(73, int(rnd.gauss(33, 11))))
        users.append((u, age, gender, rnd.choice(OCCUPATIONS), "%05d" % rnd.randrange(100000)))
    weights = []
    for _, age, gender, _, _ in users:
        w = math.exp(-0.025 * (age - 30)) * (0.7 if gender == "F" else 1.0)
        weights.append(w * math.exp(rnd.gauss(0, 0.8)))
    scale = (TARGET_RATINGS - 20 * USERS) / sum(weights)

    lines = []
    t0 = 874_724_710  # September 1997, as in the real data's period
    for (u, _, _, _, _), w in zip(users, weights):
        n = min(MOVIES // 2, 20 + int(w * scale))
        favourite = rnd.sample(range(1, len(GENRES)), 3)
        seen = set()
        while len(seen) < n:
            g = rnd.choice(favourite) if rnd.random() < 0.7 else 0
            if not pools[g]:
                g = 0
            i = rnd.choices(pools[g], cum_weights=cum[g])[0]
            seen.add(i)
        for i in sorted(seen):
            rating = max(1, min(5, round(rnd.gauss(3.6, 1.0))))
            lines.append("%d\t%d\t%d\t%d\n" % (u, i + 1, rating, t0 + rnd.randrange(15_000_000)))
    rnd.shuffle(lines)  # the real u.data is not sorted by user either

    with open(os.path.join(out, "u.data"), "w", encoding="latin-1") as f:
        f.writelines(lines)
    with open(os.path.join(out, "u.user"), "w", encoding="latin-1") as f:
        for u, age, gender, occ, zipc in users:
            f.write("%d|%d|%s|%s|%s\n" % (u, age, gender, occ, zipc))
    with open(os.path.join(out, "u.item"), "w", encoding="latin-1") as f:
        for m, genres, year in movies:
            flags = "|".join("1" if g in genres else "0" for g in range(len(GENRES)))
            date = "01-%s-%d" % (MONTHS[m % 12], year)
            f.write("%d|Invented Movie %d (%d)|%s||http://example.invalid/%d|%s\n" % (m, m, year, date, m, flags))
    with open(os.path.join(out, "u.genre"), "w", encoding="latin-1") as f:
        for i, g in enumerate(GENRES):
            f.write("%s|%d\n" % (g, i))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
