package syncserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// The admin socket lets the command line administer a running server: the
// server holds bbolt's exclusive lock on the store, so `boucle-server user
// add` (or `backup`, for a hot copy) cannot open the file itself and sends
// the command to the server instead. The socket is a Unix socket in the
// data directory, readable by the server's user only: whoever can reach it
// could read the store file anyway.

// AdminSocket is the socket's name in the data directory.
const AdminSocket = "admin.sock"

// Each admin command travels as JSON to POST /admin/<name>.
type (
	loginArgs   struct{ Login, Reason, Password string }
	stationArgs struct{ Code, Name string }
	enrolArgs   struct {
		Note    string
		TTL     time.Duration
		Replace string // a device id: the code may take over its replica
	}
	deviceArgs struct{ ID, Reason string }
	userArgs   struct {
		Login  string
		Update UserUpdate
	}
	codeArgs  struct{ Code, Name, Reason string }
	labelArgs struct {
		Code   string
		Labels CategoryLabels
	}
	severityArgs struct {
		Severity  domain.Severity
		Deadlines SeverityDeadlines
	}
	backupArgs struct{ Dest string }
	nothing    struct{}
)

// AdminHandler serves the admin commands of a over HTTP, for the socket,
// logging each command's name (never its arguments: they may hold a
// password).
func AdminHandler(a AdminAPI, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	rpc(mux, "add_user", a.AddUser)
	rpc(mux, "disable_user", func(ctx context.Context, r loginArgs) (nothing, error) {
		return nothing{}, a.DisableUser(ctx, r.Login, r.Reason)
	})
	rpc(mux, "reset_password", func(ctx context.Context, r loginArgs) (Credentials, error) {
		return a.ResetPassword(ctx, r.Login, r.Password)
	})
	rpc(mux, "users", func(ctx context.Context, _ nothing) ([]UserInfo, error) { return a.Users(ctx) })
	rpc(mux, "add_station", func(ctx context.Context, r stationArgs) (nothing, error) {
		return nothing{}, a.AddStation(ctx, r.Code, r.Name)
	})
	rpc(mux, "stations", func(ctx context.Context, _ nothing) ([]domain.Station, error) { return a.Stations(ctx) })
	rpc(mux, "enrol_device", func(ctx context.Context, r enrolArgs) (Enrolment, error) {
		if r.Replace != "" {
			return a.EnrolReplacement(ctx, r.Replace, r.Note, r.TTL)
		}
		return a.EnrolDevice(ctx, r.Note, r.TTL)
	})
	rpc(mux, "devices", func(ctx context.Context, _ nothing) ([]Device, error) { return a.Devices(ctx) })
	rpc(mux, "revoke_device", func(ctx context.Context, r deviceArgs) (nothing, error) {
		return nothing{}, a.RevokeDevice(ctx, r.ID, r.Reason)
	})
	referenceRPCs(mux, a)
	rpc(mux, "backup", func(ctx context.Context, r backupArgs) (BackupInfo, error) { return a.Backup(ctx, r.Dest) })
	rpc(mux, "quarantined", func(ctx context.Context, _ nothing) ([]boltstore.Quarantined, error) { return a.Quarantined(ctx) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Info("admin command", "command", strings.TrimPrefix(r.URL.Path, "/admin/"))
		mux.ServeHTTP(w, r)
	})
}

// referenceRPCs serves the commands of ReferenceAPI.
func referenceRPCs(mux *http.ServeMux, a ReferenceAPI) {
	rpc(mux, "update_user", func(ctx context.Context, r userArgs) (UserInfo, error) { return a.UpdateUser(ctx, r.Login, r.Update) })
	rpc(mux, "enable_user", func(ctx context.Context, r loginArgs) (UserInfo, error) { return a.EnableUser(ctx, r.Login, r.Reason) })
	rpc(mux, "rename_station", func(ctx context.Context, r codeArgs) (domain.Station, error) {
		return a.RenameStation(ctx, r.Code, r.Name)
	})
	rpc(mux, "retire_station", func(ctx context.Context, r codeArgs) (domain.Station, error) {
		return a.RetireStation(ctx, r.Code, r.Reason)
	})
	rpc(mux, "categories", func(ctx context.Context, _ nothing) ([]domain.Category, error) { return a.Categories(ctx) })
	rpc(mux, "add_category", a.AddCategory)
	rpc(mux, "relabel_category", func(ctx context.Context, r labelArgs) (domain.Category, error) {
		return a.RelabelCategory(ctx, r.Code, r.Labels)
	})
	rpc(mux, "retire_category", func(ctx context.Context, r codeArgs) (domain.Category, error) {
		return a.RetireCategory(ctx, r.Code, r.Reason)
	})
	rpc(mux, "severities", func(ctx context.Context, _ nothing) ([]domain.SeverityConfig, error) { return a.Severities(ctx) })
	rpc(mux, "configure_severity", func(ctx context.Context, r severityArgs) (domain.SeverityConfig, error) {
		return a.ConfigureSeverity(ctx, r.Severity, r.Deadlines)
	})
}

