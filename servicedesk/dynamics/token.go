package dynamics

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// tokenSource gets OAuth 2 client-credentials tokens and caches one until shortly
// before it expires, so each Web API call does not cost a round trip to Entra ID.
type tokenSource struct {
	cfg Config
	// lock is a one-slot channel rather than a sync.Mutex so that a caller waiting
	// for another caller's token request can give up when its context ends.
	// Holding it across the request means concurrent callers share one renewal.
	lock    chan struct{}
	token   string
	renewAt time.Time
}

func newTokenSource(cfg Config) *tokenSource {
	return &tokenSource{cfg: cfg, lock: make(chan struct{}, 1)}
}

// get returns a valid token. rejected is a token the Web API has just refused (401):
// if it is still the cached one it is renewed; if another caller already renewed it,
// the new token is returned without a second renewal.
func (t *tokenSource) get(ctx context.Context, rejected string) (string, error) {
	select {
	case t.lock <- struct{}{}:
	case <-ctx.Done():
		return "", transportError(ctx, "get token", ctx.Err())
	}
	defer func() { <-t.lock }()

	if t.token != "" && t.token != rejected && t.cfg.Now().Before(t.renewAt) {
		return t.token, nil
	}
	t.token = ""
	token, lifetime, err := t.fetch(ctx)
	if err != nil {
		return "", err
	}
	// Renew RenewBefore ahead of expiry, but never later than half-way through a
	// short-lived token's life, so a token is always used for a while.
	t.token = token
	t.renewAt = t.cfg.Now().Add(lifetime - min(t.cfg.RenewBefore, lifetime/2))
	return token, nil
}

func (t *tokenSource) fetch(ctx context.Context) (string, time.Duration, error) {
	const op = "get token"
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {t.cfg.ClientID},
		"client_secret": {t.cfg.ClientSecret},
		"scope":         {t.cfg.BaseURL + "/.default"},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.cfg.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, invalid(op, "bad token URL: "+err.Error())
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := t.cfg.HTTPClient.Do(req)
	if err != nil {
		return "", 0, transportError(ctx, op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return "", 0, transportError(ctx, op, err)
	}
	if resp.StatusCode != http.StatusOK {
		err := httpError(op, resp.StatusCode, body, t.cfg.ClientSecret)
		if resp.StatusCode == http.StatusUnauthorized {
			// Entra ID answers a wrong client secret with 401 invalid_client:
			// unlike a refused Web API token, that will not change on retry.
			err.Retryable = false
		}
		return "", 0, err
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return "", 0, malformed(op, resp.StatusCode, "token response is not JSON")
	}
	switch {
	case tr.AccessToken == "":
		return "", 0, malformed(op, resp.StatusCode, "token response has no access_token")
	case !strings.EqualFold(tr.TokenType, "Bearer"):
		return "", 0, malformed(op, resp.StatusCode, "token type is not Bearer")
	case tr.ExpiresIn <= 0:
		return "", 0, malformed(op, resp.StatusCode, "token response has no expires_in")
	}
	return tr.AccessToken, time.Duration(tr.ExpiresIn) * time.Second, nil
}
