package servicedesk

import (
	"net/http"
	"time"
)

// maxIdlePerHost is how many connections to the desk a worker keeps open between calls.
// Go's default transport keeps 2: with more desk activities at once than that (16
// operators acting, a backlog after an outage), each extra call dials a connection and
// closes it again, which adds a handshake to the operator's wait and leaves sockets in
// TIME_WAIT.
const maxIdlePerHost = 32

// HTTPClient is the client a desk uses when its configuration gives none: Go's default
// transport (proxy from the environment, dial and TLS timeouts), with connections kept
// for concurrent calls, and a 15 s limit on each exchange.
func HTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = maxIdlePerHost
	return &http.Client{Timeout: 15 * time.Second, Transport: t}
}
