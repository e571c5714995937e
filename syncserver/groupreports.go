package syncserver

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"

	"github.com/gin-gonic/gin"
)

// The group's reports (group.go): each plant's report computed as the
// plant's own route computes it (reports.go), side by side.

// groupPlants: GET /group/plants.
func (s *Server) groupPlants(c *gin.Context) {
	plants, err := nonNil(s.cfg.Group.Plants(c.Request.Context()))
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"plants": plants})
}

// GroupReport is the answer of a group report: the filter and settings
// read, then one row per plant, by plant id.
type GroupReport[Row any] struct {
	Filter   analytics.Filter   `json:"filter"`
	Settings analytics.Settings `json:"settings"`
	Now      time.Time          `json:"now"`
	Plants   []Row              `json:"plants"`
}

// PlantIndicators are a plant's indicators, as its /reports/indicators.
type PlantIndicators struct {
	Plant      string           `json:"plant"`
	Indicators analytics.Report `json:"indicators"`
}

// PlantScorecards are a plant's scorecards, as its /reports/scorecards.
type PlantScorecards struct {
	Plant      string                `json:"plant"`
	Scorecards []analytics.Scorecard `json:"scorecards"`
}

// groupIndicators: GET /group/reports/indicators.
func (s *Server) groupIndicators(c *gin.Context) {
	groupReport(s, c, func(plant string, sn *snapshot, rq reportQuery) PlantIndicators {
		return PlantIndicators{Plant: plant, Indicators: sn.ds.Indicators(rq.Filter, rq.Settings, rq.Now)}
	})
}

// groupScorecards: GET /group/reports/scorecards.
func (s *Server) groupScorecards(c *gin.Context) {
	groupReport(s, c, func(plant string, sn *snapshot, rq reportQuery) PlantScorecards {
		cards, _ := nonNil(sn.ds.Scorecards(rq.Filter, rq.Settings, rq.Now), nil)
		return PlantScorecards{Plant: plant, Scorecards: cards}
	})
}

// groupReport reads the report parameters every plant's report reads
// (parseReportQuery) and plant, the plants to report (repeatable or
// comma-separated; all when absent), then computes row on each plant's
// dataset, caught up first as a plant's own report is.
func groupReport[Row any](s *Server, c *gin.Context, row func(plant string, sn *snapshot, rq reportQuery) Row) {
	q := &query{c: c}
	rq := s.parseReportQuery(q)
	wanted := q.list("plant")
	if q.err != nil {
		_ = c.Error(q.err)
		return
	}
	ctx := c.Request.Context()
	plants, err := s.groupReportPlants(ctx, wanted)
	if err != nil {
		_ = c.Error(err)
		return
	}
	out := GroupReport[Row]{Filter: rq.Filter, Settings: rq.Settings, Now: rq.Now, Plants: []Row{}}
	for _, id := range plants {
		sn, err := s.groupReports.snapshot(ctx, s, id)
		if err != nil {
			_ = c.Error(err)
			return
		}
		out.Plants = append(out.Plants, row(id, sn, rq))
	}
	c.JSON(http.StatusOK, out)
}

// groupReportPlants returns the plants asked for, every plant when none
// is; a plant the database does not hold is refused, naming it.
func (s *Server) groupReportPlants(ctx context.Context, wanted []string) ([]string, error) {
	plants, err := s.cfg.Group.Plants(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(plants))
	for i, p := range plants {
		ids[i] = p.ID
	}
	if len(wanted) == 0 {
		return ids, nil
	}
	for _, w := range wanted {
		if !slices.Contains(ids, w) {
			return nil, domain.FieldError("plant", "no plant %q in the group", w)
		}
	}
	slices.Sort(wanted)
	return slices.Compact(wanted), nil
}

// groupReportCaches keeps a report cache per plant of the group, opened at
// its first report: each keeps its dataset as the plant's own server does,
// and drops it when idle (Run).
type groupReportCaches struct {
	mu     sync.Mutex
	plants map[string]*reportCache
}

// snapshot catches plant's projections up and returns its dataset.
func (g *groupReportCaches) snapshot(ctx context.Context, s *Server, plant string) (*snapshot, error) {
	rc, err := g.cache(ctx, s, plant)
	if err != nil {
		return nil, err
	}
	if err := rc.views.CatchUp(ctx); err != nil {
		return nil, err
	}
	return rc.get(true)
}

func (g *groupReportCaches) cache(ctx context.Context, s *Server, plant string) (*reportCache, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if rc, ok := g.plants[plant]; ok {
		return rc, nil
	}
	views, err := s.cfg.Group.PlantViews(ctx, plant)
	if err != nil {
		return nil, err
	}
	if g.plants == nil {
		g.plants = map[string]*reportCache{}
	}
	rc := newReportCache(views, s.log.With("plant", plant))
	g.plants[plant] = rc
	return rc, nil
}

// dropIdle drops the datasets no group report read for reportIdle (Run's
// tick, its one caller).
func (g *groupReportCaches) dropIdle(now time.Time) {
	g.mu.Lock()
	caches := make([]*reportCache, 0, len(g.plants))
	for _, rc := range g.plants {
		caches = append(caches, rc)
	}
	g.mu.Unlock()
	for _, rc := range caches {
		rc.dropIdle(now)
	}
}
