package sdm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
)

// defaultKeyLifetime is how long SDM keeps an access key unless configured
// otherwise; the client assumes it when an answer has no expiration_date.
const defaultKeyLifetime = 168 * time.Hour

// keyring holds the SDM access key shared by all calls of a Client. SDM limits
// how many keys a user may hold, so calls reuse one key and renew it shortly
// before it expires rather than logging in per call.
type keyring struct {
	c           *Client
	renewBefore time.Duration
	now         func() time.Time

	// lock is a one-slot semaphore rather than a sync.Mutex so that a caller
	// waiting for another caller's renewal can give up when its context ends.
	lock    chan struct{}
	key     string
	expires time.Time
}

func newKeyring(c *Client, renewBefore time.Duration, now func() time.Time) *keyring {
	return &keyring{c: c, renewBefore: renewBefore, now: now, lock: make(chan struct{}, 1)}
}

// get returns a key that is not about to expire, obtaining one if needed.
// rejected is a key SDM just answered 401 to: it is dropped unless another
// caller has already replaced it, so concurrent 401s cause one renewal.
func (k *keyring) get(ctx context.Context, op, rejected string) (string, error) {
	select {
	case k.lock <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("sdm %s: waiting for access key: %w", op, ctx.Err())
	}
	defer func() { <-k.lock }()

	if rejected != "" && k.key == rejected {
		k.key = ""
	}
	if k.key != "" && k.now().Add(k.renewBefore).Before(k.expires) {
		return k.key, nil
	}
	key, expires, err := k.login(ctx, op)
	if err != nil {
		return "", err
	}
	// A key that already falls within the renewal margin (a server configured
	// with a short lifetime, or clock skew) is still used: it is the best there is.
	k.key, k.expires = key, expires
	return key, nil
}

// login asks SDM for a new access key with the configured credentials.
func (k *keyring) login(ctx context.Context, op string) (string, time.Time, error) {
	fail := func(status int, retryable bool, msg string) error {
		return &servicedesk.ResponseError{System: "sdm", Op: op, Status: status, Retryable: retryable, Msg: "access key: " + msg}
	}
	payload, _ := json.Marshal(restAccessRequest{})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, k.c.url("rest_access", nil), bytes.NewReader(payload))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sdm %s: build access key request: %w", op, err)
	}
	req.SetBasicAuth(k.c.cfg.Username, k.c.cfg.Password)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")

	status, body, err := k.c.exchange(ctx, op, req)
	if err != nil {
		var rerr *servicedesk.ResponseError
		if errors.As(err, &rerr) {
			rerr.Msg = "access key: " + rerr.Msg
		}
		return "", time.Time{}, err
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		// Wrong or locked credentials: retrying with the same ones will not help.
		msg := errorMessage(body)
		if msg == "" {
			msg = "SDM rejected the username or password"
		}
		return "", time.Time{}, fail(status, false, fmt.Sprintf("HTTP %d: %s", status, msg))
	case status < 200 || status > 299:
		msg := errorMessage(body)
		if msg == "" {
			msg = http.StatusText(status)
		}
		return "", time.Time{}, fail(status, retryableStatus(status), fmt.Sprintf("HTTP %d: %s", status, msg))
	}

	ra, err := decodeObject[restAccess](body, "rest_access")
	if err == nil && ra.AccessKey == "" {
		err = malformed("no access_key")
	}
	if err != nil {
		return "", time.Time{}, fail(0, true, err.Error())
	}
	expires := k.now().Add(defaultKeyLifetime)
	if ra.ExpirationDate != "" {
		secs, perr := strconv.ParseInt(string(ra.ExpirationDate), 10, 64)
		if perr != nil {
			return "", time.Time{}, fail(0, true, malformed("expiration_date %q is not Unix seconds", string(ra.ExpirationDate)).Error())
		}
		expires = time.Unix(secs, 0)
	}
	return string(ra.AccessKey), expires, nil
}
