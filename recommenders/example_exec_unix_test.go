//go:build unix

package recommenders_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
)

func ExampleExec() {
	ctx := context.Background()
	// A stand-in for an external system: a shell script that recommends
	// "eggs" to user 101, writing CSV to the path of {out}. Real systems
	// read {train}, {items} and {users} (see examples/exec-recommender).
	rec := &recommenders.Exec{
		Command: []string{"sh", "-c", `printf 'user_id,item_id,rank\n101,eggs,1\n' > "$1"`, "sh", "{out}"},
		Format:  datasets.FormatCSV,
		Timeout: time.Minute,
	}
	rec.SetIDs(shopIDs())
	if err := rec.Fit(ctx, shop()); err != nil {
		panic(err)
	}
	lists, err := rec.Recommend(ctx, []int32{0, 1}, 3)
	if err != nil {
		panic(err)
	}
	printLists(lists)

	// A failing system: the error quotes the command and its stderr.
	rec.Command = []string{"sh", "-c", "echo 'out of memory' >&2; exit 137"}
	_, err = rec.Recommend(ctx, []int32{0}, 3)
	fmt.Println(err)
	fmt.Println(errors.Is(err, recommenders.ErrExternal))
	// Output:
	// user 0: [4]
	// user 1: []
	// user 2: []
	// user 3: []
	// recommenders: exec: command sh -c 'echo '\''out of memory'\'' >&2; exit 137': exit status 137; its stderr ends with:
	// out of memory
	// true
}
