package syncserver

import (
	"context"
	"net/http"
	"strings"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver/credential"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
)

// A group of plants in one database (PostgreSQL). The group's quality
// staff sign in with a group account, kept apart from every plant's, and
// read each plant's indicators and scorecards side by side under
// /api/v1/group: the same reports as each plant's own /reports routes,
// computed the same way (reports.go) on each plant's dataset. A group
// session opens no plant's records and writes nothing; a plant's session
// does not reach the group's routes. On a bbolt store, which holds one
// plant, the group's routes answer not_found (rule group.single_plant).

// GroupStore is the group's side of a store holding several plants.
type GroupStore interface {
	// GroupID is the group's id, the group claim of its access tokens.
	GroupID() string
	ViewGroup(ctx context.Context, fn func(GroupTx) error) error
	// UpdateGroup commits what fn writes when it returns nil, nothing
	// otherwise; the group's writes run one after the other.
	UpdateGroup(ctx context.Context, fn func(GroupTx) error) error
	// Plants lists the plants of the database, by id.
	Plants(ctx context.Context) ([]credential.Plant, error)
	// PlantViews opens the views of plant id: its projections, which the
	// group's reports read as the plant's own do.
	PlantViews(ctx context.Context, id string) (ViewStore, error)
}

// GroupTx is one transaction of the group's records: its accounts, and
// its sign-ins (refresh tokens and families), never a plant's.
type GroupTx interface {
	// GroupAccount returns login's account, nil when none.
	GroupAccount(login string) (*credential.GroupAccount, error)
	PutGroupAccount(a *credential.GroupAccount) error
	// GroupAccounts lists the accounts, by login.
	GroupAccounts() ([]credential.GroupAccount, error)
	RefreshTokens
}

// GroupTransactions is what an adapter offers of a group, over its own
// transaction type (pgstore.Group).
type GroupTransactions[G GroupTx] interface {
	ID() string
	ViewGroup(ctx context.Context, fn func(G) error) error
	UpdateGroup(ctx context.Context, fn func(G) error) error
	Plants(ctx context.Context) ([]credential.Plant, error)
}

// GroupOn returns the GroupStore of an adapter's group; views opens a
// plant's views (StoreOn of the adapter's plant).
func GroupOn[G GroupTx](db GroupTransactions[G], views func(ctx context.Context, plant string) (ViewStore, error)) GroupStore {
	return groupOn[G]{db: db, views: views}
}

type groupOn[G GroupTx] struct {
	db    GroupTransactions[G]
	views func(ctx context.Context, plant string) (ViewStore, error)
}

func (g groupOn[G]) GroupID() string { return g.db.ID() }

func (g groupOn[G]) ViewGroup(ctx context.Context, fn func(GroupTx) error) error {
	return g.db.ViewGroup(ctx, func(t G) error { return fn(t) })
}

func (g groupOn[G]) UpdateGroup(ctx context.Context, fn func(GroupTx) error) error {
	return g.db.UpdateGroup(ctx, func(t G) error { return fn(t) })
}

func (g groupOn[G]) Plants(ctx context.Context) ([]credential.Plant, error) { return g.db.Plants(ctx) }

func (g groupOn[G]) PlantViews(ctx context.Context, id string) (ViewStore, error) {
	return g.views(ctx, id)
}

// errSinglePlant answers the group's routes on a store of one plant.
var errSinglePlant = domain.RuleError(domain.ENotFound, "group.single_plant",
	"this server's store holds one plant (bbolt): a group's routes need its plants in one PostgreSQL database (docs/postgresql.md, \"A group of plants\")")

// groupRoutes are the group's routes, under /group.
func (s *Server) groupRoutes(api *gin.RouterGroup) {
	g := api.Group("/group", s.requireGroupStore)
	g.POST(syncproto.RouteLogin, s.groupLogin)
	g.POST(syncproto.RouteRefresh, s.groupRefresh)
	g.POST(syncproto.RouteLogout, s.groupLogout)
	session := g.Group("", s.requireGroupSession)
	session.GET("/plants", s.groupPlants)
	session.GET("/reports/indicators", s.groupIndicators)
	session.GET("/reports/scorecards", s.groupScorecards)
}

// requireGroupStore answers not_found on a store without a group, before
// anything else: a bbolt store has one plant.
func (s *Server) requireGroupStore(c *gin.Context) {
	if s.cfg.Group == nil {
		fail(c, errSinglePlant)
		return
	}
	c.Next()
}

// GroupTokens are the answer of a group sign-in or refresh.
type GroupTokens struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	ExpiresIn    int       `json:"expires_in"`
	Account      GroupUser `json:"account"`
}

// GroupUser is a group account as its owner and the command line see it:
// no secret.
type GroupUser struct {
	Login       string    `json:"login"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role"`
	Disabled    bool      `json:"disabled,omitempty"`
	Created     time.Time `json:"created"`
	Changed     time.Time `json:"password_changed"`
}

func groupUserOf(a *credential.GroupAccount) GroupUser {
	return GroupUser{Login: a.Login, DisplayName: a.DisplayName, Role: a.Role, Disabled: a.Disabled, Created: a.Created, Changed: a.Changed}
}

