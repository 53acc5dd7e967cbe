package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progressMinimum is the range size below which a bar would only flicker.
const progressMinimum = 300

// progressBar draws "reading 340/732 commits" on a terminal's stderr, at most
// ten times a second, and erases itself when done.
type progressBar struct {
	w     io.Writer
	label string
	mu    sync.Mutex
	last  time.Time
	shown bool
}

// newProgress returns nil (no bar) unless stderr is a terminal and the user
// did not ask for silence.
func newProgress(stderr io.Writer, disabled bool, label string) *progressBar {
	if disabled || !isTerminal(stderr) {
		return nil
	}
	return &progressBar{w: stderr, label: label}
}

// Update is safe to call from several goroutines.
func (p *progressBar) Update(done, total int) {
	if p == nil || total < progressMinimum {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if done < total && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "\r%s %d/%d commits (%d%%)", p.label, done, total, done*100/total)
}

// Done erases the bar so the report starts on a clean line.
func (p *progressBar) Done() {
	if p == nil || !p.shown {
		return
	}
	fmt.Fprint(p.w, "\r\033[K")
}
