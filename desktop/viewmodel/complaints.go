package viewmodel

import (
	"net/http"
	"slices"
	"strings"
	"unicode"

	"boucle/desktop/ui/model"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// Open statuses, as the inbox shows them.
var openStatuses = []domain.ComplaintStatus{domain.StatusNew, domain.StatusAcknowledged, domain.StatusInvestigating,
	domain.StatusSolutionProposed, domain.StatusSolutionChosen, domain.StatusActionsInProgress, domain.StatusResolved}

// OpenStatuses lists the statuses of complaints still in the loop.
func OpenStatuses() []domain.ComplaintStatus { return slices.Clone(openStatuses) }

// ListComplaints returns one page of complaints. With UnacknowledgedFirst
// the pages walk the new complaints first, then the others; the cursor
// says which phase it is in ("0|..." or "1|...") so paging stays a plain
// store cursor walk, whatever the number of complaints.
func (m *Model) ListComplaints(q model.ComplaintQuery, cursor string) (model.ComplaintPage, error) {
	phases := [][]domain.ComplaintStatus{q.Statuses}
	if q.UnacknowledgedFirst {
		phases = splitNew(q.Statuses)
	}
	phase, storeCursor := 0, cursor
	if q.UnacknowledgedFirst {
		if p, c, ok := strings.Cut(cursor, "|"); ok && p == "1" {
			phase, storeCursor = 1, c
		} else if ok {
			storeCursor = c
		}
	}
	limit := q.PageSize
	if limit <= 0 {
		limit = boltstore.DefaultPageSize
	}
	var out model.ComplaintPage
	err := m.store.View(func(t *boltstore.Tx) error {
		for ; phase < len(phases); phase, storeCursor = phase+1, "" {
			if phases[phase] == nil && q.UnacknowledgedFirst {
				continue // the filter excludes this phase
			}
			f := m.filter(q, phases[phase], limit-len(out.Rows), storeCursor)
			page, err := t.ListComplaints(f)
			if err != nil {
				return err
			}
			for _, r := range page.Rows {
				out.Rows = append(out.Rows, rowOf(r))
			}
			if page.Next != "" {
				out.Next = page.Next
				if q.UnacknowledgedFirst {
					out.Next = string(rune('0'+phase)) + "|" + page.Next
				}
				return nil
			}
			if len(out.Rows) == limit && phase+1 < len(phases) {
				out.Next = string(rune('0'+phase+1)) + "|"
				return nil
			}
		}
		return nil
	})
	return out, err
}

// splitNew splits a status filter into [new] and the rest; a phase the
// filter excludes is nil.
func splitNew(statuses []domain.ComplaintStatus) [][]domain.ComplaintStatus {
	if len(statuses) == 0 {
		statuses = domain.ComplaintStatuses
	}
	var first, rest []domain.ComplaintStatus
	for _, s := range statuses {
		if s == domain.StatusNew {
			first = []domain.ComplaintStatus{s}
		} else {
			rest = append(rest, s)
		}
	}
	return [][]domain.ComplaintStatus{first, rest}
}

func (m *Model) filter(q model.ComplaintQuery, statuses []domain.ComplaintStatus, limit int, cursor string) boltstore.ComplaintFilter {
	return boltstore.ComplaintFilter{Statuses: statuses, SupplierStation: q.SupplierStation, FilingStation: q.FilingStation,
		Assignee: q.Assignee, FiledBy: q.FiledBy, Category: q.Category, Severity: q.Severity, Overdue: q.Overdue,
		Now: m.now(), Text: q.Text, Limit: limit, Cursor: cursor}
}

// FileComplaint saves a new complaint filed by the signed-in user at their
// station: the evidence bytes first (content-addressed, so a retry stores
// nothing twice), then the event, fsync'd before it returns.
func (m *Model) FileComplaint(nc model.NewComplaint) (model.Filed, error) {
	s := m.Session()
	if s.Station == "" {
		return model.Filed{}, domain.FieldError("filing_station", "this workstation serves no station: choose one in the settings")
	}
	p := &domain.ComplaintFiledPayload{FilingStation: s.Station, SupplierStation: nc.SupplierStation,
		PartRef: strings.TrimSpace(nc.PartRef), Lot: strings.TrimSpace(nc.Lot), Quantity: nc.Quantity,
		Category: nc.Category, Severity: nc.Severity, Kind: nc.Kind, Description: strings.TrimSpace(nc.Description)}
	if nc.Kind == domain.KindClaim {
		p.Remedy = nc.Remedy
	}
	// Refuse bad input before storing any file. The number is the store's
	// to hand out: validate with a stand-in, then leave it empty.
	p.Number = s.Station + "-2000-0000"
	err := p.Validate()
	p.Number = ""
	if err != nil {
		return model.Filed{}, err
	}
	for _, f := range nc.Files {
		sha, err := m.store.PutBlob(f.Data)
		if err != nil {
			return model.Filed{}, err
		}
		p.Attachments = append(p.Attachments, domain.Attachment{SHA256: sha, Name: f.Name, Size: int64(len(f.Data)),
			MediaType: http.DetectContentType(f.Data)})
	}
	evs, err := m.recordFiling(p, nc.FromDraft)
	if err != nil {
		return model.Filed{}, err
	}
	m.addToIndex(evs[0].EntityID)
	return model.Filed{ID: evs[0].EntityID, Number: p.Number}, nil
}

// SimilarOpen finds open complaints against the same supplier station
// that look like what is being typed, best match first, so that an
// operator sees a duplicate before filing it. It ranks with the TF-IDF
// index of shared/analytics once built (see similar.go); until then with
// the store's text search.
func (m *Model) SimilarOpen(supplier, partRef, description string, max int) ([]model.ComplaintRow, error) {
	if supplier == "" || (len(significantWords(description, 1)) == 0 && partRef == "") {
		return nil, nil
	}
	if ix := m.index(); ix != nil {
		rows, err := m.similarByIndex(ix, supplier, partRef, description, max)
		if err != nil || len(rows) > 0 {
			return rows, err
		}
		// The index brings candidates through its rarer terms, counted
		// plant-wide; when none is at this supplier, words still may be.
	}
	return m.similarByText(supplier, partRef, description, max)
}

// similarByText runs the store's text search once per significant word
// and ranks by the words matched (a shared part reference counts most).
func (m *Model) similarByText(supplier, partRef, description string, max int) ([]model.ComplaintRow, error) {
	words := significantWords(description, 6)
	part := strings.TrimSpace(partRef)
	if len(words) == 0 && part == "" {
		return nil, nil
	}
	type hit struct {
		row   boltstore.ComplaintRow
		score int
	}
	hits := map[string]*hit{}
	add := func(t *boltstore.Tx, text string, weight int) error {
		page, err := t.ListComplaints(boltstore.ComplaintFilter{SupplierStation: supplier, Statuses: openStatuses, Text: text, Limit: 50})
		if err != nil {
			return err
		}
		for _, r := range page.Rows {
			h := hits[r.ID]
			if h == nil {
				h = &hit{row: r}
				hits[r.ID] = h
			}
			h.score += weight
		}
		return nil
	}
	err := m.store.View(func(t *boltstore.Tx) error {
		if part != "" {
			if err := add(t, part, 3); err != nil {
				return err
			}
		}
		for _, w := range words {
			if err := add(t, w, 1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	list := make([]*hit, 0, len(hits))
	for _, h := range hits {
		list = append(list, h)
	}
	slices.SortFunc(list, func(a, b *hit) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return boltstore.CompareNewestFirst(&a.row, &b.row)
	})
	var out []model.ComplaintRow
	for _, h := range list {
		if len(out) == max {
			break
		}
		out = append(out, rowOf(h.row))
	}
	return out, nil
}

// significantWords returns up to max distinct words of at least 4 letters
// that are not common French or English words, longest first (long words
// say most about a defect).
func significantWords(text string, max int) []string {
	fields := strings.FieldsFunc(boltstore.FoldText(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	seen := map[string]bool{}
	var out []string
	for _, w := range fields {
		if len([]rune(w)) < 4 || stopWords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	if len(out) > max {
		out = out[:max]
	}
	return out
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`avec dans pour sont mais plus tres cette sans sous entre apres avant comme etait
		leur leurs nous vous elle elles ils tout tous toute toutes aussi encore deja piece pieces
		with that this from have were been they their there which when what about into some more very than
		part parts`) {
		m[w] = true
	}
	return m
}()