// groupLogin signs a group account in, throttled as a plant's sign-in is
// but from the group's limits, shared by the group's plants (the login
// counted apart from the plant's logins: "group/" before it).
func (s *Server) groupLogin(c *gin.Context) {
	var req syncproto.LoginRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	req.Login = strings.ToLower(strings.TrimSpace(req.Login))
	ctx := c.Request.Context()
	attempt, err := s.takeGroupLoginAttempt(ctx, req.Login, c.ClientIP())
	if err != nil {
		if codeOf(err) == domain.ERateLimited {
			s.metrics.loginFailures.WithLabelValues("rate_limited").Inc()
		}
		_ = c.Error(err)
		return
	}
	acc, rehash, err := s.authenticateGroup(ctx, req.Login, req.Password)
	if err != nil {
		if domain.ErrorCode(err) == domain.EUnauthorized {
			s.metrics.loginFailures.WithLabelValues("credentials").Inc()
			s.log.Info("group login refused", "login", req.Login, "addr", c.ClientIP())
		}
		_ = c.Error(err)
		return
	}
	attempt.refund(ctx)
	var tokens GroupTokens
	err = s.cfg.Group.UpdateGroup(ctx, func(t GroupTx) error {
		if rehash != "" { // hashed with older parameters: upgraded now that the password is known
			acc.Hash, acc.Changed = rehash, s.now().UTC()
			if err := t.PutGroupAccount(acc); err != nil {
				return err
			}
		}
		fam := &refreshFamily{Login: acc.Login}
		refresh, err := s.newRefreshToken(t, fam)
		if err != nil {
			return err
		}
		tokens, err = s.groupTokens(acc, fam, refresh)
		return err
	})
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, tokens)
}

// authenticateGroup checks a group login and password as authenticate
// checks a plant's: the same 401 for every failure, a hash's cost for an
// unknown login.
func (s *Server) authenticateGroup(ctx context.Context, login, password string) (acc *credential.GroupAccount, rehash string, err error) {
	err = s.cfg.Group.ViewGroup(ctx, func(t GroupTx) (err error) {
		acc, err = t.GroupAccount(login)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	var hash string
	if acc != nil {
		hash = acc.Hash
	}
	ok, rehash := checkSecret(hash, password)
	if !ok || acc.Disabled {
		return nil, "", errUnauthorized("wrong login or password, or account disabled")
	}
	return acc, rehash, nil
}

// groupTokens signs a group access token for acc's sign-in fam.
func (s *Server) groupTokens(acc *credential.GroupAccount, fam *refreshFamily, refresh string) (GroupTokens, error) {
	access, err := s.signAccess(Claims{Role: domain.Role(acc.Role), Group: s.cfg.Group.GroupID(), Session: fam.ID,
		RegisteredClaims: jwt.RegisteredClaims{Subject: acc.Login}})
	return GroupTokens{AccessToken: access, RefreshToken: refresh, ExpiresIn: int(s.cfg.AccessTTL.Seconds()), Account: groupUserOf(acc)}, err
}

// groupRefresh rotates a group refresh token as refresh does a plant's: a
// token used twice revokes its sign-in.
func (s *Server) groupRefresh(c *gin.Context) {
	var req syncproto.RefreshRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	var tokens GroupTokens
	var reused bool
	err := s.cfg.Group.UpdateGroup(c.Request.Context(), func(t GroupTx) error {
		fam, next, err := s.rotateRefresh(t, req.RefreshToken)
		if reused = isReuse(err); reused {
			s.log.Warn("group refresh token reused: family revoked", "login", fam.Login, "family", fam.ID, "addr", c.ClientIP())
			return nil // commit the revocation
		}
		if err != nil {
			return err
		}
		acc, err := activeGroupAccount(t, fam.Login)
		if err != nil {
			return err
		}
		tokens, err = s.groupTokens(acc, fam, next)
		return err
	})
	answerRefresh(c, err, reused, tokens)
}

// groupLogout revokes a group sign-in, as logout does a plant's.
func (s *Server) groupLogout(c *gin.Context) {
	var req syncproto.RefreshRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	err := s.cfg.Group.UpdateGroup(c.Request.Context(), func(t GroupTx) error { return s.signOut(t, req.RefreshToken) })
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.Status(http.StatusNoContent)
}

// activeGroupAccount returns login's account, 401 when it is gone or
// disabled.
func activeGroupAccount(t GroupTx, login string) (*credential.GroupAccount, error) {
	acc, err := t.GroupAccount(login)
	switch {
	case err != nil:
		return nil, err
	case acc == nil || acc.Disabled:
		return nil, errUnauthorized("account disabled")
	}
	return acc, nil
}

// requireGroupSession authenticates a group's access token: the group's
// own (its claim), its sign-in not revoked, its account active. A plant's
// session is refused 403: the group's figures are not a plant's to read.
func (s *Server) requireGroupSession(c *gin.Context) {
	token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok || token == "" {
		fail(c, errUnauthorized("missing bearer access token"))
		return
	}
	claims, err := s.parseAccess(token)
	if err == nil {
		err = s.groupSession(claims)
	}
	if err == nil {
		err = s.cfg.Group.ViewGroup(c.Request.Context(), func(t GroupTx) error {
			if err := checkSession(t, claims.Session); err != nil {
				return err
			}
			_, err := activeGroupAccount(t, claims.Subject)
			return err
		})
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Next()
}

// groupSession refuses a token that is not a session of this group.
func (s *Server) groupSession(c *Claims) error {
	switch {
	case c.Group == "" && c.Plant == s.cfg.Plant:
		return &domain.Error{Code: domain.EForbidden, Rule: "group.plant_session",
			Message: "a plant's session does not reach the group's routes: sign in with a group account (POST /api/v1/group/auth/login)"}
	case c.Group != s.cfg.Group.GroupID():
		return errUnauthorized("access token not issued by this group's server")
	}
	return nil
}
