package pgstore

import (
	"context"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/domain"
)

// cable stands between the store and its database, as the network does:
// it can be unplugged (connections refused at once, those open cut) and
// plugged again.
type cable struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	up     bool
	conns  []net.Conn
}

// newCable listens on a free port of 127.0.0.1 and forwards to the
// database of dbURL; it returns the cable and dbURL through it.
func newCable(t *testing.T, dbURL string, up bool) (*cable, string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &cable{ln: ln, target: u.Host, up: up}
	t.Cleanup(func() { ln.Close(); c.unplug() })
	go c.serve()
	u.Host = ln.Addr().String()
	return c, u.String()
}

func (c *cable) serve() {
	for {
		in, err := c.ln.Accept()
		if err != nil {
			return
		}
		c.mu.Lock()
		up := c.up
		if up {
			c.conns = append(c.conns, in)
		}
		c.mu.Unlock()
		if !up {
			in.Close()
			continue
		}
		out, err := net.Dial("tcp", c.target)
		if err != nil {
			in.Close()
			continue
		}
		c.mu.Lock()
		c.conns = append(c.conns, out)
		c.mu.Unlock()
		go func() { io.Copy(out, in); out.Close() }()
		go func() { io.Copy(in, out); in.Close() }()
	}
}

// unplug cuts the connections open and refuses new ones.
func (c *cable) unplug() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.up = false
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
}

func (c *cable) plug() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.up = true
}

// A server started while its database cannot be reached waits for it,
// attempt after attempt, with a growing wait and a message naming the
// database (never the password), then opens it once it answers.
func TestOpenWaitsForTheDatabase(t *testing.T) {
	ctx := context.Background()
	c, through := newCable(t, pgtest.DB(t), false)
	var waits []time.Duration
	var told []string
	b := Backoff{First: time.Second, Max: 4 * time.Second, Wait: func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		if len(waits) == 4 {
			c.plug() // the database comes up during the fourth wait
		}
		return nil
	}}
	s, err := OpenWhenReachable(ctx, through, b, func(err error, _ time.Duration) { told = append(told, err.Error()) })
	if err != nil {
		t.Fatalf("open once the database answers: %v", err)
	}
	defer s.Close()
	if want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second}; !slices.Equal(waits, want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	host := c.ln.Addr().String()
	for _, m := range told {
		if !strings.Contains(m, "cannot reach PostgreSQL at "+host) {
			t.Fatalf("message %q, want one naming %s", m, host)
		}
	}
	if _, err := s.CreatePlant(ctx, "north"); err != nil {
		t.Fatalf("the store opened after the waits: %v", err)
	}
}

// Waiting ends with the server's start being cancelled (SIGTERM), with
// the last failure; a failure that waiting would not mend (a database
// that does not exist) is returned at once.
func TestOpenStopsWaitingWhenItShould(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	_, through := newCable(t, pgtest.DB(t), false)
	attempts := 0
	b := Backoff{First: time.Second, Max: time.Minute, Wait: func(ctx context.Context, _ time.Duration) error {
		if attempts++; attempts == 2 {
			cancel()
		}
		return ctx.Err()
	}}
	_, err := OpenWhenReachable(ctx, through, b, func(error, time.Duration) {})
	if domain.ErrorCode(err) != domain.EUnavailable || attempts != 2 {
		t.Fatalf("open cancelled while waiting: %v after %d waits, want unavailable after 2", err, attempts)
	}

	u, _ := url.Parse(pgtest.DB(t))
	u.Path = "/no_such_database"
	b.Wait = func(context.Context, time.Duration) error {
		t.Fatal("waited for a database that does not exist")
		return nil
	}
	_, err = OpenWhenReachable(context.Background(), u.String(), b, func(error, time.Duration) {})
	if err == nil || domain.ErrorCode(err) == domain.EUnavailable || !strings.Contains(err.Error(), "no_such_database") {
		t.Fatalf("open of a database that does not exist: %v, want its own error at once", err)
	}
}

// A store whose database goes away while serving fails its transactions
// as unavailable (the server's 503 with Retry-After), writes nothing,
// and works again once the database is back.
func TestDatabaseLostWhileServingIsUnavailable(t *testing.T) {
	ctx := context.Background()
	c, through := newCable(t, pgtest.DB(t), true)
	s, err := Open(ctx, through+"&connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := newPlant(t, s, "north")
	ws := &replica{id: "ws-1"}
	mustAppend(t, p, ws.next(3))

	c.unplug()
	batch := ws.next(5)
	if _, err := p.Append(ctx, batch); domain.ErrorCode(err) != domain.EUnavailable {
		t.Fatalf("push with the database gone: %v, want unavailable", err)
	}
	err = p.View(ctx, func(*Tx) error { return nil })
	if domain.ErrorCode(err) != domain.EUnavailable || domain.AsError(err).Message != "the database cannot be reached: try again shortly" {
		t.Fatalf("read with the database gone: %v, want unavailable", err)
	}
	leader := s.Leader("north")
	defer leader.Close()
	if lead, err := leader.Leading(ctx); lead || domain.ErrorCode(err) != domain.EUnavailable {
		t.Fatalf("election with the database gone: %v, %v; want not leading, unavailable", lead, err)
	}

	c.plug()
	mustAppend(t, p, batch) // the workstation's retry
	if got := len(readAll(t, p, 100)); got != 8 {
		t.Fatalf("%d events after the retry, want 8", got)
	}
}
