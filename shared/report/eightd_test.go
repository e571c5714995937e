package report_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/report"
)

func writeEightD(t *testing.T, in report.EightD) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteEightD(&buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestEightD(t *testing.T) {
	in := eightDFixture(t)
	b := writeEightD(t, in)
	dump(t, "8d.pdf", b)
	if n := checkPDF(t, b); n < 3 {
		t.Errorf("%d pages", n)
	}
	text := pdfText(t, b)
	containsAll(t, text, "Rapport 8D — PEINT-2026-0042",
		"D1 · Équipe", "D2 · Problème", "D3 · Confinement", "D4 · Cause racine", "D5 · Solution retenue",
		"D6 · Actions correctives et vérification", "D7 · Prévention", "D8 · Clôture", "Historique",
		// D1: the filer, the engineers, the owners, the approver, with their accents.
		"Camille Lefèvre", "Amine Benali", "Julie Moreau", "Thành Nguyễn", "Sophie Girard",
		// D2: evidence by name and hash.
		"rayures-détail-x10.jpg", sha("photo-detail"),
		// D4: the root cause, whole.
		in.Complaint.Complaint.RootCause, "Famille 6M Machine",
		// D5, D6, D8.
		"D'accord pour s1, à condition que le contrôle visuel soit tracé.", "Efficace",
		// The page numbers, with the total filled in.
		"Page 1 / ")
	// pdftotext reads "4 / 5" as "4/5"; compare without spaces.
	if !strings.Contains(strings.ReplaceAll(text, " ", ""), "Satisfaction4/5") {
		t.Error("D8 lacks the rating 4 / 5")
	}
	if strings.Contains(text, "{nb}") {
		t.Error("page-count alias left unreplaced")
	}
	for _, te := range in.Timeline {
		if when := te.Event.HLC.Time().In(paris).Format("2006-01-02 15:04"); !strings.Contains(text, when) {
			t.Errorf("timeline lacks the event of %s (%s)", when, te.Event.Type)
		}
	}
	checkInsidePage(t, b)
}

func TestEightDEnglish(t *testing.T) {
	in := eightDFixture(t)
	in.Lang = report.English
	b := writeEightD(t, in)
	dump(t, "8d-en.pdf", b)
	text := pdfText(t, b)
	containsAll(t, text, "8D report — PEINT-2026-0042", "D1 · Team", "D4 · Root cause", "6M family Machine",
		"Quality engineer", "Timeline", "Resolution confirmed, satisfaction 4/5")
}

// TestEightDSameBytes: the same record gives the same file, wherever and
// whenever it is written.
func TestEightDSameBytes(t *testing.T) {
	in := eightDFixture(t)
	if !bytes.Equal(writeEightD(t, in), writeEightD(t, in)) {
		t.Error("two writes of the same 8D differ")
	}
}

// TestEightDLongTexts fills every free text to its limit: the text wraps
// and breaks pages, nothing leaves the page.
func TestEightDLongTexts(t *testing.T) {
	in := eightDFixture(t)
	c := *in.Complaint.Complaint
	long := cut(strings.Repeat("Rayure traversante observée sur la face visible après l'opération de frappe n° 3, ", 60), 3990)
	c.Description, c.Containment, c.RootCause, c.Resolution = long, long, long, long
	c.Whys = []string{cut(long, 800), cut(long, 1200), cut(long, 300), cut(long, 2000), "Pourquoi ? " + strings.Repeat("x", 300)}
	c.Attachments = append(c.Attachments, domain.Attachment{Name: strings.Repeat("nom-de-fichier-très-long_", 10) + ".jpg",
		SHA256: sha("long"), Size: 10 << 20})
	st := *in.Complaint
	st.Complaint = &c
	// A flag and a conflict, which the report must show.
	st.Meta.Flags = []domain.Flag{{Type: domain.ComplaintActionLinked, Author: "a.benali", Rule: "complaint.link_action",
		Message: "containment action added while closed", Concurrent: true}}
	st.Meta.Conflicts = []domain.Conflict{{Field: "assignee", Values: []domain.ConflictValue{
		{Value: []byte(`"a.benali"`), Writer: domain.Writer{Author: "a.benali"}},
		{Value: []byte(`"j.moreau"`), Writer: domain.Writer{Author: "s.girard"}}}}}
	in.Complaint = &st
	in.Timeline = append(in.Timeline, longMessages(t, 12, long)...)
	b := writeEightD(t, in)
	dump(t, "8d-long.pdf", b)
	if n := checkPDF(t, b); n < 6 {
		t.Errorf("%d pages for texts of 4,000 characters", n)
	}
	text := pdfText(t, b)
	containsAll(t, text, "Conflits et signalements ouverts", "Le champ assignee a des valeurs concurrentes",
		"Saisi par une version plus récente de Boucle (complaint.future_event)", "(refusé par le serveur)")
	checkInsidePage(t, b)
}

// longMessages are messages at the length limit, one refused by the
// server and one of a type a newer version wrote.
func longMessages(t *testing.T, n int, text string) []report.TimelineEvent {
	r := newRecorder(t, time.Date(2026, 3, 7, 9, 0, 0, 0, time.UTC))
	for range n {
		r.emit(time.Hour, "ws-peint-01", "c.lefevre", domain.RoleOperator, domain.ComplaintMessagePosted, complaintID,
			&domain.MessagePayload{Text: text})
	}
	tl := report.TimelineFromEvents(r.events)
	tl[0].Rejected = true
	tl[1].Event.Type, tl[1].Unfolded = "complaint.future_event", true
	return tl
}

func TestEightDWithoutComplaint(t *testing.T) {
	for _, in := range []report.EightD{{}, {Complaint: domain.NewState(domain.EntityKey{Type: domain.EntityComplaint, ID: "x"})}} {
		if err := report.WriteEightD(&bytes.Buffer{}, in); !errors.Is(err, report.ErrNoComplaint) {
			t.Errorf("err %v, want ErrNoComplaint", err)
		}
	}
}

// TestEightDFreshComplaint: a complaint just filed, no action, no plan,
// without a directory: every section says what is missing.
func TestEightDFreshComplaint(t *testing.T) {
	r := newRecorder(t, time.Date(2026, 3, 2, 7, 40, 0, 0, time.UTC))
	r.emit(0, "ws-peint-01", "c.lefevre", domain.RoleOperator, domain.ComplaintFiled, complaintID, &domain.ComplaintFiledPayload{
		Number: "PEINT-2026-0043", FilingStation: "PEINT", SupplierStation: "SOUD", PartRef: "P-1", Quantity: 1,
		Category: "other", Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "Défaut d'aspect."})
	st := domain.FoldEntity(domain.EntityKey{Type: domain.EntityComplaint, ID: complaintID}, r.events)
	b := writeEightD(t, report.EightD{Complaint: st, Timeline: report.TimelineFromEvents(r.events), Lang: report.French})
	text := pdfText(t, b)
	containsAll(t, text, "PEINT-2026-0043", "Pas encore renseigné.", "Aucune action.", "Aucune solution choisie",
		"Aucun plan préventif.", "Non close : la réclamation est « Nouvelle ».", "c.lefevre", "Déposée : 1 × P-1")
}

// cut keeps the first n characters of s.
func cut(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// TestEightDSealedNote: a note the caller could not open shows as a
// locked note, never as its sealed bytes; an opened one shows its text.
func TestEightDSealedNote(t *testing.T) {
	in := eightDFixture(t)
	last := in.Timeline[len(in.Timeline)-1].Event
	ev := func(p *domain.MessagePayload) report.TimelineEvent {
		e, err := domain.NewEvent(domain.ComplaintMessagePosted, in.Complaint.Complaint.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = last.ID, last.HLC, last.Replica, last.Seq, last.Author, last.Role
		return report.TimelineEvent{Event: e}
	}
	note := ev(&domain.MessagePayload{Internal: true, Sealed: "k1:U2VhbGVkQnl0ZXNTZWFsZWRCeXRlcw"})
	opened := ev(&domain.MessagePayload{Internal: true, Text: "Fournisseur à surveiller"})
	in.Timeline = append(in.Timeline, note, opened)
	text := pdfText(t, writeEightD(t, in))
	containsAll(t, text, "Note interne (verrouillée)", "Note interne : Fournisseur à surveiller")
	if strings.Contains(text, "U2VhbGVk") {
		t.Error("the 8D prints a sealed note's bytes")
	}
}
