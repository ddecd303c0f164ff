package esfake

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const soapEnvNS = "http://schemas.xmlsoap.org/soap/envelope/"

// node is one element of a request, parsed as the XML says, without interpretation.
type node struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*node
	text     string
}

func (n *node) child(local string) *node {
	for _, c := range n.children {
		if c.name.Local == local {
			return c
		}
	}
	return nil
}

// path is a node's text at a path of local names, "" when absent.
func (n *node) path(locals ...string) string {
	for _, l := range locals {
		if n = n.child(l); n == nil {
			return ""
		}
	}
	return strings.TrimSpace(n.text)
}

// clientError is a request the service cannot read: ES answers it with a soap:Client fault
// and keeps nothing.
type clientError struct{ msg string }

func (e *clientError) Error() string { return e.msg }

func clientErrorf(format string, args ...any) error {
	return &clientError{msg: fmt.Sprintf(format, args...)}
}

// parseRequest reads a SOAP 1.1 request strictly: an Envelope in the SOAP 1.1 namespace with
// an optional Header and one Body holding one request element, which must match its type in
// schema.go. It returns the request element.
func parseRequest(raw []byte) (*node, error) {
	root, err := parseTree(raw)
	if err != nil {
		return nil, err
	}
	if root.name != (xml.Name{Space: soapEnvNS, Local: "Envelope"}) {
		return nil, clientErrorf("not a SOAP 1.1 envelope: root element is {%s}%s", root.name.Space, root.name.Local)
	}
	var body *node
	for i, c := range root.children {
		switch {
		case c.name == xml.Name{Space: soapEnvNS, Local: "Header"} && i == 0 && len(root.children) == 2:
			for _, h := range c.children {
				if mustUnderstand(h) {
					return nil, &mustUnderstandError{name: h.name}
				}
			}
		case c.name == xml.Name{Space: soapEnvNS, Local: "Body"} && i == len(root.children)-1:
			body = c
		default:
			return nil, clientErrorf("unexpected element {%s}%s in the Envelope", c.name.Space, c.name.Local)
		}
	}
	if body == nil {
		return nil, clientErrorf("the Envelope has no Body")
	}
	if len(body.children) != 1 {
		return nil, clientErrorf("the Body must hold exactly one request element, it holds %d", len(body.children))
	}
	req := body.children[0]
	t, ok := requestTypes[req.name.Local]
	if !ok || req.name.Space != voaNS {
		return nil, clientErrorf("Cannot find dispatch method for {%s}%s", req.name.Space, req.name.Local)
	}
	if err := check(req, t, req.name.Local); err != nil {
		return nil, err
	}
	return req, nil
}

// mustUnderstandError is a header ES was told it must understand and does not know.
type mustUnderstandError struct{ name xml.Name }

func (e *mustUnderstandError) Error() string {
	return fmt.Sprintf("MustUnderstand headers:[{%s}%s] are not understood", e.name.Space, e.name.Local)
}

func mustUnderstand(h *node) bool {
	for _, a := range h.attrs {
		if a.Name.Space == soapEnvNS && a.Name.Local == "mustUnderstand" {
			return a.Value == "1" || a.Value == "true"
		}
	}
	return false
}

// parseTree parses a whole document into nodes. Mixed content (text beside elements),
// a DOCTYPE and a second root are refused.
func parseTree(raw []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(raw))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, clientErrorf("request is not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name, attrs: t.Attr}
			if len(stack) == 0 {
				if root != nil {
					return nil, clientErrorf("more than one root element")
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				if strings.TrimSpace(parent.text) != "" {
					return nil, clientErrorf("element {%s}%s mixes text and elements", parent.name.Space, parent.name.Local)
				}
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				n := stack[len(stack)-1]
				if len(n.children) > 0 && strings.TrimSpace(string(t)) != "" {
					return nil, clientErrorf("element {%s}%s mixes text and elements", n.name.Space, n.name.Local)
				}
				n.text += string(t)
			} else if strings.TrimSpace(string(t)) != "" {
				return nil, clientErrorf("text outside the root element")
			}
		case xml.Directive:
			return nil, clientErrorf("DOCTYPE and other directives are not accepted")
		}
	}
	if root == nil {
		return nil, clientErrorf("empty request")
	}
	return root, nil
}

