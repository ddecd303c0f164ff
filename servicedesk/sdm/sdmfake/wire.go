package sdmfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// The fake's own reading of the SDM REST wire format, written from SDM's REST API
// documentation rather than shared with the client, so that the two can disagree
// and a test can catch it.

// SDM status (crs) codes the fake gives meaning to.
const (
	statusOpen      = "OP"
	statusClosed    = "CL"
	statusCancelled = "CNCL"
)

// incidentRequestType is the request type (crt) of an incident: the in factory holds
// only those.
const incidentRequestType = "crt:182"

// defaultKeyLifetime is how long SDM keeps a REST access key unless configured otherwise.
const defaultKeyLifetime = 168 * time.Hour

// scalar is an SDM JSON value: SDM's JSON is a mapping of its XML, so a scalar arrives
// as a string on most releases, as a number on some, or as null.
type scalar string

func (s *scalar) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*s = ""
		return nil
	}
	if b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = scalar(v)
		return nil
	}
	if b[0] == '-' || (b[0] >= '0' && b[0] <= '9') {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*s = scalar(n.String())
		return nil
	}
	return fmt.Errorf("want a string or number, got %.20s", b)
}

// reference points at another SDM object (an SREL attribute): by its key
// (@REL_ATTR, e.g. "WIP" or "cr:400001"), its @id, or its name (@COMMON_NAME).
type reference struct {
	ID         scalar `json:"@id,omitempty"`
	RelAttr    scalar `json:"@REL_ATTR,omitempty"`
	CommonName scalar `json:"@COMMON_NAME,omitempty"`
}
