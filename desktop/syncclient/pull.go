package syncclient

import (
	"context"
	"errors"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// pull applies pages of the server's log until it has nothing more. When
// the server turns out to have a new epoch (restored from a backup), the
// workstation re-pushes what it lacks and pulls again from the start.
func (s *Syncer) pull(ctx context.Context, c *Client) error {
	for range 2 {
		err := s.pullPages(ctx, c)
		var changed *epochChanged
		if !errors.As(err, &changed) {
			return err
		}
		if err := s.recoverEpoch(ctx, c); err != nil {
			return err
		}
	}
	return domain.Errorf(domain.EInternal, "the server's epoch changed twice during one pull")
}

// epochChanged stops a pull whose pages come from another epoch.
type epochChanged struct{ epoch string }

func (e *epochChanged) Error() string { return "server epoch changed to " + e.epoch }

// fetched is one page, or the error that ended the fetching.
type fetched struct {
	page Page
	err  error
}

// pullPages fetches pages ahead while the ones fetched are applied, so
// that the network and the store work side by side on a long pull. The
// pages already fetched when the store is free are applied together, in
// one transaction (see gather).
func (s *Syncer) pullPages(ctx context.Context, c *Client) (err error) {
	var restoreGC func() // set once the pull turns out long; the fold below runs before it
	defer func() {
		if restoreGC != nil {
			restoreGC()
		}
	}()
	defer s.foldPulled(&err)
	cursor, known := s.position()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan fetched, pagesAhead)
	go s.fetch(ctx, c, cursor, pages)
	var prog progress
	for f := range pages {
		if ctx.Err() != nil {
			return ctx.Err() // stopped: the pages fetched ahead wait for the next pull
		}
		batch, ferr := gather(f, pages)
		for i, p := range batch {
			if known != "" && p.Epoch != known {
				batch, ferr = batch[:i], &epochChanged{epoch: p.Epoch}
				break
			}
			known = p.Epoch
		}
		if len(batch) > 0 {
			if err := s.apply(batch); err != nil {
				return err
			}
			s.track(ctx, c, &prog, batch[len(batch)-1])
			if prog.long && restoreGC == nil {
				restoreGC = gcForLongPull()
			}
		}
		if ferr != nil {
			return ferr
		}
	}
	return ctx.Err()
}

// pagesAhead is how many pages the fetcher may hold ahead of the store.
const pagesAhead = 4

// applyEvents is the most events gathered into one transaction. A
// transaction writes every index page it touches once, however many of
// its events land there: on a first sync, where each page's events are
// scattered over the whole entity index, four pages a commit write that
// index a quarter as often as one page a commit.
const applyEvents = 4 * syncproto.MaxBatchEvents

// gather returns the fetched page f and the pages already waiting behind
// it, up to applyEvents events; the error that ended the fetching, if
// one came first, is returned beside the pages before it.
func gather(f fetched, pages <-chan fetched) ([]Page, error) {
	if f.err != nil {
		return nil, f.err
	}
	batch, n := []Page{f.page}, len(f.page.Events)
	for n < applyEvents {
		select {
		case g, ok := <-pages:
			if !ok {
				return batch, nil
			}
			if g.err != nil {
				return batch, g.err
			}
			batch, n = append(batch, g.page), n+len(g.page.Events)
		default:
			return batch, nil
		}
	}
	return batch, nil
}

// foldPulled folds what the pull logged (see apply): at the end of every
// pull, finished or cut short, so the screens show what arrived.
func (s *Syncer) foldPulled(err *error) {
	var backlog uint64
	_ = s.store.View(func(tx *boltstore.Tx) error { backlog = tx.Backlog(); return nil })
	if backlog == 0 {
		return
	}
	if cerr := s.store.CatchUp(); cerr != nil && *err == nil {
		*err = cerr
	}
	s.storeChanged()
}

// position is the saved cursor and the epoch it belongs to ("" before
// the first pull from a server whose epoch is unknown).
func (s *Syncer) position() (cursor, epoch string) {
	_ = s.store.View(func(tx *boltstore.Tx) error {
		cursor, epoch = tx.Cursor(), tx.ServerEpoch()
		return nil
	})
	if epoch == "" {
		cur, _ := syncproto.ParseCursor(cursor)
		epoch = cur.Epoch
	}
	return cursor, epoch
}

