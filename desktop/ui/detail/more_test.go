package detail

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// A second operator of the station that filed the complaints: a
// complainant's colleague, not its filer.
var colleague = boltstore.Actor{Login: "op.luc", Role: domain.RoleOperator}

func withColleague(t *testing.T, s *boltstore.Store) {
	t.Helper()
	fixture.Do(t, s, fixture.Admin, domain.UserRegistered, colleague.Login, &domain.UserPayload{DisplayName: "Luc Blanc", Role: domain.RoleOperator, Station: "PRESS2"})
}

func TestWithdrawByItsComplainant(t *testing.T) {
	// Given an acknowledged complaint filed by Marie
	s := seeded(t)
	withColleague(t, s)
	id := fixture.Acknowledged(t, s, "Burr")
	// Then only Marie is offered to withdraw it: not her colleague, not
	// the engineer
	for _, who := range []boltstore.Actor{colleague, fixture.Engineer, fixture.Manager} {
		if r := open(t, s, who, id); slices.Contains(r.sc.Tasks(), "Withdraw the complaint") || r.sc.Show("withdraw") {
			t.Errorf("%s is offered to withdraw it", who.Login)
		}
	}
	// And the rule holds below the buttons: the colleague is refused in words
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: colleague.Login, Role: colleague.Role})
	err := explain(m.Withdraw(id, "not ours"))
	if err == nil || !strings.Contains(err.Error(), "Only the person who filed the complaint may withdraw it") {
		t.Errorf("colleague's withdrawal: %v", err)
	}
	// When Marie withdraws it without a reason
	r := open(t, s, fixture.Operator, id)
	r.tap("Withdraw the complaint")
	test.Tap(r.sc.Submit())
	// Then the reason is asked for, and nothing is recorded
	if got := r.sc.PanelError("reason"); got != "Say why" {
		t.Errorf("reason error %q", got)
	}
	if r.complaint().Status != domain.StatusAcknowledged {
		t.Fatal("withdrawn without a reason")
	}
	// When she gives one
	test.Type(r.entry("reason"), "Our own handling damage")
	test.Tap(r.sc.Submit())
	// Then it is withdrawn, with the reason shown and in the timeline
	if c := r.complaint(); c.Status != domain.StatusWithdrawn || c.WithdrawnReason != "Our own handling damage" {
		t.Fatalf("status %s reason %q", c.Status, c.WithdrawnReason)
	}
	if !uitest.HasText(r.sc.Object(), "Our own handling damage") {
		t.Error("the reason is not shown")
	}
	r.sc.Show("timeline")
	if !uitest.HasText(r.sc.Object(), "Withdrawn: Our own handling damage") {
		t.Error("the timeline lacks the withdrawal")
	}
	if slices.Contains(r.sc.Tasks(), "Withdraw the complaint") {
		t.Error("still offered once withdrawn")
	}
}

// withAction gives the complaint a pending corrective action owned by Paul.
func withAction(t *testing.T, s *boltstore.Store, id string) (actionID string, due time.Time) {
	t.Helper()
	due = time.Now().Add(5 * 24 * time.Hour)
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: fixture.Engineer.Login, Role: fixture.Engineer.Role})
	if err := m.AssignAction(id, model.NewAction{Kind: domain.ActionCorrective, Title: "New die", Owner: fixture.Engineer.Login, Due: due}); err != nil {
		t.Fatal(err)
	}
	d, err := m.Complaint(id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Actions[0].ID, d.Actions[0].Due
}