func rpc[Req, Resp any](mux *http.ServeMux, name string, fn func(context.Context, Req) (Resp, error)) {
	mux.HandleFunc("POST /admin/"+name, func(w http.ResponseWriter, r *http.Request) {
		var req Req
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			de := requestJSONError(err)
			writeJSON(w, http.StatusBadRequest, syncproto.ErrorBody{Code: de.Code, Field: de.Field, Message: de.Message})
			return
		}
		resp, err := fn(r.Context(), req)
		if err != nil {
			de := domain.AsError(err)
			writeJSON(w, HTTPStatus(err), syncproto.ErrorBody{Code: de.Code, Field: de.Field, Rule: de.Rule, Message: de.Message})
			return
		}
		writeJSON(w, http.StatusOK, resp)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ServeAdmin listens on the admin socket of dataDir until ctx ends or
// stop is called. A socket left by a server that died is replaced: the
// caller holds the store's lock, so no other server owns it. stop returns
// once the socket is closed and removed, so a command run right after a
// server stopped opens the store itself instead of dialling a socket that
// is going away.
func ServeAdmin(ctx context.Context, dataDir string, a AdminAPI, log *slog.Logger) (stop func(), err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	path := filepath.Join(dataDir, AdminSocket)
	_ = os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	srv := &http.Server{Handler: AdminHandler(a, log), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin socket stopped", "err", err)
		}
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			// Commands in flight (a hot backup) finish first, within a bound.
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			if srv.Shutdown(ctx) != nil {
				_ = srv.Close()
			}
			<-served
			_ = os.Remove(path)
		})
	}
	go func() {
		select {
		case <-ctx.Done():
			stop()
		case <-served:
		}
	}()
	return stop, nil
}

// AdminClient sends admin commands to a running server's socket.
type AdminClient struct{ http *http.Client }

var _ AdminAPI = (*AdminClient)(nil)

// DialAdmin connects to the admin socket of dataDir; an error means no
// server is running there.
func DialAdmin(dataDir string) (*AdminClient, error) {
	path := filepath.Join(dataDir, AdminSocket)
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return nil, err
	}
	conn.Close()
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}
	return &AdminClient{http: &http.Client{Transport: &http.Transport{DialContext: dial}, Timeout: 10 * time.Minute}}, nil
}

