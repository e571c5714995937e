package syncclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/shared/syncproto"
)

// ClientOptions configure NewClient.
type ClientOptions struct {
	// HTTPClient replaces the default client (and the options below).
	HTTPClient *http.Client
	// TLS configures HTTPS, e.g. with the plant's own certificate authority.
	TLS *tls.Config
	// DialTimeout bounds connecting, so that an unplugged cable is noticed
	// quickly; 5 s when zero.
	DialTimeout time.Duration
	// RequestTimeout bounds one request without a deadline of its own;
	// 2 min when zero (a 10 MB evidence file on a slow shop-floor link).
	RequestTimeout time.Duration
	// OnResponse is called after every answer, whatever its status, with
	// the server time of its X-Boucle-Server-Time header (0 if none).
	OnResponse func(status int, serverTime hlc.Timestamp)
}

// Client speaks the sync protocol to one server. It is safe for
// concurrent use.
type Client struct {
	base    string // scheme://host[:port] + syncproto.Prefix
	http    *http.Client
	timeout time.Duration
	onResp  func(int, hlc.Timestamp)

	mu        sync.RWMutex
	deviceID  string
	deviceKey string
	access    string
}

// NewClient returns a client for the server at baseURL (http or https).
func NewClient(baseURL string, opts ClientOptions) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, domain.FieldError("server", "must be an http:// or https:// address")
	}
	c := &Client{base: u.String() + syncproto.Prefix, http: opts.HTTPClient, timeout: opts.RequestTimeout, onResp: opts.OnResponse}
	if c.timeout == 0 {
		c.timeout = 2 * time.Minute
	}
	if c.http == nil {
		c.http = &http.Client{Transport: transport(opts)}
	}
	return c, nil
}

func transport(opts ClientOptions) *http.Transport {
	dial := opts.DialTimeout
	if dial == 0 {
		dial = 5 * time.Second
	}
	return &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: dial, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     opts.TLS,
		TLSHandshakeTimeout: dial,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     90 * time.Second,
		// A server that accepted the connection but never answers is as
		// good as offline.
		ResponseHeaderTimeout: time.Minute,
	}
}

// SetDevice sets the enrolled device's credential, sent with every request.
func (c *Client) SetDevice(id, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deviceID, c.deviceKey = id, key
}

// SetAccessToken sets the bearer token of the signed-in session ("" for none).
func (c *Client) SetAccessToken(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.access = tok
}

// AccessToken is the bearer token in use.
func (c *Client) AccessToken() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.access
}

// Enrol turns a one-time enrolment code into a device credential.
func (c *Client) Enrol(ctx context.Context, req syncproto.EnrolRequest) (syncproto.EnrolResponse, error) {
	var out syncproto.EnrolResponse
	return out, c.doJSON(ctx, http.MethodPost, syncproto.RouteEnrol, req, &out)
}

// Login signs a user in; the server answers EUnauthorized for a wrong
// login or password and ERateLimited after too many attempts.
func (c *Client) Login(ctx context.Context, login, password string) (syncproto.Tokens, error) {
	var out syncproto.Tokens
	return out, c.doJSON(ctx, http.MethodPost, syncproto.RouteLogin, syncproto.LoginRequest{Login: login, Password: password}, &out)
}

// Refresh exchanges a refresh token for new tokens; the old one is spent.
// If the answer is lost, present the same token again soon: the server
// honours it once more within its grace period (30 s by default).
func (c *Client) Refresh(ctx context.Context, refresh string) (syncproto.Tokens, error) {
	var out syncproto.Tokens
	return out, c.doJSON(ctx, http.MethodPost, syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: refresh}, &out)
}

// Logout revokes a refresh token.
func (c *Client) Logout(ctx context.Context, refresh string) error {
	return c.doJSON(ctx, http.MethodPost, syncproto.RouteLogout, syncproto.RefreshRequest{RefreshToken: refresh}, nil)
}

