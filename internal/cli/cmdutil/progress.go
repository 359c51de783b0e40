package cmdutil

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Progress shows the stages of a long run on stderr, on a terminal only:
// while a stage runs, the line "label 1.2s" is redrawn in place every
// interval; when it ends, the line becomes "label: done in 1.4s". It is
// for work that reports no progress of its own (fitting a model, say),
// where the elapsed time is what can be shown.
//
// A disabled Progress (stderr not a terminal, --json or --quiet) does
// nothing. Methods must be called from one goroutine.
type Progress struct {
	w        io.Writer
	now      func() time.Time
	interval time.Duration
	enabled  bool

	mu    sync.Mutex // guards writes and now between the ticker and the caller
	label string
	start time.Time
	stop  chan struct{}
	done  chan struct{}
}

// progressInterval is how often a running stage's line is redrawn.
const progressInterval = 200 * time.Millisecond

// NewProgress returns a Progress writing to io.ErrOut, enabled when it is a
// terminal and quiet is false (pass true for --json or --quiet). now is
// the clock; it is called from the redrawing goroutine too.
func NewProgress(io *IOStreams, now func() time.Time, quiet bool) *Progress {
	return &Progress{w: io.ErrOut, now: now, interval: progressInterval, enabled: io.ErrTTY && !quiet}
}

// Start ends the running stage, if any, and starts one named label.
func (p *Progress) Start(label string) {
	if !p.enabled {
		return
	}
	p.Stop()
	p.mu.Lock()
	p.label, p.start = label, p.now()
	p.draw(false)
	p.mu.Unlock()
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.run(p.stop, p.done)
}

// Update changes the label of the running stage without ending it, for a
// stage that counts its progress ("Running 6 systems (2/6)"); with no
// stage running it starts one.
func (p *Progress) Update(label string) {
	if !p.enabled {
		return
	}
	if p.stop == nil {
		p.Start(label)
		return
	}
	p.mu.Lock()
	p.label = label
	p.draw(false)
	p.mu.Unlock()
}

// Stop ends the running stage, leaving its "done" line; it does nothing
// when no stage runs.
func (p *Progress) Stop() {
	if !p.enabled || p.stop == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.stop, p.done = nil, nil
	p.mu.Lock()
	p.draw(true)
	p.mu.Unlock()
}

func (p *Progress) run(stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw(false)
			p.mu.Unlock()
		}
	}
}

// draw rewrites the current line; p.mu must be held.
func (p *Progress) draw(final bool) {
	elapsed := p.now().Sub(p.start)
	if final {
		fmt.Fprintf(p.w, "\r\x1b[K%s: done in %s\n", p.label, roundElapsed(elapsed))
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s %s", p.label, roundElapsed(elapsed))
}

// roundElapsed rounds a duration for display: to 0.1 s, or 1 ms under
// a second.
func roundElapsed(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}