func TestCancelAnAction(t *testing.T) {
	// Given a complaint with a pending action
	s := seeded(t)
	id := chosen(t, s, "Burr")
	withAction(t, s, id)
	// Then the operator is not offered to cancel it
	op := open(t, s, fixture.Operator, id)
	op.sc.Show("actions")
	if uitest.FindButton(op.sc.Object(), "Cancel the action") != nil || op.sc.Show("cancel-action") {
		t.Error("the operator may cancel an action")
	}
	// When the engineer cancels it from the Actions tab without a reason
	r := open(t, s, fixture.Engineer, id)
	r.sc.Show("actions")
	r.tap("Cancel the action")
	if !uitest.HasText(r.sc.side, "New die") {
		t.Error("the panel does not name the action")
	}
	test.Tap(r.sc.Submit())
	// Then the reason is asked for and the action stays open
	if got := r.sc.PanelError("reason"); got != "Say why" {
		t.Errorf("reason error %q", got)
	}
	if st := r.sc.Detail().Actions[0].Status; st != domain.ActionStatusOpen {
		t.Fatalf("status %s", st)
	}
	// When a reason is given
	test.Type(r.entry("reason"), "Lot already used up")
	test.Tap(r.sc.Submit())
	// Then it is cancelled, the reason shown, and no button remains
	a := r.sc.Detail().Actions[0]
	if a.Status != domain.ActionStatusCancelled || a.CancelReason != "Lot already used up" {
		t.Fatalf("action %s %q", a.Status, a.CancelReason)
	}
	if !uitest.HasText(r.sc.Object(), "Cancelled: Lot already used up") {
		t.Error("the reason is not shown")
	}
	if uitest.FindButton(r.sc.Object(), "Cancel the action") != nil {
		t.Error("a cancelled action can be cancelled again")
	}
	r.sc.Show("timeline")
	if !uitest.HasText(r.sc.Object(), "Action cancelled: New die — Lot already used up") {
		t.Errorf("timeline: %v", uitest.Texts(r.sc.Object(), "cancelled"))
	}
}

func TestRescheduleAnAction(t *testing.T) {
	// Given a complaint with a pending action
	s := seeded(t)
	id := chosen(t, s, "Burr")
	_, due := withAction(t, s, id)
	r := open(t, s, fixture.Engineer, id)
	r.sc.Show("actions")
	r.tap("Reschedule the action")
	// Then the owner and due date are those of the action
	if got := r.sc.Input("owner").(*widget.Select).Selected; got != "Paul Martin" {
		t.Errorf("owner %q", got)
	}
	if got := r.entry("due").Text; got != due.Local().Format("2006-01-02") {
		t.Errorf("due %q", got)
	}
	// When nothing changes, or no reason is given, it says what is missing
	test.Tap(r.sc.Submit())
	if got := r.sc.PanelError("reason") + r.sc.PanelError("owner"); got == "" {
		t.Error("no error for an empty reschedule")
	}
	test.Type(r.entry("reason"), "Toolmaker late")
	test.Tap(r.sc.Submit())
	if got := r.sc.PanelError("owner"); got != "Choose another owner or another due date" {
		t.Errorf("owner error %q", got)
	}
	// And a date that is not one is refused under the field
	r.entry("due").SetText("next week")
	test.Tap(r.sc.Submit())
	if r.sc.PanelError("due") == "" {
		t.Error("no error for a wrong date")
	}
	if a := r.sc.Detail().Actions[0]; !a.Due.Equal(due.UTC()) && !a.Due.Equal(due) {
		t.Fatalf("half-saved: due %s", a.Due)
	}
	// When Léa takes it, a week later
	later := due.Add(7 * 24 * time.Hour).Local().Format("2006-01-02")
	r.entry("due").SetText(later)
	r.sc.Input("owner").(*widget.Select).SetSelected("Léa Petit")
	test.Tap(r.sc.Submit())
	// Then both change, and the timeline says why
	a := r.sc.Detail().Actions[0]
	if a.Owner != fixture.Engineer2.Login || a.Due.Local().Format("2006-01-02") != later {
		t.Fatalf("owner %s due %s", a.Owner, a.Due)
	}
	r.sc.Show("timeline")
	if !uitest.HasText(r.sc.Object(), "Toolmaker late") {
		t.Error("the timeline lacks the reason")
	}
}

