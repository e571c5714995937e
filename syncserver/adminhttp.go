package syncserver

import (
	"net/http"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
)

// The admin API (docs/admin-api.md): the administration of the plant over
// the network, for the desktop app's Administration screen. Every handler
// calls the same Admin commands as the command line and the admin socket,
// in the name of the signed-in administrator (Admin.As), so that the
// directory's events say who changed it.

// adminRoutes adds the admin API to the signed-in user's routes.
func (s *Server) adminRoutes(user *gin.RouterGroup) {
	g := user.Group("", s.requireAdmin)
	one := func(collection, action string) string {
		p := collection + "/:id"
		if action != "" {
			p += "/" + action
		}
		return p
	}

	g.GET(syncproto.RouteAdminStations, s.adminList((*Admin).stationList))
	g.POST(syncproto.RouteAdminStations, s.admin1(addStation))
	g.PUT(one(syncproto.RouteAdminStations, ""), s.admin1(renameStation))
	g.POST(one(syncproto.RouteAdminStations, syncproto.AdminRetire), s.admin1(retireStation))

	g.GET(syncproto.RouteAdminUsers, s.adminList((*Admin).userList))
	g.POST(syncproto.RouteAdminUsers, s.admin1(addUser))
	g.PUT(one(syncproto.RouteAdminUsers, ""), s.admin1(updateUser))
	g.POST(one(syncproto.RouteAdminUsers, syncproto.AdminDisable), s.admin1(disableUser))
	g.POST(one(syncproto.RouteAdminUsers, syncproto.AdminEnable), s.admin1(enableUser))
	g.POST(one(syncproto.RouteAdminUsers, syncproto.AdminPassword), s.admin1(resetPassword))

	g.GET(syncproto.RouteAdminCategories, s.adminList((*Admin).categoryList))
	g.POST(syncproto.RouteAdminCategories, s.admin1(addCategory))
	g.PUT(one(syncproto.RouteAdminCategories, ""), s.admin1(relabelCategory))
	g.POST(one(syncproto.RouteAdminCategories, syncproto.AdminRetire), s.admin1(retireCategory))

	g.GET(syncproto.RouteAdminSeverities, s.adminList((*Admin).severityList))
	g.PUT(one(syncproto.RouteAdminSeverities, ""), s.admin1(configureSeverity))

	g.GET(syncproto.RouteAdminDevices, s.adminList((*Admin).deviceList))
	g.POST(syncproto.RouteAdminEnrolments, s.admin1(issueEnrolment))
	g.POST(one(syncproto.RouteAdminDevices, syncproto.AdminReplacement), s.admin1(issueReplacement))
	g.POST(one(syncproto.RouteAdminDevices, syncproto.AdminRevoke), s.admin1(revokeDevice))
}

// requireAdmin lets in the users who are administrators in the directory
// now (requireUser read it for this request, and refused the disabled).
// Refusals count against the client's address like wrong enrolment codes:
// past the limit, 429.
func (s *Server) requireAdmin(c *gin.Context) {
	if principalOf(c).Role == domain.RoleAdmin {
		c.Next()
		return
	}
	if err := spend(c.Request.Context(), s.limiter, "admin:"+c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	fail(c, errNotAdmin)
}

// adminCommand is one command of the admin API: it reads its request from
// c and answers what the command returned.
type adminCommand func(c *gin.Context, a *Admin) (any, error)

// admin1 runs a command in the signed-in administrator's name and logs
// its route and who ran it (never a body: it may hold a password).
func (s *Server) admin1(cmd adminCommand) gin.HandlerFunc {
	return func(c *gin.Context) {
		login := principalOf(c).Login
		out, err := cmd(c, s.admin.As(login))
		if err != nil {
			_ = c.Error(err)
			return
		}
		s.log.Info("admin command", "by", login, "method", c.Request.Method, "route", c.FullPath(), "id", c.Param("id"))
		c.JSON(http.StatusOK, out)
	}
}

// adminList answers a listing, [] rather than null when empty.
func (s *Server) adminList(list func(*Admin, *gin.Context) (any, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		out, err := list(s.admin, c)
		if err != nil {
			_ = c.Error(err)
			return
		}
		c.JSON(http.StatusOK, out)
	}
}

// bind decodes the request body.
func bind[T any](c *gin.Context) (T, error) {
	var v T
	return v, decodeJSON(c, &v)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (a *Admin) stationList(c *gin.Context) (any, error) {
	out, err := a.Stations(c)
	return orEmpty(out), err
}

func (a *Admin) userList(c *gin.Context) (any, error) {
	out, err := a.Users(c)
	return orEmpty(out), err
}

func (a *Admin) categoryList(c *gin.Context) (any, error) {
	out, err := a.Categories(c)
	return orEmpty(out), err
}

func (a *Admin) severityList(c *gin.Context) (any, error) {
	out, err := a.Severities(c)
	return orEmpty(out), err
}

func (a *Admin) deviceList(c *gin.Context) (any, error) {
	devices, err := a.Devices(c)
	out := make([]syncproto.AdminDevice, 0, len(devices))
	for i := range devices {
		out = append(out, deviceForAdmin(&devices[i]))
	}
	return out, err
}

// deviceForAdmin is what the admin API shows of a device.
func deviceForAdmin(d *Device) syncproto.AdminDevice {
	return syncproto.AdminDevice{ID: d.ID, Name: d.Name, Note: d.Note, IssuedBy: d.IssuedBy, Station: d.Station, Series: d.Series,
		Enrolled: d.Enrolled, LastSeen: d.LastSeen, Revoked: d.Revoked, RevokedAt: d.RevokedAt, RevokedBy: d.RevokedBy, Why: d.Why}
}

func addStation(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.NewStation](c)
	if err != nil {
		return nil, err
	}
	if err := a.AddStation(c, req.Code, req.Name); err != nil {
		return nil, err
	}
	return a.stationNow(c, req.Code)
}

func renameStation(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.StationName](c)
	if err != nil {
		return nil, err
	}
	return a.RenameStation(c, c.Param("id"), req.Name)
}

