package cmdutil

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

// lockedClock is a fake clock, safe for the redrawing goroutine, that
// advances by step on every call.
func lockedClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now := t
		t = t.Add(step)
		return now
	}
}

func TestProgressDisabled(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tty   bool
		quiet bool
	}{{"not a terminal", false, false}, {"quiet on a terminal", true, true}} {
		var buf bytes.Buffer
		p := NewProgress(&IOStreams{ErrOut: &buf, ErrTTY: tc.tty}, lockedClock(time.Second), tc.quiet)
		p.Start("fitting")
		p.Stop()
		p.Stop()
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %q", tc.name, buf.String())
		}
	}
}

func TestProgressStages(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&IOStreams{ErrOut: &buf, ErrTTY: true}, lockedClock(500*time.Millisecond), false)
	p.interval = time.Hour // no redraws between the calls: the output is exact
	p.Start("loading")     // clock 0 s, drawn at 0.5 s
	p.Start("fitting")     // loading ends at 1 s; fitting starts at 1.5 s, drawn at 2 s
	p.Stop()               // fitting ends at 2.5 s
	p.Stop()               // nothing runs: no output
	// Hand-derived from the clock steps above.
	want := "\r\x1b[Kloading 500ms" + "\r\x1b[Kloading: done in 1s\n" +
		"\r\x1b[Kfitting 500ms" + "\r\x1b[Kfitting: done in 1s\n"
	if got := buf.String(); got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

func TestProgressRedraws(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	w := writerFunc(func(b []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return buf.Write(b) })
	p := NewProgress(&IOStreams{ErrOut: w, ErrTTY: true}, lockedClock(time.Millisecond), false)
	p.interval = time.Millisecond
	p.Start("fitting")
	time.Sleep(20 * time.Millisecond)
	p.Stop()
	mu.Lock()
	defer mu.Unlock()
	if n := bytes.Count(buf.Bytes(), []byte("\r\x1b[Kfitting ")); n < 2 {
		t.Errorf("%d redraws in 20ms at a 1ms interval, want several: %q", n, buf.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func TestProgressUpdate(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&IOStreams{ErrOut: &buf, ErrTTY: true}, lockedClock(500*time.Millisecond), false)
	p.interval = time.Hour
	p.Update("systems (0/2)") // no stage runs: starts one at 0 s, drawn at 0.5 s
	p.Update("systems (1/2)") // same stage, drawn at 1 s
	p.Stop()                  // ends at 1.5 s, 1.5 s after its start
	// Hand-derived from the clock steps above.
	want := "\r\x1b[Ksystems (0/2) 500ms" + "\r\x1b[Ksystems (1/2) 1s" + "\r\x1b[Ksystems (1/2): done in 1.5s\n"
	if got := buf.String(); got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	var quiet bytes.Buffer
	q := NewProgress(&IOStreams{ErrOut: &quiet, ErrTTY: true}, lockedClock(time.Second), true)
	q.Update("x")
	q.Stop()
	if quiet.Len() != 0 {
		t.Errorf("quiet progress wrote %q", quiet.String())
	}
}