// fetch pulls pages from cursor until the last one or an error, handing
// them over one at a time.
func (s *Syncer) fetch(ctx context.Context, c *Client, cursor string, out chan<- fetched) {
	defer close(out)
	for {
		var page Page
		err := s.authed(ctx, c, func() (err error) { page, err = c.Pull(ctx, cursor, s.cfg.PullLimit); return err })
		select {
		case out <- fetched{page, err}:
		case <-ctx.Done():
			return
		}
		if err != nil || !page.More {
			return
		}
		cursor = page.Next
	}
}

// apply logs pages and saves the last one's cursor and epoch in one
// transaction: a workstation stopped between transactions resumes after
// the last pages applied, with no gap and nothing applied twice. The
// events are indexed by entity and folded when the pull ends
// (Store.CatchUp), or by a local write that needs their entity: folding a
// million events one by one would take minutes, rebuilding the
// projections once takes seconds.
func (s *Syncer) apply(pages []Page) error {
	stored := 0
	last := pages[len(pages)-1]
	err := s.store.Update(func(tx *boltstore.Tx) error {
		for _, p := range pages {
			for i := range p.Events {
				st, err := tx.AppendBulk(&p.Events[i])
				if err != nil {
					return err
				}
				if st == boltstore.Stored {
					stored++
				}
			}
		}
		if err := tx.SetCursor(last.Next); err != nil {
			return err
		}
		if err := saveSeries(tx, last.Series); err != nil {
			return err
		}
		return tx.SetServerEpoch(last.Epoch)
	})
	if stored > 0 {
		s.storeChanged()
	}
	return err
}

// progress follows a long pull.
type progress struct {
	long  bool
	total uint64
}

// track reports progress when the first page says more follow: the
// server's log length (from ServerState) is the total, the cursor's
// position what has been pulled.
func (s *Syncer) track(ctx context.Context, c *Client, p *progress, page Page) {
	if !page.More && !p.long {
		return
	}
	if !p.long {
		p.long = true
		var st syncproto.ServerState
		if s.authed(ctx, c, func() (err error) { st, err = c.State(ctx); return err }) == nil {
			p.total = st.LogLen
		}
	}
	cur, _ := syncproto.ParseCursor(page.Next)
	p.total = max(p.total, cur.Seq)
	s.setProgress(Progress{Pulled: cur.Seq, Total: p.total})
}

// checkEpoch starts the recovery when a push answer shows a new epoch.
func (s *Syncer) checkEpoch(ctx context.Context, c *Client, epoch string) error {
	_, known := s.position()
	if known == "" || epoch == "" || epoch == known {
		return nil
	}
	return s.recoverEpoch(ctx, c)
}

// recoverEpoch handles a server restored from a backup: this
// workstation's own events above the server's high-water mark of its
// replica are pushed again, then the cursor restarts at the new epoch's
// beginning. Events of other replicas it holds are never relayed (a
// device pushes its own replica's events only): each workstation gives
// back its own.
func (s *Syncer) recoverEpoch(ctx context.Context, c *Client) error {
	var state syncproto.ServerState
	if err := s.authed(ctx, c, func() (err error) { state, err = c.State(ctx); return err }); err != nil {
		return err
	}
	s.noteServerTime(state.ServerTime)
	own := s.store.Replica()
	var refs []boltstore.EventRef
	err := s.store.View(func(tx *boltstore.Tx) (err error) {
		refs, err = tx.ReplicaEventsAfter(map[string]uint64{own: state.Replicas[own]})
		return err
	})
	if err != nil {
		return err
	}
	s.cfg.Logger.Info("sync: the server has a new epoch (restored from a backup); pushing again what it lacks of ours", "epoch", state.Epoch, "events", len(refs))
	if err := s.pushRefs(ctx, c, refs); err != nil {
		return err
	}
	return s.store.Update(func(tx *boltstore.Tx) error {
		if err := tx.SetServerEpoch(state.Epoch); err != nil {
			return err
		}
		return tx.SetCursor(syncproto.Cursor{Epoch: state.Epoch}.String())
	})
}

// saveSeries keeps the complaint number series the server gave this
// device (at enrolment, or in a pull answer for a device enrolled before
// series existed). A server without series sends none, and one that is
// not a series is not taken (the pull goes on): the workstation keeps
// what it has.
func saveSeries(tx *boltstore.Tx, series string) error {
	if !domain.ValidNumberSeries(series) || series == tx.NumberSeries() {
		return nil
	}
	return tx.SetNumberSeries(series)
}
