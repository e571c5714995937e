package viewmodel

import (
	"runtime/debug"
	"sync"

	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// staleAfter is how many events the store may gain before the similarity
// index is rebuilt in the background. Complaints filed here are added at
// once; those that arrive by sync wait for the next rebuild.
const staleAfter = 500

// similar holds shared/analytics' TF-IDF index of the complaints, built
// in the background from the store's list rows (number, part, lot and the
// start of the description). Until it exists, look-ups fall back on the
// store's text search.
type similar struct {
	mu       sync.Mutex
	ix       *analytics.Index
	version  uint64        // store log length the index was built from
	building chan struct{} // closed when the build under way ends; nil when none is
}

// WarmSimilar builds the similarity index now, in the background. The
// channel is closed when that build (or the one already under way) ends.
func (m *Model) WarmSimilar() <-chan struct{} { return m.rebuildSimilar(true) }

// rebuildSimilar starts a rebuild when there is no index yet (or force),
// or when the store moved on by staleAfter events. It returns the channel
// of the build under way, nil when none is.
func (m *Model) rebuildSimilar(force bool) <-chan struct{} {
	var n uint64
	_ = m.store.View(func(t *boltstore.Tx) error { n = t.LogLen(); return nil })
	s := &m.similar
	s.mu.Lock()
	defer s.mu.Unlock()
	stale := s.ix == nil || force || n >= s.version+staleAfter
	if !stale || s.building != nil {
		return s.building
	}
	built := make(chan struct{})
	s.building = built
	go func() {
		ix, err := m.buildIndex()
		s.mu.Lock()
		defer s.mu.Unlock()
		s.building = nil
		if err == nil {
			s.ix, s.version = ix, n
		}
		close(built)
	}()
	return built
}

// buildIndex reads every complaint's list row, a page at a time.
func (m *Model) buildIndex() (*analytics.Index, error) {
	var cs []domain.Complaint
	cursor := ""
	for {
		var page boltstore.ComplaintPage
		err := m.store.View(func(t *boltstore.Tx) (err error) {
			page, err = t.ListComplaints(boltstore.ComplaintFilter{Limit: boltstore.MaxPageSize, Cursor: cursor})
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, r := range page.Rows {
			cs = append(cs, complaintOfRow(r))
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	ix := analytics.NewIndex(analytics.IndexOptions{})
	ix.AddAll(cs)
	// The rows read to build it (about five times the index's size at
	// 100k complaints) are garbage now: give that memory back at once
	// rather than whenever the scavenger gets to it.
	cs = nil
	debug.FreeOSMemory()
	return ix, nil
}

func complaintOfRow(r boltstore.ComplaintRow) domain.Complaint {
	return domain.Complaint{ID: r.ID, Number: r.Number, SupplierStation: r.SupplierStation, PartRef: r.PartRef,
		Lot: r.Lot, Description: r.Summary, Status: r.Status, FiledAt: r.FiledAt,
		FiledOrder: domain.OrderKey{HLC: r.FiledHLC, Replica: r.FiledReplica}}
}

// index returns the similarity index, nil while it is being built.
func (m *Model) index() *analytics.Index {
	m.rebuildSimilar(false)
	m.similar.mu.Lock()
	defer m.similar.mu.Unlock()
	return m.similar.ix
}

// similarByIndex ranks open complaints of the supplier station by TF-IDF
// similarity, checking each match's current status in the store (the
// index may be a little behind).
func (m *Model) similarByIndex(ix *analytics.Index, supplier, partRef, description string, max int) ([]model.ComplaintRow, error) {
	matches := ix.SimilarTo(analytics.Query{Text: description, PartRef: partRef, SupplierStation: supplier}, max*4)
	var out []model.ComplaintRow
	err := m.store.View(func(t *boltstore.Tx) error {
		for _, mt := range matches {
			if len(out) == max {
				break
			}
			st, err := t.Complaint(mt.ID)
			if err != nil {
				continue
			}
			if st.Complaint.Status.Open() {
				out = append(out, rowOfState(st))
			}
		}
		return nil
	})
	return out, err
}

// addToIndex puts a complaint filed here into the index at once.
func (m *Model) addToIndex(id string) {
	m.similar.mu.Lock()
	ix := m.similar.ix
	m.similar.mu.Unlock()
	if ix == nil {
		return
	}
	_ = m.store.View(func(t *boltstore.Tx) error {
		if st, err := t.Complaint(id); err == nil {
			c := *st.Complaint
			ix.Add(&c)
		}
		return nil
	})
}

// SimilarReady reports whether the similarity index is built (tests).
func (m *Model) SimilarReady() bool {
	m.similar.mu.Lock()
	defer m.similar.mu.Unlock()
	return m.similar.ix != nil
}
