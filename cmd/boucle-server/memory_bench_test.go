package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/shared/syncproto"
	"boucle/syncserver"

	"github.com/google/uuid"
)

// TestMain lets BenchmarkConcurrentMaxPushesMemory run this test binary as
// the server, in a process of its own whose peak RSS it reads.
func TestMain(m *testing.M) {
	if args := os.Getenv("BOUCLE_BENCH_SERVE"); args != "" {
		os.Exit(serveForBenchmark(strings.Fields(args)))
	}
	os.Exit(pgtest.Main(m))
}

// serveForBenchmark runs serve like main does and prints its address.
func serveForBenchmark(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	m.Stdout = io.Discard
	if err := m.ParseFlags(args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("ADDR %s\n", m.Addr())
	<-ctx.Done()
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// benchPushers and benchDescription make 8 concurrent pushes of about
// 60 MiB each: 5000 complaints whose description is 4000 three-byte
// characters (the longest description allowed).
const benchPushers = 8

var benchDescription = strings.Repeat("€", 4000)

// Eight workstations push a maximum-size batch (5000 events, ~60 MiB) at
// the same moment, against the real server in a process of its own. The
// figure is the server's peak RSS (VmHWM), idle first; the goal is at most
// 300 MB. Each run starts a new server, so use -benchtime 1x and -count 3:
//
//	go test ./cmd/boucle-server -run '^$' -bench ConcurrentMaxPushesMemory -benchtime 1x -count 3
func BenchmarkConcurrentMaxPushesMemory(b *testing.B) {
	dir := b.TempDir()
	codes := prepareBenchStore(b, dir)
	srv := startBenchServer(b, dir)
	devices := make([]*benchDevice, benchPushers)
	for i := range devices {
		devices[i] = srv.enrol(b, codes[i], i)
	}
	idle := srv.status(b, "VmRSS")
	batches := make([][]byte, benchPushers)
	for i, d := range devices {
		batches[i] = d.batch(b, syncproto.MaxBatchEvents)
	}
	peaks := srv.sample(b)
	b.ResetTimer()
	for range b.N {
		var wg sync.WaitGroup
		for i, d := range devices {
			wg.Go(func() { srv.push(b, d, batches[i]) })
		}
		wg.Wait()
		b.StopTimer()
		for i, d := range devices { // the next round's batches, off the clock
			batches[i] = d.batch(b, syncproto.MaxBatchEvents)
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(len(batches[0]))/(1<<20), "MiB/push")
	b.ReportMetric(float64(srv.busy.Load())/float64(b.N), "503-retries/op")
	b.ReportMetric(idle/1024, "idle-RSS-MB")
	b.ReportMetric(srv.status(b, "VmHWM")/1024, "peak-RSS-MB")
	anon, file := peaks()
	b.ReportMetric(anon/1024, "peak-anon-MB")
	b.ReportMetric(file/1024, "peak-file-MB")
}

// sample reads the server's anonymous and file-backed RSS every 50 ms
// until the returned function is called, which returns their peaks (the
// kernel's VmHWM does not tell them apart: file-backed pages are the
// store's mmap, page cache the kernel reclaims at will).
func (s *benchServer) sample(b *testing.B) (peaks func() (anon, file float64)) {
	done := make(chan struct{})
	var anon, file float64
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			anon, file = max(anon, s.status(b, "RssAnon")), max(file, s.status(b, "RssFile"))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() (float64, float64) {
		close(done)
		wg.Wait()
		return anon, file
	}
}

// prepareBenchStore creates the plant the benchmark pushes to: stations,
// an operator of PRESS2, and one enrolment code per workstation.
func prepareBenchStore(b *testing.B, dir string) []string {
	store, err := syncserver.OpenStore(dir, boltstore.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	admin := syncserver.NewAdmin(store, nil)
	ctx := context.Background()
	if _, err := admin.Bootstrap(); err != nil {
		b.Fatal(err)
	}
	for _, st := range []string{"CUT1", "PRESS2"} {
		if err := admin.AddStation(ctx, st, st); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := admin.AddUser(ctx, syncserver.NewUser{Login: "op1", DisplayName: "Olivia", Role: domain.RoleOperator, Station: "PRESS2", Password: benchPassword}); err != nil {
		b.Fatal(err)
	}
	codes := make([]string, benchPushers)
	for i := range codes {
		en, err := admin.EnrolDevice(ctx, "bench", 0)
		if err != nil {
			b.Fatal(err)
		}
		codes[i] = en.Code
	}
	return codes
}

const benchPassword = "correct horse battery staple"

type benchServer struct {
	cmd  *exec.Cmd
	base string
	busy atomic.Int64 // 503 answers retried
}

func startBenchServer(b *testing.B, dir string) *benchServer {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BOUCLE_BENCH_SERVE=serve --data "+dir+" --addr 127.0.0.1:0", "BOUCLE_LOG_LEVEL=warn",
		"GODEBUG="+os.Getenv("BENCH_SERVER_GODEBUG")) // e.g. gctrace=1: the server's live heap at each collection
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "ADDR ")
	if err != nil || !ok {
		b.Fatalf("the server did not start: %q %v", line, err)
	}
	return &benchServer{cmd: cmd, base: "http://" + addr + syncproto.Prefix}
}

// status reads a figure of /proc/PID/status, in KiB.
func (s *benchServer) status(b *testing.B, field string) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb
		}
	}
	b.Fatalf("no %s in /proc/PID/status", field)
	return 0
}

type benchDevice struct {
	id, key, replica, token string
	series                  string
	seq                     uint64
	author                  authorship.Key // op1's author key on this device, from the sign-in
}

// call sends a request and decodes its 200 answer; a 503 is retried
// after its Retry-After, as a workstation does, and counted in s.busy.
func (s *benchServer) call(b *testing.B, method, route string, body []byte, hd http.Header, out any) {
	var res *http.Response
	for {
		req, _ := http.NewRequest(method, s.base+route, bytes.NewReader(body))
		for k, v := range hd {
			req.Header[k] = v
		}
		var err error
		if res, err = http.DefaultClient.Do(req); err != nil {
			b.Error(err)
			return
		}
		if res.StatusCode != http.StatusServiceUnavailable {
			break
		}
		s.busy.Add(1)
		wait, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		res.Body.Close()
		time.Sleep(time.Duration(wait) * time.Second) // the server's own advice, as the workstation follows it
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		b.Errorf("%s %s: %d %.300s", method, route, res.StatusCode, raw)
		return
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			b.Error(err)
		}
	}
}

func (s *benchServer) enrol(b *testing.B, code string, i int) *benchDevice {
	d := &benchDevice{replica: fmt.Sprintf("ws-bench-%d", i), series: string(rune('A' + i))}
	body, _ := json.Marshal(syncproto.EnrolRequest{Code: code, Name: d.replica, Station: "PRESS2", Replica: d.replica})
	var en syncproto.EnrolResponse
	s.call(b, http.MethodPost, syncproto.RouteEnrol, body, nil, &en)
	d.id, d.key = en.DeviceID, en.DeviceKey
	body, _ = json.Marshal(syncproto.LoginRequest{Login: "op1", Password: benchPassword})
	var tokens syncproto.Tokens
	s.call(b, http.MethodPost, syncproto.RouteLogin, body, d.headers(), &tokens)
	d.token = tokens.AccessToken
	if ak := tokens.AuthorKey; ak != nil {
		d.author.Kid = ak.Kid
		copy(d.author.Secret[:], ak.Key)
	}
	if b.Failed() {
		b.FailNow()
	}
	return d
}

func (d *benchDevice) headers() http.Header {
	hd := http.Header{syncproto.HeaderDevice: {d.id}, syncproto.HeaderDeviceKey: {d.key}}
	if d.token != "" {
		hd.Set("Authorization", "Bearer "+d.token)
	}
	return hd
}

// batch is the device's next n complaints, filed by op1 at PRESS2.
func (d *benchDevice) batch(b *testing.B, n int) []byte {
	events := make([]domain.Event, n)
	now := time.Now()
	for i := range events {
		d.seq++
		p := &domain.ComplaintFiledPayload{Number: fmt.Sprintf("PRESS2-2026-%s%06d", d.series, d.seq), FilingStation: "PRESS2",
			SupplierStation: "CUT1", PartRef: "BRK-100", Lot: "L-7", Quantity: 5, Category: "dimensional",
			Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: benchDescription}
		e, err := domain.NewEvent(domain.ComplaintFiled, uuid.NewString(), p)
		if err != nil {
			b.Fatal(err)
		}
		e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), hlc.FromTime(now)+hlc.Timestamp(d.seq), d.replica, d.seq, "op1", domain.RoleOperator
		authorship.Sign(d.author, &e)
		events[i] = e
	}
	return syncproto.AppendBatch(nil, events)
}

func (s *benchServer) push(b *testing.B, d *benchDevice, batch []byte) {
	hd := d.headers()
	hd.Set("Content-Type", syncproto.ContentTypeBatch)
	var resp syncproto.PushResponse
	s.call(b, http.MethodPost, syncproto.RoutePush, batch, hd, &resp)
	for _, r := range resp.Results {
		if r.Result != syncproto.Accepted {
			b.Errorf("pushed event not accepted: %+v", r) // the figure is of accepted events, folded afterwards
			return
		}
	}
}