// State returns what the server holds: its epoch, log length and the
// high-water mark of every replica.
func (c *Client) State(ctx context.Context) (syncproto.ServerState, error) {
	var out syncproto.ServerState
	return out, c.doJSON(ctx, http.MethodGet, syncproto.RouteState, nil, &out)
}

// Push sends events, in replica-sequence order, and returns one result per
// event. A sequence gap is returned as a *GapError.
func (c *Client) Push(ctx context.Context, events []domain.Event) (syncproto.PushResponse, error) {
	var out syncproto.PushResponse
	body := syncproto.AppendBatch(make([]byte, 0, 512*len(events)), events)
	resp, err := c.do(ctx, http.MethodPost, syncproto.RoutePush, nil, bytes.NewReader(body), syncproto.ContentTypeBatch)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err == nil {
		out, err = syncproto.DecodePushResponse(raw)
	}
	if err != nil {
		return out, &OfflineError{Err: fmt.Errorf("push answer cut short: %w", err)}
	}
	return out, nil
}

// Page is one page of the server's log.
type Page struct {
	Events     []domain.Event
	Next       string // cursor after this page, "epoch:seq"
	More       bool   // another page follows
	Epoch      string // the server store's epoch
	ServerTime hlc.Timestamp
	Series     string // this device's complaint number series, "" from a server without series
}

// Pull returns the events after cursor ("" for the start), at most limit.
func (c *Client) Pull(ctx context.Context, cursor string, limit int) (Page, error) {
	q := url.Values{"cursor": {cursor}, "limit": {strconv.Itoa(limit)}}
	resp, err := c.do(ctx, http.MethodGet, syncproto.RoutePull, q, nil, "")
	if err != nil {
		return Page{}, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp, syncproto.MaxBatchBytes)
	if err != nil {
		return Page{}, err
	}
	events, err := syncproto.DecodeBatch(body)
	if err != nil {
		return Page{}, err
	}
	p := Page{Events: events, Next: resp.Header.Get(syncproto.HeaderCursor), More: resp.Header.Get(syncproto.HeaderMore) == "true",
		Epoch: resp.Header.Get(syncproto.HeaderEpoch), ServerTime: serverTime(resp.Header), Series: resp.Header.Get(syncproto.HeaderSeries)}
	if _, err := syncproto.ParseCursor(p.Next); err != nil || p.Epoch == "" {
		return Page{}, domain.Errorf(domain.EMalformed, "pull answer without a valid cursor or epoch")
	}
	return p, nil
}

// PutBlob uploads evidence bytes under their SHA-256.
func (c *Client) PutBlob(ctx context.Context, sha string, data []byte) error {
	resp, err := c.do(ctx, http.MethodPut, syncproto.RouteBlob+sha, nil, bytes.NewReader(data), "application/octet-stream")
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return resp.Body.Close()
}

// HasBlob asks whether the server holds evidence bytes, without
// downloading them (HEAD).
func (c *Client) HasBlob(ctx context.Context, sha string) (bool, error) {
	resp, err := c.do(ctx, http.MethodHead, syncproto.RouteBlob+sha, nil, nil, "")
	var api *APIError
	if errors.As(err, &api) && api.Status == http.StatusNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, resp.Body.Close()
}

// GetBlob downloads evidence bytes; the caller checks them against sha.
func (c *Client) GetBlob(ctx context.Context, sha string) ([]byte, error) {
	resp, err := c.do(ctx, http.MethodGet, syncproto.RouteBlob+sha, nil, nil, "")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return readBody(resp, domain.MaxAttachmentBytes)
}

// doJSON sends in as JSON (nothing when nil) and decodes the answer into
// out (discarded when nil).
func (c *Client) doJSON(ctx context.Context, method, route string, in, out any) error {
	var body io.Reader
	ctype := ""
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body, ctype = bytes.NewReader(raw), "application/json"
	}
	resp, err := c.do(ctx, method, route, nil, body, ctype)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(out); err != nil {
		return &OfflineError{Err: fmt.Errorf("answer to %s cut short: %w", route, err)}
	}
	return nil
}

