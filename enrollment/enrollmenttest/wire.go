package enrollmenttest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/esfake"
)

// Element is one element of a document as it went on the wire, read without the
// enrollment package's types, so that a test states names and namespaces on its own.
type Element struct {
	Name     xml.Name
	Children []*Element
	Text     string
}

// ParseXML reads a whole document into Elements; a document that is not XML fails t.
func ParseXML(t testing.TB, raw []byte) *Element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(raw))
	var stack []*Element
	var root *Element
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return root
		}
		if err != nil {
			t.Fatalf("not XML: %v\n%s", err, raw)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &Element{Name: tk.Name}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tk)
			}
		}
	}
}

// All returns the texts of every element at a slash path of local names below n, in
// document order; "[k]" after a name picks its k-th (1-based, single digit) occurrence.
func (n *Element) All(path string) []string {
	nodes := []*Element{n}
	for _, step := range strings.Split(path, "/") {
		name, pick := step, 0
		if i := strings.Index(step, "["); i > 0 {
			name = step[:i]
			pick = int(step[i+1] - '0')
		}
		var next []*Element
		for _, m := range nodes {
			k := 0
			for _, c := range m.Children {
				if c.Name.Local == name {
					k++
					if pick == 0 || pick == k {
						next = append(next, c)
					}
				}
			}
		}
		nodes = next
	}
	out := make([]string, len(nodes))
	for i, m := range nodes {
		out[i] = m.Text
	}
	return out
}

// Exchange is one request as it crossed the wire.
type Exchange struct {
	Header http.Header
	Body   []byte
}

// RecordingES serves a strict fake ES behind a recorder of every request the client sends,
// and returns the fake, a client for it and the requests so far.
func RecordingES(t testing.TB) (*esfake.Fake, *enrollment.Client, *[]Exchange) {
	t.Helper()
	fake := esfake.New()
	var seen []Exchange
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen = append(seen, Exchange{Header: r.Header.Clone(), Body: b})
		r.Body = io.NopCloser(bytes.NewReader(b))
		fake.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c, &seen
}
