package viewmodel

import (
	"boucle/shared/confidential"
	"boucle/shared/domain"
)

// Internal notes are sealed under the plant's confidential key (package
// confidential): the workstation seals a note when an engineer records it,
// stores and pushes it sealed, and opens it only to show it to a session
// that may read it, with the key that session unlocked at sign-in. An
// operator's session holds no key and is never shown a note.

// ErrNotesLocked is returned when an internal note is posted without the
// plant's confidential key (never received on this workstation).
var ErrNotesLocked = domain.RuleError(domain.EForbidden, "complaint.internal_note_locked",
	"internal notes need the plant's confidential key: sign in online once")

// SetKeys gives the signed-in session the plant's confidential keys
// (nil: none). SetSession drops them, so a sign-out or a switch of user
// never leaves them to the next person.
func (m *Model) SetKeys(k *confidential.Keyring) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys = k
}

// readableKeys returns the keys the session opens notes with, nil for a
// session that may not read internal notes.
func (m *Model) readableKeys() (*confidential.Keyring, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if !mayReadInternal(m.session.Role) {
		return nil, false
	}
	return m.keys, true
}

// mayReadInternal reports whether a role reads internal notes.
func mayReadInternal(r domain.Role) bool {
	return r == domain.RoleEngineer || r == domain.RoleManager || r == domain.RoleAdmin
}

// sealNote seals the text of an internal note of the complaint.
func (m *Model) sealNote(complaintID, text string) (*domain.MessagePayload, error) {
	keys, may := m.readableKeys()
	if !may {
		return nil, domain.RuleError(domain.EForbidden, "complaint.internal_note", "operators post messages, not internal notes")
	}
	if !keys.Unlocked() {
		return nil, ErrNotesLocked
	}
	sealed, err := keys.Seal(complaintID, text)
	if err != nil {
		return nil, err
	}
	return &domain.MessagePayload{Internal: true, Sealed: sealed}, nil
}

// openMessages opens the sealed notes the session may read, in a copy; a
// note that does not open keeps its Sealed text and no Text (the screen
// shows it locked).
func openMessages(keys *confidential.Keyring, complaintID string, msgs []domain.Message) []domain.Message {
	out := make([]domain.Message, len(msgs))
	for i, msg := range msgs {
		if msg.Sealed != "" {
			if text, err := keys.Open(complaintID, msg.Sealed); err == nil {
				msg.Text, msg.Sealed = text, ""
			}
		}
		out[i] = msg
	}
	return out
}

// openNote opens a sealed note's payload in place, when the keys can.
func openNote(keys *confidential.Keyring, complaintID string, p *domain.MessagePayload) {
	if p.Sealed == "" {
		return
	}
	if text, err := keys.Open(complaintID, p.Sealed); err == nil {
		p.Text, p.Sealed = text, ""
	}
}
