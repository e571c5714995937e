package report

import "boucle/desktop/ui"

// queue runs work off the UI goroutine one piece at a time, in order,
// each piece's done on the UI goroutine. A piece queued as "latest"
// replaces the latest piece still waiting (the newest draft, the newest
// similar-complaints lookup): typing never waits on the disk, and what
// gets written is the last value. A piece queued "after" drops the latest
// pieces waiting before it: a filing or a discard makes the draft writes
// queued before it pointless, and none may land after it (it would bring
// back the draft the filing deleted).
//
// Every method runs on the UI goroutine; only run functions run off it,
// through env.Async (inline in tests: no timer, no goroutine to wait for).
type queue struct {
	async   ui.Async
	waiting []piece
	busy    bool
	idle    []func() // called once nothing is waiting or running
}

type piece struct {
	run    func() error
	done   func(error)
	latest bool
}

func newQueue(async ui.Async) *queue { return &queue{async: async} }

// latest queues run, replacing the latest piece waiting.
func (q *queue) latest(run func() error, done func(error)) {
	p := piece{run: run, done: done, latest: true}
	if n := len(q.waiting); n > 0 && q.waiting[n-1].latest {
		q.waiting[n-1] = p
	} else {
		q.waiting = append(q.waiting, p)
	}
	q.next()
}

// after queues run after the pieces waiting, dropping the latest ones.
func (q *queue) after(run func() error, done func(error)) {
	q.dropLatest()
	q.waiting = append(q.waiting, piece{run: run, done: done})
	q.next()
}

// dropLatest drops the latest pieces waiting.
func (q *queue) dropLatest() {
	kept := q.waiting[:0]
	for _, p := range q.waiting {
		if !p.latest {
			kept = append(kept, p)
		}
	}
	q.waiting = kept
}

// whenIdle calls fn once every piece queued so far has run.
func (q *queue) whenIdle(fn func()) {
	if !q.busy && len(q.waiting) == 0 {
		fn()
		return
	}
	q.idle = append(q.idle, fn)
}

func (q *queue) next() {
	if q.busy {
		return
	}
	if len(q.waiting) == 0 {
		idle := q.idle
		q.idle = nil
		for _, fn := range idle {
			fn()
		}
		return
	}
	p := q.waiting[0]
	q.waiting = q.waiting[1:]
	q.busy = true
	var err error
	q.async(func() { err = p.run() }, func() {
		q.busy = false
		if p.done != nil {
			p.done(err)
		}
		q.next()
	})
}
