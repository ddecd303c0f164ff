// Package sdm is the servicedesk.Desk for CA Service Desk Manager ("NSD SDM"),
// spoken through its REST API (/caisd-rest) in the JSON flavour. An in-memory SDM
// that speaks the same wire protocol, for tests and local runs, is in sdmfake.
//
// How hcaops maps onto SDM:
//
//   - An incident is an `in` object (a call request of type crt:182). Its ID in
//     hcaops is SDM's persistent id, "cr:400001"; UpdateIncident and AddComment
//     also accept "in:400001" and the bare "400001".
//   - The hcaops ticket reference is kept in the custom attribute zhcaops_ref,
//     which is how EnsureIncident finds an incident before creating one.
//   - Status is written by code: {"@REL_ATTR":"WIP"}. SDM's status (crs) objects
//     are keyed by code and named by symbol ("Work in Progress"), which is what
//     @COMMON_NAME matches. Priority, group and category are written by name:
//     {"@COMMON_NAME":"2"}, {"@COMMON_NAME":"ES Tier 2/3"}.
//   - Update.Escalated goes to the custom attribute zescalated (0/1): SDM has no
//     escalation flag of its own.
//   - Update.Resolution becomes an activity log entry of type RE (resolved) or
//     CL (closed, cancelled), so it shows where SDM users look for how a ticket
//     ended. Like comments it carries a marker and is written once.
//   - Update.DuplicateOf sets parent to the master incident and status CNCL.
//   - Comments are activity log (alg) entries of type LOG whose description ends
//     with the marker "[hcaops:KEY]". Before posting, the client reads the log
//     (GET /caisd-rest/alg?WC=call_req_id='cr:N') and skips a key already there.
//   - NewIncident.Channel is not sent: SDM has no standard attribute for it.
//
// Errors from SDM come back as *servicedesk.ResponseError carrying SDM's own
// error_message and nothing of what was sent. Retryable: 5xx, 408, 429, network
// errors, and a garbled (malformed JSON) answer, since every call is idempotent.
// Not retryable: other 4xx, and a 401 to the login itself (wrong credentials).
// A 401 to any other call renews the key and retries once; a second 401 is
// retryable, following servicedesk.ResponseError. Arguments the client refuses
// before calling SDM (unknown status, malformed id) are plain errors.
package sdm
