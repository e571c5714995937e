// Package demo seeds a demo plant: eight stations in a flow, users of
// every role, and months of complaints, actions and preventive plans in
// every state of their lifecycle, recorded with backdated times through
// the store's clock, as if the plant had been running.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
	"boucle/syncserver"

	"github.com/google/uuid"
)

// Password is the password of every demo account. A fixed password is
// only ever set by the demo seed, so that whoever runs the demo can sign
// in as anyone; never use a demo store for real.
const Password = "boucle-demo"

// Clock is the store's clock while seeding: the seed moves it along the
// backdated history. Open the store with Options{Now: clock.Now}.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *Clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Options shape the demo history.
type Options struct {
	End        time.Time // the history ends here; time.Now() when zero
	Days       int       // and starts this many days before (120)
	Complaints int       // how many complaints (110)
	Seed       uint64    // random choices: the same seed gives the same plant
	// Keys seal the internal notes: the keys of the server that will
	// serve the store (syncserver.PlantKeys); nil: that function's
	// default for this store.
	Keys *confidential.Keyring
}

// Result says what was seeded.
type Result struct {
	Stations   int
	Users      []User
	Complaints int
	Plans      int
	Events     uint64
	From, To   time.Time
	Enrolments []syncserver.Enrolment
	// Problems gives, for each complaint, the defect it was seeded from:
	// its true problem, against which the demo's figures are checked.
	Problems map[string]string
}

// ErrSeeded and ErrNotEmpty are returned by Seed for a store it leaves
// alone.
var (
	ErrSeeded   = fmt.Errorf("the store already holds the demo plant")
	ErrNotEmpty = fmt.Errorf("the store already holds a plant: the demo seeds an empty store only")
)

// Seed seeds the demo plant into an empty store opened with
// syncserver.OpenStore and Options{Now: clock.Now}. A store already
// seeded returns ErrSeeded; a store with any account, ErrNotEmpty.
func Seed(store *boltstore.Store, clock *Clock, opts Options) (Result, error) {
	if opts.End.IsZero() {
		opts.End = time.Now()
	}
	opts.End = opts.End.Add(-5 * time.Minute).UTC() // strictly in the past, whatever happens next
	if opts.Days <= 0 {
		opts.Days = 120
	}
	if opts.Complaints <= 0 {
		opts.Complaints = 110
	}
	admin := syncserver.NewAdmin(store, clock.Now)
	keys := opts.Keys
	st, err := admin.Status()
	switch {
	case err != nil:
		return Result{}, err
	case !st.DemoSeeded.IsZero():
		return Result{}, fmt.Errorf("%w (seeded %s)", ErrSeeded, st.DemoSeeded.Local().Format(time.DateTime))
	case st.Accounts:
		return Result{}, ErrNotEmpty
	}
	if keys == nil {
		if keys, err = syncserver.PlantKeys(store, syncserver.Config{}); err != nil {
			return Result{}, err
		}
	}
	if !keys.Unlocked() {
		return Result{}, fmt.Errorf("demo: the confidential keyring holds no key to seal internal notes")
	}
	g := &gen{r: rand.New(rand.NewPCG(opts.Seed, 0x0b0c1e)), start: opts.End.AddDate(0, 0, -opts.Days), end: opts.End, store: store, keys: keys}
	clock.set(g.start)
	if err := g.setUp(admin); err != nil {
		return Result{}, err
	}
	g.complaints(opts.Complaints)
	g.plans()
	if err := g.showcase(); err != nil { // showcase.go
		return Result{}, err
	}
	g.add(g.start.Add(time.Duration(float64(g.end.Sub(g.start))*leaverUntil)+48*time.Hour), actorOf(users[0]),
		boltstore.Command{Type: domain.UserDisabled, EntityID: leaver, Payload: &domain.ReasonPayload{Reason: "A quitté l'usine / left the plant"}})
	if err := g.record(clock); err != nil {
		return Result{}, err
	}
	return g.finish(admin, clock)
}

// gen builds the history as steps, then records them in time order.
type gen struct {
	r          *rand.Rand
	start, end time.Time
	store      *boltstore.Store
	steps      []step
	filed      []*life // every complaint, in filing order
	photos     []domain.Attachment
	keys       *confidential.Keyring // seal the internal notes
	notes      int                   // internal notes sealed so far
	story      story                 // what the story (story.go) shares with the random draws
}

