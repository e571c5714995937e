package viewmodel

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
)

// Complaint returns everything the complaint screen shows. Internal notes
// are left out for operators: the domain keeps them (sealed), the
// operator's view never shows them. For the other roles they are opened
// with the session's keys, or left sealed (locked) without them.
func (m *Model) Complaint(id string) (model.ComplaintDetail, error) {
	var d model.ComplaintDetail
	keys, mayRead := m.readableKeys()
	hideInternal := !mayRead
	err := m.store.View(func(t *boltstore.Tx) error {
		st, err := t.Complaint(id)
		if err != nil {
			return err
		}
		d.Complaint = *st.Complaint
		d.Conflicts, d.Flags = st.Meta.Conflicts, st.Meta.Flags
		if hideInternal {
			d.Complaint.Messages = publicMessages(d.Complaint.Messages)
		} else {
			d.Complaint.Messages = openMessages(keys, id, d.Complaint.Messages)
		}
		page, err := t.ListActions(boltstore.ActionFilter{ComplaintID: id, Limit: boltstore.MaxPageSize})
		if err != nil {
			return err
		}
		d.Actions = page.Actions
		for _, a := range d.Complaint.Attachments {
			d.Files = append(d.Files, model.Attachment{Attachment: a, Here: t.HasBlob(a.SHA256)})
		}
		if of := d.Complaint.DuplicateOf; of != "" {
			if dup, err := t.Complaint(of); err == nil {
				d.Duplicate = dup.Complaint.Number
			}
		}
		var notes []domain.Message
		d.Timeline, notes, err = m.timeline(t, id, d.Actions, hideInternal, keys)
		d.Complaint.Messages = withAcknowledgeNotes(d.Complaint.Messages, notes)
		return err
	})
	if err != nil {
		return d, err
	}
	if snap := m.badgeSnapshot(); snap != nil {
		if r, ok := snap.ds.Recurrences(analytics.Settings{}).Lookup(id); ok {
			d.RecurrenceOf, d.AfterPrevention = snap.numbers[r.Of], r.AfterPrevention
		}
	}
	return d, nil
}

func publicMessages(msgs []domain.Message) []domain.Message {
	var out []domain.Message
	for _, msg := range msgs {
		if !msg.Internal {
			out = append(out, msg)
		}
	}
	return out
}

// timeline turns the complaint's events into items: who (display name),
// when, where and what. It also returns the notes to the complainant
// written while acknowledging, as messages (see withAcknowledgeNotes).
func (m *Model) timeline(t *boltstore.Tx, id string, actions []domain.Action, hideInternal bool, keys *confidential.Keyring) ([]model.TimelineItem, []domain.Message, error) {
	entries, err := t.Timeline(id)
	if err != nil {
		return nil, nil, err
	}
	users, err := t.Users()
	if err != nil {
		return nil, nil, err
	}
	names, homes := map[string]string{}, map[string]string{}
	for _, u := range users {
		names[u.Login], homes[u.Login] = u.DisplayName, u.Station
	}
	titles := map[string]string{}
	for _, a := range actions {
		titles[a.ID] = a.Title
	}
	var out []model.TimelineItem
	var notes []domain.Message
	for _, e := range entries {
		ev := e.Event
		it := model.TimelineItem{At: ev.HLC.Time(), Author: ev.Author, Role: ev.Role, Type: ev.Type,
			Rejected: e.Rejected, Unfolded: e.Unfolded, Action: titles[ev.EntityID]}
		if n := names[ev.Author]; n != "" {
			it.Author = n
		}
		it.Station = m.stationOf(ev.Replica, ev.Author, homes)
		if !e.Unfolded {
			if p, err := domain.DecodePayload(&ev); err == nil {
				it.Payload = p
			}
		}
		if mp, ok := it.Payload.(*domain.MessagePayload); ok && mp.Internal {
			if hideInternal {
				continue
			}
			openNote(keys, id, mp)
		}
		if ack, ok := it.Payload.(*domain.AcknowledgePayload); ok && ack.Note != "" && !e.Rejected {
			notes = append(notes, domain.Message{Author: ev.Author, Role: ev.Role, Text: ack.Note, At: it.At})
		}
		out = append(out, it)
	}
	return out, notes, nil
}

// withAcknowledgeNotes adds to the complaint's messages the notes to the
// complainant typed while acknowledging, in time order. The fold keeps
// the note in the event only (complaint.acknowledged carries it, the
// state does not), so the screen reads it from the log; a note the server
// refused is left out, as the acknowledgement itself did not count.
func withAcknowledgeNotes(msgs, notes []domain.Message) []domain.Message {
	if len(notes) == 0 {
		return msgs
	}
	out := append(slices.Clone(msgs), notes...)
	slices.SortStableFunc(out, func(a, b domain.Message) int { return a.At.Compare(b.At) })
	return out
}

