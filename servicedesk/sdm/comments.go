package sdm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// logPageSize is the number of activity log entries read per request: SDM's maximum.
const logPageSize = 500

// maxLogPages stops reading a log whose paging never ends (a misbehaving server).
const maxLogPages = 200

// AddComment appends text to the incident's activity log once per key: the entry
// ends with the marker [hcaops:KEY], and a key whose marker is already in the
// log is skipped.
func (c *Client) AddComment(ctx context.Context, id, key, text string) error {
	const op = "add comment"
	n, err := incidentNumber(id)
	if err != nil {
		return fmt.Errorf("sdm %s: %w", op, err)
	}
	return c.addActivity(ctx, op, n, activityComment, key, text)
}

// marker tags an activity log entry written by hcaops with its idempotency key.
func marker(key string) string { return "[hcaops:" + key + "]" }

func validKey(key string) error {
	if key == "" {
		return errors.New("comment key is required")
	}
	// [ and ] would end the marker early, or make a class of SDM's LIKE on SQL Server.
	if strings.ContainsAny(key, "[]\r\n") {
		return fmt.Errorf("comment key %q may not contain [, ] or line breaks", key)
	}
	return nil
}

// addActivity writes an activity log entry of the given type to incident n,
// unless an entry with key's marker is there already.
func (c *Client) addActivity(ctx context.Context, op, n, kind, key, text string) error {
	if err := validKey(key); err != nil {
		return fmt.Errorf("sdm %s: %w", op, err)
	}
	// Two attempts in this process must not both miss the marker and both post.
	unlock, err := c.serial.lock(ctx, "activity\x00"+n+"\x00"+key)
	if err != nil {
		return fmt.Errorf("sdm %s: %w", op, err)
	}
	defer unlock()

	tag := marker(key)
	done, err := c.logHas(ctx, op, n, tag)
	if err != nil || done {
		return err
	}
	description := tag
	if text = strings.TrimRight(text, " \t\r\n"); text != "" {
		description = text + "\n" + tag
	}
	body := activityEnvelope{Alg: activityWrite{
		CallReqID:   byKey(persistentID(n)),
		Type:        byKey(kind),
		Description: description,
	}}
	answer, err := c.do(ctx, request{op: op, method: http.MethodPost, path: "alg", attrs: activityAttrs, body: body})
	if err != nil {
		return err
	}
	if _, err := decodeObject[activityRead](answer, "alg"); err != nil {
		return malformedError(op, err)
	}
	return nil
}

// logHas reports whether an entry of incident n's activity log contains tag. SDM picks
// the entries that may (LIKE, whose _ is a wildcard and which on SQL Server reads [ as a
// class, so the pattern starts after it), and each is checked exactly here: an incident's
// log grows with every change, and reading all of it on every comment made each action
// slower than the last. Should many match, they are read page by page.
func (c *Client) logHas(ctx context.Context, op, n, tag string) (bool, error) {
	q := url.Values{}
	q.Set("WC", "call_req_id="+quote(persistentID(n))+" AND description LIKE "+quote("%"+strings.TrimPrefix(tag, "[")+"%"))
	q.Set("SORT", "id ASC")
	q.Set("size", strconv.Itoa(logPageSize))
	start := 1
	for range maxLogPages {
		q.Set("start", strconv.Itoa(start))
		answer, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "alg", query: q, attrs: activityAttrs})
		if err != nil {
			return false, err
		}
		p, err := decodeCollection[activityRead](answer, "alg")
		if err != nil {
			return false, malformedError(op, err)
		}
		for _, entry := range p.Items {
			if strings.Contains(string(entry.Description), tag) {
				return true, nil
			}
		}
		if len(p.Items) == 0 || start+len(p.Items) > p.Total {
			return false, nil
		}
		start += len(p.Items)
	}
	return false, malformedError(op, malformed("activity log of %s has more than %d pages", persistentID(n), maxLogPages))
}