func call[Resp any](ctx context.Context, c *AdminClient, name string, req any) (Resp, error) {
	var resp Resp
	body, err := json.Marshal(req)
	if err != nil {
		return resp, err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://admin/admin/"+name, bytes.NewReader(body))
	if err != nil {
		return resp, err
	}
	res, err := c.http.Do(r)
	if err != nil {
		return resp, fmt.Errorf("admin socket: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		var eb syncproto.ErrorBody
		if err := json.NewDecoder(res.Body).Decode(&eb); err != nil {
			return resp, fmt.Errorf("admin socket: status %d", res.StatusCode)
		}
		return resp, &domain.Error{Code: eb.Code, Field: eb.Field, Rule: eb.Rule, Message: eb.Message}
	}
	return resp, json.NewDecoder(res.Body).Decode(&resp)
}

func (c *AdminClient) AddUser(ctx context.Context, u NewUser) (Credentials, error) {
	return call[Credentials](ctx, c, "add_user", u)
}

func (c *AdminClient) DisableUser(ctx context.Context, login, reason string) error {
	_, err := call[nothing](ctx, c, "disable_user", loginArgs{Login: login, Reason: reason})
	return err
}

func (c *AdminClient) ResetPassword(ctx context.Context, login, password string) (Credentials, error) {
	return call[Credentials](ctx, c, "reset_password", loginArgs{Login: login, Password: password})
}

func (c *AdminClient) Users(ctx context.Context) ([]UserInfo, error) {
	return call[[]UserInfo](ctx, c, "users", nothing{})
}

func (c *AdminClient) AddStation(ctx context.Context, code, name string) error {
	_, err := call[nothing](ctx, c, "add_station", stationArgs{Code: code, Name: name})
	return err
}

func (c *AdminClient) Stations(ctx context.Context) ([]domain.Station, error) {
	return call[[]domain.Station](ctx, c, "stations", nothing{})
}

func (c *AdminClient) EnrolDevice(ctx context.Context, note string, ttl time.Duration) (Enrolment, error) {
	return call[Enrolment](ctx, c, "enrol_device", enrolArgs{Note: note, TTL: ttl})
}

func (c *AdminClient) EnrolReplacement(ctx context.Context, deviceID, note string, ttl time.Duration) (Enrolment, error) {
	return call[Enrolment](ctx, c, "enrol_device", enrolArgs{Note: note, TTL: ttl, Replace: deviceID})
}

func (c *AdminClient) Devices(ctx context.Context) ([]Device, error) {
	return call[[]Device](ctx, c, "devices", nothing{})
}

func (c *AdminClient) RevokeDevice(ctx context.Context, id, reason string) error {
	_, err := call[nothing](ctx, c, "revoke_device", deviceArgs{ID: id, Reason: reason})
	return err
}

func (c *AdminClient) UpdateUser(ctx context.Context, login string, u UserUpdate) (UserInfo, error) {
	return call[UserInfo](ctx, c, "update_user", userArgs{Login: login, Update: u})
}

func (c *AdminClient) EnableUser(ctx context.Context, login, note string) (UserInfo, error) {
	return call[UserInfo](ctx, c, "enable_user", loginArgs{Login: login, Reason: note})
}

func (c *AdminClient) RenameStation(ctx context.Context, code, name string) (domain.Station, error) {
	return call[domain.Station](ctx, c, "rename_station", codeArgs{Code: code, Name: name})
}

func (c *AdminClient) RetireStation(ctx context.Context, code, reason string) (domain.Station, error) {
	return call[domain.Station](ctx, c, "retire_station", codeArgs{Code: code, Reason: reason})
}

func (c *AdminClient) Categories(ctx context.Context) ([]domain.Category, error) {
	return call[[]domain.Category](ctx, c, "categories", nothing{})
}

func (c *AdminClient) AddCategory(ctx context.Context, cat NewCategory) (domain.Category, error) {
	return call[domain.Category](ctx, c, "add_category", cat)
}

func (c *AdminClient) RelabelCategory(ctx context.Context, code string, l CategoryLabels) (domain.Category, error) {
	return call[domain.Category](ctx, c, "relabel_category", labelArgs{Code: code, Labels: l})
}

func (c *AdminClient) RetireCategory(ctx context.Context, code, reason string) (domain.Category, error) {
	return call[domain.Category](ctx, c, "retire_category", codeArgs{Code: code, Reason: reason})
}

func (c *AdminClient) Severities(ctx context.Context) ([]domain.SeverityConfig, error) {
	return call[[]domain.SeverityConfig](ctx, c, "severities", nothing{})
}

func (c *AdminClient) ConfigureSeverity(ctx context.Context, s domain.Severity, d SeverityDeadlines) (domain.SeverityConfig, error) {
	return call[domain.SeverityConfig](ctx, c, "configure_severity", severityArgs{Severity: s, Deadlines: d})
}

func (c *AdminClient) Backup(ctx context.Context, dest string) (BackupInfo, error) {
	return call[BackupInfo](ctx, c, "backup", backupArgs{Dest: dest})
}

func (c *AdminClient) Quarantined(ctx context.Context) ([]boltstore.Quarantined, error) {
	return call[[]boltstore.Quarantined](ctx, c, "quarantined", nothing{})
}

// DialAdminOK reports whether a server answers on the admin socket of
// dataDir.
func DialAdminOK(dataDir string) bool {
	_, err := DialAdmin(dataDir)
	return err == nil
}