// stationOf says where an event was recorded, as far as this workstation
// knows: here (its own replica serves its station), or the author's home
// station. Events carry no station, and a guess would mislead.
func (m *Model) stationOf(replica, author string, homes map[string]string) string {
	if replica == m.store.Replica() && m.Station() != "" {
		return m.Station()
	}
	return homes[author]
}

// one records a single command on a complaint.
func (m *Model) one(t domain.EventType, id string, p domain.Payload) error {
	_, err := m.record(boltstore.Command{Type: t, EntityID: id, Payload: p})
	return err
}

// Acknowledge announces the deadline and who handles the complaint.
func (m *Model) Acknowledge(id string, deadline time.Time, assignee, note string) error {
	return m.one(domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: deadline, Assignee: assignee, Note: strings.TrimSpace(note)})
}

// DefaultDeadline is the deadline an engineer announces unless they
// change it: the filing time plus the severity's time to resolve.
func (m *Model) DefaultDeadline(c domain.Complaint) (time.Time, error) {
	var cfg domain.SeverityConfig
	err := m.store.View(func(t *boltstore.Tx) (err error) {
		cfg, err = t.Severity(c.Severity)
		return err
	})
	d := c.FiledAt.Add(cfg.ResolveWithin())
	if now := m.now(); d.Before(now) {
		d = now.Add(cfg.ResolveWithin()) // filed long ago: count from now, a deadline in the past helps nobody
	}
	return d, err
}

// RecordAnalysis saves the fields of the investigation that changed.
func (m *Model) RecordAnalysis(id string, a domain.AnalysisPayload) error {
	return m.one(domain.ComplaintAnalysisRecorded, id, &a)
}

// ProposeSolutions proposes options; their ids continue the complaint's.
func (m *Model) ProposeSolutions(id string, texts []string) error {
	var existing int
	if err := m.store.View(func(t *boltstore.Tx) error {
		st, err := t.Complaint(id)
		if err == nil {
			existing = len(st.Complaint.Solutions)
		}
		return err
	}); err != nil {
		return err
	}
	p := &domain.ProposeSolutionPayload{}
	for _, text := range texts {
		if text = strings.TrimSpace(text); text != "" {
			existing++
			p.Options = append(p.Options, domain.SolutionOption{ID: fmt.Sprintf("S%d", existing), Text: text})
		}
	}
	return m.one(domain.ComplaintSolutionProposed, id, p)
}

// ChooseSolution records the complainant's choice.
func (m *Model) ChooseSolution(id, solutionID, comment string) error {
	return m.one(domain.ComplaintSolutionChosen, id, &domain.ChooseSolutionPayload{SolutionID: solutionID, Comment: strings.TrimSpace(comment)})
}

// AssignAction creates an action and links it to the complaint in one
// transaction: both events are stored, or neither.
func (m *Model) AssignAction(complaintID string, na model.NewAction) error {
	actionID := uuid.Must(uuid.NewV7()).String()
	title := strings.TrimSpace(na.Title)
	_, err := m.record(
		boltstore.Command{Type: domain.ActionAssigned, EntityID: actionID, Payload: &domain.ActionAssignedPayload{
			Kind: na.Kind, Title: title, Description: strings.TrimSpace(na.Description), Owner: na.Owner, Due: na.Due, ComplaintID: complaintID}},
		boltstore.Command{Type: domain.ComplaintActionLinked, EntityID: complaintID, Payload: &domain.LinkActionPayload{
			ActionID: actionID, Kind: na.Kind, Title: title}},
	)
	return err
}

// PostMessage writes to the complainant, or an internal note, sealed
// under the session's confidential key before anything is stored.
func (m *Model) PostMessage(id, text string, internal bool) error {
	p := &domain.MessagePayload{Text: strings.TrimSpace(text)}
	if internal {
		if err := p.Validate(); err != nil { // the text's rules, before it is sealed
			return err
		}
		var err error
		if p, err = m.sealNote(id, p.Text); err != nil {
			return err
		}
	}
	return m.one(domain.ComplaintMessagePosted, id, p)
}

// Escalate names a supervisor.
func (m *Model) Escalate(id, supervisor, reason string) error {
	return m.one(domain.ComplaintEscalated, id, &domain.EscalatePayload{Supervisor: supervisor, Reason: strings.TrimSpace(reason)})
}

// Reject refuses the complaint with a reason.
func (m *Model) Reject(id, reason string) error {
	return m.one(domain.ComplaintRejected, id, &domain.ReasonPayload{Reason: strings.TrimSpace(reason)})
}

// MarkDuplicate points the complaint to the one it repeats, by number.
func (m *Model) MarkDuplicate(id, number string) error {
	number = strings.ToUpper(strings.TrimSpace(number))
	if number == "" {
		return domain.FieldError("of", "is required")
	}
	var of string
	err := m.store.View(func(t *boltstore.Tx) error {
		st, err := t.ComplaintByNumber(number)
		if err != nil {
			return domain.FieldError("of", "no complaint numbered %s", number)
		}
		of = st.Complaint.ID
		return nil
	})
	if err != nil {
		return err
	}
	return m.one(domain.ComplaintMarkedDuplicate, id, &domain.DuplicatePayload{Of: of, Number: number})
}