// pngOf is a small real picture.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAddFilesAfterFiling(t *testing.T) {
	// Given an acknowledged complaint, opened by its complainant
	s := seeded(t)
	id := fixture.Acknowledged(t, s, "Burr")
	r := open(t, s, fixture.Operator, id)
	win := r.sc.env.Win
	// When she taps "Add a photo or file", then the picker
	r.tap("Add a photo or file")
	r.tap("Choose a photo or file…")
	// Then the file dialog opens (the filing form's, same limits)
	if uitest.FileDialog(win, "Open") == nil {
		t.Fatalf("no open dialog (top overlay: %T)", uitest.TopOverlay(win))
	}
	uitest.CancelFileDialog(t, win, "Open")
	// When she confirms with no file
	test.Tap(r.sc.Submit())
	if got := r.sc.PanelError("attachment"); got != "Choose a file" {
		t.Errorf("no file: error %q", got)
	}
	// When one of the files is too large
	r.sc.AddFile(model.File{Name: "edge.png", Data: pngOf(t, 40, 30)})
	r.sc.AddFile(model.File{Name: "video.mp4", Data: make([]byte, domain.MaxAttachmentBytes+1)})
	test.Tap(r.sc.Submit())
	// Then it says so, and nothing is added: neither event nor bytes
	if got := r.sc.PanelError("attachment"); !strings.Contains(got, "10 MB") {
		t.Errorf("too large: error %q", got)
	}
	if n := len(r.complaint().Attachments); n != 0 {
		t.Fatalf("half-saved: %d attachments", n)
	}
	// When she removes it and confirms
	r.sc.panel.files = r.sc.panel.files[:1]
	test.Tap(r.sc.Submit())
	// Then the photo is attached, its bytes stored for the sync client,
	// and the timeline says so
	atts := r.complaint().Attachments
	if len(atts) != 1 || atts[0].Name != "edge.png" || atts[0].MediaType != "image/png" {
		t.Fatalf("attachments %+v", atts)
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		if !tx.HasBlob(atts[0].SHA256) {
			t.Error("the bytes are not stored")
		}
		return nil
	})
	r.sc.Show("timeline")
	if !uitest.HasText(r.sc.Object(), "File added: edge.png") {
		t.Error("the timeline lacks the file")
	}
}

// thumbs lists the photo thumbnails shown in a tree.
func thumbs(o fyne.CanvasObject) []*photo {
	var out []*photo
	uitest.Walk(o, func(c fyne.CanvasObject) bool {
		if p, ok := c.(*photo); ok {
			out = append(out, p)
		}
		return false
	})
	return out
}

func TestPhotoThumbnailAndFullSize(t *testing.T) {
	// Given a complaint filed with a photo and a PDF
	s := seeded(t)
	op := viewmodel.New(s, "PRESS2", nil)
	op.SetSession(model.Session{Login: fixture.Operator.Login, Role: fixture.Operator.Role})
	filed, err := op.FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "BR-2040", Quantity: 3,
		Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: "Burr",
		Files: []model.File{{Name: "burr.png", Data: pngOf(t, 800, 600)}, {Name: "report.pdf", Data: []byte("%PDF-1.4 report")}}})
	if err != nil {
		t.Fatal(err)
	}
	// When the engineer opens it
	r := open(t, s, fixture.Engineer, filed.ID)
	win := r.sc.env.Win
	// Then the overview shows the photo's thumbnail, scaled down
	shown := thumbs(r.sc.Object())
	if len(shown) != 1 || !shown[0].loaded {
		t.Fatalf("%d thumbnails on the overview", len(shown))
	}
	if b := shown[0].img.Image.Bounds(); b.Dx() > thumbW || b.Dy() > thumbH {
		t.Errorf("thumbnail of %v", b)
	}
	// And the Files tab too, the PDF offered to save only
	r.sc.Show("files")
	if len(thumbs(r.sc.Object())) != 1 || uitest.FindButton(r.sc.Object(), "Open full size") == nil {
		t.Error("no thumbnail or Open button in the Files tab")
	}
	if n := len(uitest.Texts(r.sc.files, "Save a copy")); n < 2 {
		t.Errorf("%d Save a copy buttons, want one per file", n)
	}
	// When the thumbnail is clicked
	test.Tap(thumbs(r.sc.Object())[0])
	// Then a dialog shows the photo, scaled to the window
	top := uitest.TopOverlay(win)
	if top == nil || !uitest.HasText(top, "burr.png") {
		t.Fatalf("no dialog named after the photo (top overlay %T)", top)
	}
	var full *canvas.Image
	uitest.Walk(top, func(o fyne.CanvasObject) bool {
		if img, ok := o.(*canvas.Image); ok && img.Image != nil && img.Image.Bounds().Dx() == 800 {
			full = img
			return true
		}
		return false
	})
	if full == nil {
		t.Fatal("the dialog does not hold the photo at full resolution")
	}
	if sz := full.Size(); sz.Width < 800 || sz.Height < 450 || full.FillMode != canvas.ImageFillContain {
		t.Errorf("photo shown at %v (fill %v), want it scaled to the 1280×800 window", sz, full.FillMode)
	}
	test.Tap(uitest.FindButton(top, "Close"))
	if uitest.TopOverlay(win) != nil {
		t.Error("the dialog stays after Close")
	}
}