// step is what one person does at one time.
type step struct {
	at    time.Time
	n     int // creation order: keeps steps at the same time in order
	actor boltstore.Actor
	cmds  []boltstore.Command
}

func (g *gen) add(at time.Time, a boltstore.Actor, cmds ...boltstore.Command) {
	g.steps = append(g.steps, step{at: at, n: len(g.steps), actor: a, cmds: cmds})
}

func (g *gen) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(g.r.Int64N(int64(hi-lo)+1))
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func actorOf(u User) boltstore.Actor { return boltstore.Actor{Login: u.Login, Role: u.Role} }

func userByLogin(login string) User {
	for _, u := range users {
		if u.Login == login {
			return u
		}
	}
	panic("demo: no user " + login)
}

// setUp registers the stations, the users (password Password) and the
// default reference data at the start of the history.
func (g *gen) setUp(admin *syncserver.Admin) error {
	ctx := context.Background()
	for _, u := range users[:1] { // the administrator first: the server records as admin
		if _, err := admin.AddUser(ctx, syncserver.NewUser{Login: u.Login, DisplayName: u.Name, Role: u.Role, Password: Password}); err != nil {
			return err
		}
	}
	if _, err := g.store.SeedReference(boltstore.Actor{Login: "admin", Role: domain.RoleAdmin}); err != nil {
		return err
	}
	for _, s := range stations {
		if err := admin.AddStation(ctx, s.code, s.name); err != nil {
			return err
		}
	}
	for _, u := range users[1:] {
		if _, err := admin.AddUser(ctx, syncserver.NewUser{Login: u.Login, DisplayName: u.Name, Role: u.Role, Station: u.Station, Password: Password}); err != nil {
			return err
		}
	}
	for i := range 6 {
		a, err := g.photo(i)
		if err != nil {
			return err
		}
		g.photos = append(g.photos, a)
	}
	return nil
}

// photo stores a small generated picture as evidence: a grey part with a
// dark mark where the defect is.
func (g *gen) photo(i int) (domain.Attachment, error) {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	mx, my := 30+g.r.IntN(100), 20+g.r.IntN(80)
	for y := range 120 {
		for x := range 160 {
			v := uint8(150 + (x+y)%40)
			if (x-mx)*(x-mx)+(y-my)*(y-my) < 60 {
				v = 40
			}
			img.Set(x, y, color.RGBA{v, v, v + 10, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return domain.Attachment{}, err
	}
	sha, err := g.store.PutBlob(buf.Bytes())
	return domain.Attachment{SHA256: sha, Name: fmt.Sprintf("photo-%d.png", i+1), Size: int64(buf.Len()), MediaType: "image/png"}, err
}

// record records every step in one transaction, in time order, moving
// the store's clock to each step's time first.
func (g *gen) record(clock *Clock) error {
	slices.SortStableFunc(g.steps, func(a, b step) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.n - b.n
	})
	return g.store.Update(func(t *boltstore.Tx) error {
		for _, s := range g.steps {
			clock.set(s.at)
			for _, cmd := range s.cmds {
				if _, err := t.Record(s.actor, cmd); err != nil {
					return fmt.Errorf("demo: %s by %s at %s on %s: %w", cmd.Type, s.actor.Login, s.at.Format(time.DateTime), cmd.EntityID, err)
				}
			}
		}
		return nil
	})
}

// finish acknowledges the server's outbox, marks the store as the demo,
// creates enrolment codes for workstations and sums up.
func (g *gen) finish(admin *syncserver.Admin, clock *Clock) (Result, error) {
	clock.set(time.Now())
	if err := admin.DrainOutbox(); err != nil {
		return Result{}, err
	}
	if err := admin.MarkDemo(time.Now()); err != nil {
		return Result{}, err
	}
	res := Result{Stations: len(stations), Users: users, Complaints: len(g.filed), Plans: 3, From: g.start, To: g.end,
		Problems: map[string]string{}}
	for _, l := range g.filed {
		d := trueProblem(l.d)
		res.Problems[l.id] = d.supplier + "/" + d.part + "/" + d.root[0]
	}
	for range 3 {
		en, err := admin.EnrolDevice(context.Background(), "demo workstation", 0)
		if err != nil {
			return Result{}, err
		}
		res.Enrolments = append(res.Enrolments, en)
	}
	err := g.store.View(func(t *boltstore.Tx) error { res.Events = t.LogLen(); return nil })
	return res, err
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }
