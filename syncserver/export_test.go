package syncserver

import (
	"context"
	"time"

	"boucle/shared/analytics"
)

// Tests sign in hundreds of times: argon2id at its real cost would make
// them slow without testing anything more (TestPasswordHashing keeps the
// real parameters).
func init() { argonParams = argon2Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16} }

// RealArgonParams runs fn with the production parameters.
func RealArgonParams(fn func()) {
	saved := argonParams
	argonParams = defaultArgonParams
	defer func() { argonParams = saved }()
	fn()
}

// HashPassword and CheckPassword expose the hashing to the tests.
var (
	HashPassword  = hashPassword
	CheckPassword = checkPassword
)

// PrimeReports makes the report routes use a dataset built from in, as if
// it had been read from the store at its current log position: the
// benchmarks generate the states of 100k complaints rather than replay a
// million events.
func (s *Server) PrimeReports(in analytics.Input) error {
	v, _, err := s.reports.version()
	if err != nil {
		return err
	}
	s.reports.snap.Store(&snapshot{version: v, in: in, ds: analytics.NewDataset(in)})
	return nil
}

// ReportBuilds counts the datasets the reports built from the store.
func (s *Server) ReportBuilds() int64 { return s.reports.builds.Load() }

// BuildReports builds the reports' dataset from the store now.
func (s *Server) BuildReports() error {
	s.reports.mu.Lock()
	defer s.reports.mu.Unlock()
	_, err := s.reports.build(true)
	return err
}

// WarmReports runs one tick of Run's background rebuild at now.
func (s *Server) WarmReports(now time.Time) error { return s.reports.warm(now) }

// ReportsCached tells whether the server keeps a reports' dataset.
func (s *Server) ReportsCached() bool { return s.reports.snap.Load() != nil }

// DropReports forgets the reports' dataset: the next report reads every
// state from the store.
func (s *Server) DropReports() { s.reports.snap.Store(nil) }

// JWTKey exposes the HS256 key derived for kid, so that tests can sign
// tokens of their own.
func (k *Keyring) JWTKey(kid string) []byte { key, _ := k.jwtKey(kid); return key }

// HoldPushMemory takes n bytes of the push budget, as a push in flight
// would, until release.
func (s *Server) HoldPushMemory(n int64) (release func()) {
	granted, err := s.pushBudget.acquire(context.Background(), n)
	if err != nil {
		panic(err)
	}
	return func() { s.pushBudget.release(granted) }
}