// check validates n's children against t. where is the path so far, for the fault text.
func check(n *node, t *ctype, where string) error {
	if t.opaque {
		return nil
	}
	if strings.TrimSpace(n.text) != "" {
		return clientErrorf("%s: text where only elements are allowed", where)
	}
	if t.all {
		return checkAll(n, t, where)
	}
	return checkSequence(n, t, where)
}

func checkSequence(n *node, t *ctype, where string) error {
	i := 0 // the particle that may match next
	count := 0
	for _, c := range n.children {
		for {
			if i >= len(t.elements) {
				return clientErrorf("%s: unexpected element {%s}%s (unknown, repeated or out of order)", where, c.name.Space, c.name.Local)
			}
			p := t.elements[i]
			if p.matches(c) && (p.max < 0 || count < p.max) {
				count++
				break
			}
			if count < p.min {
				return clientErrorf("%s: expected element {%s}%s, found {%s}%s", where, p.ns, p.name, c.name.Space, c.name.Local)
			}
			i, count = i+1, 0
		}
		if err := checkChild(c, t.elements[i], where); err != nil {
			return err
		}
	}
	for ; i < len(t.elements); i, count = i+1, 0 {
		if p := t.elements[i]; count < p.min {
			return clientErrorf("%s: missing required element {%s}%s", where, p.ns, p.name)
		}
	}
	return nil
}

func checkAll(n *node, t *ctype, where string) error {
	seen := make([]int, len(t.elements))
	for _, c := range n.children {
		k := slices.IndexFunc(t.elements, func(p particle) bool { return p.matches(c) })
		if k < 0 {
			return clientErrorf("%s: unexpected element {%s}%s (unknown)", where, c.name.Space, c.name.Local)
		}
		seen[k]++
		if p := t.elements[k]; p.max >= 0 && seen[k] > p.max {
			return clientErrorf("%s: element {%s}%s repeated", where, c.name.Space, c.name.Local)
		}
		if err := checkChild(c, t.elements[k], where); err != nil {
			return err
		}
	}
	for k, p := range t.elements {
		if seen[k] < p.min {
			return clientErrorf("%s: missing required element {%s}%s", where, p.ns, p.name)
		}
	}
	return nil
}

func (p particle) matches(n *node) bool { return n.name.Local == p.name && n.name.Space == p.ns }

func checkChild(c *node, p particle, where string) error {
	path := where + "/" + p.name
	if p.typ != nil {
		return check(c, p.typ, path)
	}
	if len(c.children) > 0 {
		return clientErrorf("%s: a simple value cannot hold elements", path)
	}
	v := strings.TrimSpace(c.text)
	if !validLeaf(p.kind, v) {
		return clientErrorf("%s: not a valid %s", path, kindName(p.kind))
	}
	if len(p.enum) > 0 && !slices.Contains(p.enum, v) {
		return clientErrorf("%s: not one of the allowed values %s", path, strings.Join(p.enum, ", "))
	}
	return nil
}

var (
	xsDate     = regexp.MustCompile(`^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	xsDateTime = regexp.MustCompile(`^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	xsDecimal  = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
)

func validLeaf(k leafKind, v string) bool {
	switch k {
	case kInteger:
		_, err := strconv.ParseInt(strings.TrimPrefix(v, "+"), 10, 64)
		return err == nil
	case kBoolean:
		return v == "true" || v == "false" || v == "1" || v == "0"
	case kDate:
		if !xsDate.MatchString(v) {
			return false
		}
		_, err := time.Parse(time.DateOnly, v[:10])
		return err == nil
	case kDateTime:
		return xsDateTime.MatchString(v)
	case kDecimal:
		return xsDecimal.MatchString(v)
	}
	return true
}

func kindName(k leafKind) string {
	return [...]string{"xs:string", "xs:integer", "xs:boolean", "xs:date", "xs:dateTime", "xs:decimal"}[k]
}