func TestPhotoNotYetOnThisWorkstation(t *testing.T) {
	// Given a complaint filed elsewhere with a photo whose bytes this
	// workstation has not fetched
	s := seeded(t)
	data := pngOf(t, 64, 48)
	other := fixture.Open(t)
	sha, err := other.PutBlob(data)
	if err != nil {
		t.Fatal(err)
	}
	p := fixture.Filing("Burr")
	p.Attachments = []domain.Attachment{{SHA256: sha, Name: "edge.png", Size: int64(len(data)), MediaType: "image/png"}}
	id := fixture.File(t, s, p)
	// When the engineer opens it offline
	r := open(t, s, fixture.Engineer, id)
	// Then the page says the photo is not here yet, and when it comes
	if !uitest.HasText(r.sc.Object(), "Not on this workstation yet: it is downloaded when the server is reachable.") {
		t.Fatalf("no word about the missing photo: %v", uitest.Texts(r.sc.Object(), "workstation"))
	}
	// When the server is reachable again and "Download now" is tapped
	fetched := 0
	r.m.FetchBlob = func(want string) ([]byte, error) { // the sync client's fetch: checked, then kept
		fetched++
		return data, s.PutBlobChecked(want, data)
	}
	r.tap("Download now")
	// Then the thumbnail shows, the bytes are kept, and fetched once
	if th := thumbs(r.sc.Object()); len(th) != 1 || !th[0].loaded {
		t.Fatal("no thumbnail after the download")
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		if !tx.HasBlob(sha) {
			t.Error("the photo was not kept")
		}
		return nil
	})
	if fetched != 1 {
		t.Errorf("fetched %d times", fetched)
	}
	// And a page opened online fetches it by itself
	id2 := fixture.File(t, s, func() *domain.ComplaintFiledPayload {
		p := fixture.Filing("Burr again")
		data2 := pngOf(t, 30, 20)
		sha2, _ := other.PutBlob(data2)
		p.Attachments = []domain.Attachment{{SHA256: sha2, Name: "again.png", Size: int64(len(data2)), MediaType: "image/png"}}
		data = data2
		return p
	}())
	r2 := open(t, s, fixture.Engineer, id2)
	r2.m.FetchBlob = r.m.FetchBlob
	r2.sc.Load()
	if th := thumbs(r2.sc.Object()); len(th) != 1 || !th[0].loaded {
		t.Error("an online page does not fetch the photo by itself")
	}
}

// The side panel is confirmed from the keyboard as the filing form is:
// Ctrl+Enter in a multi-line field, Enter in a one-line field.
func TestPanelConfirmedByKeyboard(t *testing.T) {
	s := seeded(t)
	id := fixture.File(t, s, fixture.Filing("Burr"))
	r := open(t, s, fixture.Engineer, id)
	c := r.sc.env.Win.Canvas()
	// When the engineer types a reason to reject and presses Ctrl+Enter
	r.tap("Reject")
	reason := r.sc.Input("reason").(fyne.Focusable)
	c.Focus(reason)
	test.Type(r.entry("reason"), "Within tolerance")
	uitest.PressShortcut(c, uitest.CtrlEnter)
	// Then it is rejected
	if st := r.complaint().Status; st != domain.StatusRejected {
		t.Fatalf("status %s after Ctrl+Enter", st)
	}
	// When another complaint is marked as a duplicate with Enter
	other := fixture.File(t, s, fixture.Filing("Burr again"))
	r2 := open(t, s, fixture.Engineer, other)
	r2.tap("Mark as duplicate")
	c2 := r2.sc.env.Win.Canvas()
	c2.Focus(r2.entry("of"))
	test.Type(r2.entry("of"), r.complaint().Number)
	uitest.PressKey(c2, fyne.KeyReturn)
	if st := r2.complaint().Status; st != domain.StatusDuplicate {
		t.Fatalf("status %s after Enter", st)
	}
}