// Resolve says what was done; the complainant then verifies.
func (m *Model) Resolve(id, summary string) error {
	return m.one(domain.ComplaintResolved, id, &domain.ResolvePayload{Summary: strings.TrimSpace(summary)})
}

// Verify confirms the resolution with a satisfaction rating.
func (m *Model) Verify(id string, rating int, comment string) error {
	return m.one(domain.ComplaintVerified, id, &domain.VerifyPayload{Rating: rating, Comment: strings.TrimSpace(comment)})
}

// Reopen sends the complaint back to investigation.
func (m *Model) Reopen(id, reason string) error {
	return m.one(domain.ComplaintReopened, id, &domain.ReasonPayload{Reason: strings.TrimSpace(reason)})
}

// RequestReexamination asks the engineers to look again at a rejection.
func (m *Model) RequestReexamination(id, reason string) error {
	return m.one(domain.ComplaintReexaminationRequested, id, &domain.ReasonPayload{Reason: strings.TrimSpace(reason)})
}

// ResolveConflict keeps one of the values concurrent edits left.
func (m *Model) ResolveConflict(id, field string, value json.RawMessage) error {
	return m.one(domain.ComplaintConflictResolved, id, &domain.ResolveConflictPayload{Field: field, Value: value})
}

// Reassign hands the complaint to another engineer.
func (m *Model) Reassign(id, assignee string) error {
	return m.one(domain.ComplaintAssigned, id, &domain.AssignPayload{Assignee: assignee})
}

// Blob returns evidence bytes: from the store, or fetched from the server
// when this workstation does not have them yet (and a fetcher is set).
func (m *Model) Blob(sha string) ([]byte, error) {
	var data []byte
	err := m.store.View(func(t *boltstore.Tx) (err error) {
		data, err = t.Blob(sha)
		return err
	})
	if domain.ErrorCode(err) == domain.ENotFound && m.FetchBlob != nil {
		return m.FetchBlob(sha)
	}
	return data, err
}

// Withdraw takes the complaint back, with the reason: its complainant
// only, before the analysis starts (the domain's complaint.withdraw rule).
func (m *Model) Withdraw(id, reason string) error {
	return m.one(domain.ComplaintWithdrawn, id, &domain.ReasonPayload{Reason: strings.TrimSpace(reason)})
}

// CancelAction cancels a pending action, with the reason.
func (m *Model) CancelAction(actionID, reason string) error {
	return m.one(domain.ActionCancelled, actionID, &domain.ReasonPayload{Reason: strings.TrimSpace(reason)})
}

// RescheduleAction gives a pending action another owner or due date
// ("" and the zero time leave them as they are), with the reason.
func (m *Model) RescheduleAction(actionID, owner string, due time.Time, reason string) error {
	return m.one(domain.ActionRescheduled, actionID, &domain.ActionRescheduledPayload{Owner: owner, Due: due, Reason: strings.TrimSpace(reason)})
}

// AddFiles attaches evidence to a filed complaint: each file is checked
// as at filing (10 MB at most, named), then the bytes (under their
// SHA-256) and one complaint.attachment_added per file are stored in one
// transaction, so a refusal leaves nothing behind. The sync client
// uploads the bytes once the server has acknowledged the events.
func (m *Model) AddFiles(id string, files []model.File) error {
	if len(files) == 0 {
		return domain.FieldError("attachment", "is required")
	}
	a, err := m.actor()
	if err != nil {
		return err
	}
	var cmds []boltstore.Command
	for _, f := range files {
		if len(f.Data) > domain.MaxAttachmentBytes {
			return &domain.Error{Code: domain.ETooLarge, Field: "attachment", Message: "evidence files are limited to 10 MB"}
		}
		if len(f.Data) == 0 {
			return domain.FieldError("attachment", "is empty")
		}
		sum := sha256.Sum256(f.Data)
		p := &domain.AttachmentPayload{Attachment: domain.Attachment{SHA256: hex.EncodeToString(sum[:]), Name: f.Name,
			Size: int64(len(f.Data)), MediaType: http.DetectContentType(f.Data)}}
		if err := p.Validate(); err != nil {
			return err
		}
		cmds = append(cmds, boltstore.Command{Type: domain.ComplaintAttachmentAdded, EntityID: id, Payload: p})
	}
	err = m.store.Update(func(t *boltstore.Tx) error {
		for i, c := range cmds {
			if err := t.PutBlob(c.Payload.(*domain.AttachmentPayload).Attachment.SHA256, files[i].Data); err != nil {
				return err
			}
			if _, err := t.Record(a, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && m.OnRecord != nil {
		m.OnRecord()
	}
	return err
}
