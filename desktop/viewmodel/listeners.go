package viewmodel

import "sync"

// listeners are functions called after every change recorded here; the
// shell recounts its menu badges so.
type listeners struct {
	mu   sync.Mutex
	next int
	fns  map[int]func()
}

// OnRecorded calls fn after every successful command, on the goroutine
// that recorded it, until cancel is called.
func (m *Model) OnRecorded(fn func()) (cancel func()) {
	l := &m.recorded
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fns == nil {
		l.fns = map[int]func(){}
	}
	id := l.next
	l.next++
	l.fns[id] = fn
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.fns, id)
	}
}

func (l *listeners) tell() {
	l.mu.Lock()
	fns := make([]func(), 0, len(l.fns))
	for _, fn := range l.fns {
		fns = append(fns, fn)
	}
	l.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