func retireStation(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.Reason](c)
	if err != nil {
		return nil, err
	}
	return a.RetireStation(c, c.Param("id"), req.Reason)
}

func addUser(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.NewUser](c)
	if err != nil {
		return nil, err
	}
	return a.AddUser(c, req)
}

func updateUser(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.UserUpdate](c)
	if err != nil {
		return nil, err
	}
	return a.UpdateUser(c, c.Param("id"), req)
}

// disableUser needs a reason over the network: the screen asks for one
// (the command line records a default).
func disableUser(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.Reason](c)
	if err != nil {
		return nil, err
	}
	if err := (&domain.ReasonPayload{Reason: req.Reason}).Validate(); err != nil {
		return nil, err
	}
	if err := a.DisableUser(c, c.Param("id"), req.Reason); err != nil {
		return nil, err
	}
	return a.User(c, c.Param("id"))
}

func enableUser(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.Note](c)
	if err != nil {
		return nil, err
	}
	return a.EnableUser(c, c.Param("id"), req.Note)
}

func resetPassword(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.PasswordReset](c)
	if err != nil {
		return nil, err
	}
	return a.ResetPassword(c, c.Param("id"), req.Password)
}

func addCategory(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.NewCategory](c)
	if err != nil {
		return nil, err
	}
	return a.AddCategory(c, req)
}

func relabelCategory(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.CategoryLabels](c)
	if err != nil {
		return nil, err
	}
	return a.RelabelCategory(c, c.Param("id"), req)
}

func retireCategory(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.Reason](c)
	if err != nil {
		return nil, err
	}
	return a.RetireCategory(c, c.Param("id"), req.Reason)
}

func configureSeverity(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.SeverityDeadlines](c)
	if err != nil {
		return nil, err
	}
	return a.ConfigureSeverity(c, domain.Severity(c.Param("id")), req)
}

func issueEnrolment(c *gin.Context, a *Admin) (any, error) {
	req, ttl, err := enrolmentRequest(c)
	if err != nil {
		return nil, err
	}
	return a.EnrolDevice(c, req.Note, ttl)
}

func issueReplacement(c *gin.Context, a *Admin) (any, error) {
	req, ttl, err := enrolmentRequest(c)
	if err != nil {
		return nil, err
	}
	return a.EnrolReplacement(c, c.Param("id"), req.Note, ttl)
}

// enrolmentRequest reads an EnrolmentRequest and its validity.
func enrolmentRequest(c *gin.Context) (syncproto.EnrolmentRequest, time.Duration, error) {
	req, err := bind[syncproto.EnrolmentRequest](c)
	if err != nil {
		return req, 0, err
	}
	if req.ValidHours < 0 || req.ValidHours > syncproto.MaxEnrolmentHours {
		return req, 0, domain.FieldError("valid_hours", "must be 0 (24 hours) to %d hours", syncproto.MaxEnrolmentHours)
	}
	return req, time.Duration(req.ValidHours) * time.Hour, nil
}

func revokeDevice(c *gin.Context, a *Admin) (any, error) {
	req, err := bind[syncproto.Reason](c)
	if err != nil {
		return nil, err
	}
	if err := a.RevokeDevice(c, c.Param("id"), req.Reason); err != nil {
		return nil, err
	}
	return a.deviceNow(c, c.Param("id"))
}
