package complaints

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

func TestInboxNewFirstAndFilters(t *testing.T) {
	// Given an acknowledged complaint filed before a new one, and a critical one from PAINT
	env, _ := uitest.New(t)
	s := fixture.Open(t)
	fixture.Seed(t, s)
	ack := fixture.Acknowledged(t, s, "old")
	newer := fixture.File(t, s, fixture.Filing("newer"))
	p := fixture.Filing("paint drips")
	p.SupplierStation, p.Severity = "PAINT", domain.SeverityCritical
	paint := fixture.File(t, s, p)
	fixture.Do(t, s, fixture.Engineer, domain.ComplaintAcknowledged, paint, &domain.AcknowledgePayload{Deadline: time.Now().Add(time.Hour), Assignee: fixture.Engineer2.Login})
	m := viewmodel.New(s, "", nil)
	m.SetSession(model.Session{Login: fixture.Engineer.Login, Role: domain.RoleEngineer})
	var opened string
	in := NewInbox(env, m, func(id string) { opened = id })
	uitest.Show(env, in.Object())
	in.Load()
	// Then the new one comes first
	ids := func() []string {
		var out []string
		for _, r := range in.List.Rows() {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(); len(got) != 3 || got[0] != newer {
		t.Fatalf("rows = %v, want %s first", got, newer)
	}
	// When filtering on critical
	sev, station, _, _, assignee, text, overdue := in.Filters()
	sev.SetSelected("Critical")
	if got := ids(); len(got) != 1 || got[0] != paint {
		t.Fatalf("critical = %v", got)
	}
	sev.SetSelectedIndex(0)
	// And on the supplier CUT1 and "me"
	station.SetSelected("CUT1 · Cutting 1")
	assignee.SetSelected("Me")
	if got := ids(); len(got) != 1 || got[0] != ack {
		t.Fatalf("CUT1 + me = %v", got)
	}
	assignee.SetSelectedIndex(0)
	station.SetSelectedIndex(0)
	// And by text
	test.Type(text, "drips")
	text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := ids(); len(got) != 1 || got[0] != paint {
		t.Fatalf("text = %v", got)
	}
	text.SetText("")
	text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	// And overdue two hours later: the PAINT one, highlighted
	env.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	m.SetClock(env.Now)
	in.List.env.Now = env.Now
	overdue.SetChecked(true)
	if got := ids(); len(got) != 1 || got[0] != paint {
		t.Fatalf("overdue = %v", got)
	}
	if !uitest.HasText(in.Object(), "⚠ Overdue by") {
		t.Errorf("overdue not highlighted: %v", uitest.Texts(in.Object(), "Overdue"))
	}
	// When a row is selected, it opens
	in.List.Widget().Select(0)
	if opened != paint {
		t.Errorf("opened %q", opened)
	}
}

func TestListPagesAsItScrolls(t *testing.T) {
	// Given 180 complaints
	env, _ := uitest.New(t)
	s := fixture.Open(t)
	fixture.Seed(t, s)
	err := s.Update(func(tx *boltstore.Tx) error {
		for i := 0; i < 180; i++ {
			if _, err := tx.Record(fixture.Operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: fixture.Filing(fmt.Sprint("defect ", i))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: fixture.Operator.Login, Role: domain.RoleOperator, Station: "PRESS2"})
	mine := NewMine(env, m, func(string) {})
	uitest.Show(env, mine.Object())
	mine.Load()
	// Then only the first page is read
	if n := len(mine.List.Rows()); n != pageSize {
		t.Fatalf("rows after load = %d, want %d", n, pageSize)
	}
	// When the list scrolls to the end, pages follow
	for i := 0; i < 10 && mine.List.More(); i++ {
		mine.List.Widget().ScrollToBottom()
		mine.List.Widget().Refresh()
	}
	if n := len(mine.List.Rows()); n != 180 || mine.List.More() {
		t.Fatalf("rows after scrolling = %d (more %v)", n, mine.List.More())
	}
	if !uitest.HasText(mine.Object(), "180 complaints") {
		t.Errorf("count = %v", uitest.Texts(mine.Object(), "complaints"))
	}
}

func TestInboxSearchesAsYouType(t *testing.T) {
	// Given the inbox over three complaints, one about paint drips
	env, _ := uitest.New(t)
	timers := &uitest.Timers{}
	env.Later = timers.Later
	s := fixture.Open(t)
	fixture.Seed(t, s)
	fixture.File(t, s, fixture.Filing("burr on the edge"))
	fixture.File(t, s, fixture.Filing("scratch on the face"))
	paint := fixture.File(t, s, fixture.Filing("paint drips"))
	m := viewmodel.New(s, "", nil)
	m.SetSession(model.Session{Login: fixture.Engineer.Login, Role: domain.RoleEngineer})
	in := NewInbox(env, m, func(string) {})
	uitest.Show(env, in.Object())
	in.Load()
	_, _, _, _, _, text, _ := in.Filters()
	// Then the field says that results follow the typing
	if !strings.Contains(text.PlaceHolder, "as you type") {
		t.Errorf("placeholder = %q", text.PlaceHolder)
	}
	// When the engineer types a word, without Enter
	test.Type(text, "drips")
	// Then one search waits for the typing to pause, whatever the keys typed
	if n := timers.Pending(); n != 1 {
		t.Fatalf("%d searches waiting, want 1", n)
	}
	if len(in.List.Rows()) != 3 {
		t.Fatalf("searched before the pause: %d rows", len(in.List.Rows()))
	}
	// When the pause comes, the list holds the match only
	timers.Fire()
	if rows := in.List.Rows(); len(rows) != 1 || rows[0].ID != paint {
		t.Fatalf("rows = %+v", rows)
	}
	// When the field is emptied, every complaint is back after the pause
	text.SetText("")
	timers.Fire()
	if n := len(in.List.Rows()); n != 3 {
		t.Fatalf("%d rows after clearing", n)
	}
	// And Enter still searches at once, dropping the search waiting
	test.Type(text, "scratch")
	text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if n := timers.Pending(); n != 0 || len(in.List.Rows()) != 1 {
		t.Fatalf("after Enter: %d waiting, %d rows", n, len(in.List.Rows()))
	}
}
