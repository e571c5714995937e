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

// pullPages fetches the next page while the current one is applied, so
// that the network and the store work side by side on a long pull.
func (s *Syncer) pullPages(ctx context.Context, c *Client) (err error) {
	defer s.foldPulled(&err)
	cursor, known := s.position()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan fetched, 1)
	go s.fetch(ctx, c, cursor, pages)
	var prog progress
	for f := range pages {
		if f.err != nil {
			return f.err
		}
		if known != "" && f.page.Epoch != known {
			return &epochChanged{epoch: f.page.Epoch}
		}
		if err := s.apply(f.page); err != nil {
			return err
		}
		known = f.page.Epoch
		s.track(ctx, c, &prog, f.page)
	}
	return ctx.Err()
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

// apply logs a page and saves its cursor and epoch in one transaction: a
// workstation stopped between pages resumes after the last one applied,
// with no gap and nothing applied twice. The events are folded when the
// pull ends (Store.CatchUp), or by a local write that needs their entity:
// folding a million events one by one would take minutes, rebuilding the
// projections once takes seconds.
func (s *Syncer) apply(p Page) error {
	stored := 0
	err := s.store.Update(func(tx *boltstore.Tx) error {
		for i := range p.Events {
			st, err := tx.Append(&p.Events[i])
			if err != nil {
				return err
			}
			if st == boltstore.Stored {
				stored++
			}
		}
		if err := tx.SetCursor(p.Next); err != nil {
			return err
		}
		if err := saveSeries(tx, p.Series); err != nil {
			return err
		}
		return tx.SetServerEpoch(p.Epoch)
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
