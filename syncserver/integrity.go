package syncserver

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// The store's integrity as the server reports it: a damaged file is
// refused at start with what to run, a damaged event is quarantined,
// logged and counted, and /healthz reads the store.

// restoreHint is added to a start refused because the store is damaged.
func restoreHint(dir string, err error) error {
	return fmt.Errorf("%w\nThe store in %s is damaged: do not serve it.\n"+
		"  See everything that is wrong (server stopped): boucle-server check --data %s\n"+
		"  Restore the last backup (written by 'boucle-server backup'): move %s aside, copy the backup file to that name,\n"+
		"  then start 'boucle-server serve --data %s' again: a new epoch begins and the workstations push back what they hold",
		err, dir, dir, filepath.Join(dir, StoreFile), dir)
}

// reportQuarantine logs each damaged event the store quarantines from now
// on, and those it already holds (found by the check at start, or before
// the restart), so that an operator sees them without asking.
func reportQuarantine(store Integrity, log *slog.Logger) {
	logOne := func(q boltstore.Quarantined) {
		log.Error("event quarantined: its stored bytes fail their check, pulls and folds skip it; see 'boucle-server quarantine list', restore a backup to repair",
			"pos", q.Pos, "event", q.Event, "reason", q.Reason)
	}
	store.OnQuarantine(logOne)
	held, _ := store.Quarantined(context.Background()) // at start
	for _, q := range held {
		logOne(q)
	}
}

// quarantineGauge reads the store's count at each scrape.
func quarantineGauge(store Integrity) prometheus.GaugeFunc {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "boucle_store_quarantined_events",
		Help: "Logged events whose stored bytes failed their checksum: skipped by pulls and folds."},
		func() float64 { return float64(store.QuarantinedCount()) })
}

// healthz answers 200 when the store reads (its meta bucket and the log's
// last page), 503 with code store_corrupt when it does not.
func (s *Server) healthz(c *gin.Context) {
	if err := s.integrity.Health(c.Request.Context()); domain.ErrorCode(err) == boltstore.ECorrupt {
		s.log.Error("health check: the store does not read", "err", err)
		_ = c.Error(domain.Errorf(boltstore.ECorrupt, "the store does not read: see the server's log"))
		return
	} else if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "quarantined": s.integrity.QuarantinedCount()})
}

// Quarantined lists the quarantined events.
func (a *Admin) Quarantined(ctx context.Context) ([]boltstore.Quarantined, error) {
	return a.integrity.Quarantined(ctx)
}