// do sends one request with the device's credential and the session's
// token, and turns an error status into an *APIError (or *GapError).
func (c *Client) do(ctx context.Context, method, route string, q url.Values, body io.Reader, ctype string) (*http.Response, error) {
	ctx, cancel := c.withTimeout(ctx)
	u := c.base + route
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		cancel()
		return nil, err
	}
	c.decorate(req, ctype)
	resp, err := c.http.Do(req)
	if err != nil {
		ctxErr := context.Cause(ctx)
		cancel()
		if ctxErr != nil && !errors.Is(ctxErr, context.DeadlineExceeded) {
			return nil, ctxErr // the caller gave up: not the network's fault
		}
		return nil, &OfflineError{Err: err}
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	if c.onResp != nil {
		c.onResp(resp.StatusCode, serverTime(resp.Header))
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		return nil, apiError(resp)
	}
	return resp, nil
}

func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.timeout)
}

func (c *Client) decorate(req *http.Request, ctype string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.deviceID != "" {
		req.Header.Set(syncproto.HeaderDevice, c.deviceID)
		req.Header.Set(syncproto.HeaderDeviceKey, c.deviceKey)
	}
	if c.access != "" {
		req.Header.Set("Authorization", "Bearer "+c.access)
	}
}

// cancelOnClose releases the request's context once its body is read.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// apiError decodes an error answer.
func apiError(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var body syncproto.ErrorBody
	_ = json.Unmarshal(raw, &body)
	if resp.StatusCode == http.StatusConflict && body.Code == domain.ESequenceGap {
		var gap syncproto.GapError
		if json.Unmarshal(raw, &gap) == nil {
			return &GapError{GapError: gap}
		}
	}
	if body.Code == "" {
		body.Code, body.Message = codeOf(resp.StatusCode), http.StatusText(resp.StatusCode)
	}
	return &APIError{Status: resp.StatusCode, Code: body.Code, Field: body.Field, Rule: body.Rule, Message: body.Message, RetryAfter: parseRetryAfter(resp.Header)}
}

// codeOf guesses the code of an answer without a JSON body (a proxy's).
func codeOf(status int) domain.Code {
	switch status {
	case http.StatusUnauthorized:
		return domain.EUnauthorized
	case http.StatusForbidden:
		return domain.EForbidden
	case http.StatusNotFound:
		return domain.ENotFound
	case http.StatusConflict:
		return domain.EConflict
	case http.StatusRequestEntityTooLarge:
		return domain.ETooLarge
	case http.StatusTooManyRequests:
		return domain.ERateLimited
	case http.StatusBadRequest:
		return domain.EMalformed
	}
	return domain.EInternal
}

func parseRetryAfter(h http.Header) time.Duration {
	n, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

// serverTime reads the server's HLC header: a decimal uint64.
func serverTime(h http.Header) hlc.Timestamp {
	n, err := strconv.ParseUint(h.Get(syncproto.HeaderServerTime), 10, 64)
	if err != nil {
		return 0
	}
	return hlc.Timestamp(n)
}

// readBody reads a whole body of at most limit bytes; a body cut short by
// the network is an OfflineError, a larger one ETooLarge.
func readBody(resp *http.Response, limit int) ([]byte, error) {
	size := resp.ContentLength
	if size < 0 || size > int64(limit) {
		size = 64 << 10
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+1))
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, int64(limit)+1))
	switch {
	case err != nil:
		return nil, &OfflineError{Err: fmt.Errorf("answer cut short: %w", err)}
	case n > int64(limit):
		return nil, &domain.Error{Code: domain.ETooLarge, Message: fmt.Sprintf("answer larger than %d bytes", limit)}
	}
	return buf.Bytes(), nil
}
