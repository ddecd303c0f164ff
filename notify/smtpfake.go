package notify

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
)

// FakeSMTP is an in-memory SMTP server for tests and the local run: it speaks enough of
// the protocol for net/smtp (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; 8BITMIME,
// no STARTTLS or AUTH), keeps what it accepts, and can be told to refuse.
type FakeSMTP struct {
	mu         sync.Mutex
	messages   []FakeMail
	rejectRcpt fault
	rejectData fault
	listeners  map[net.Listener]bool
	conns      map[net.Conn]bool
	closed     bool
	wg         sync.WaitGroup
}

// FakeMail is one accepted message. Data is exactly as sent, with CRLF line endings and
// dot-stuffing undone.
type FakeMail struct {
	From string
	To   []string
	Data string
}

// fault answers the next n commands of one kind with code.
type fault struct{ n, code int }

func NewFakeSMTP() *FakeSMTP {
	return &FakeSMTP{listeners: map[net.Listener]bool{}, conns: map[net.Conn]bool{}}
}

// RejectNext answers the next n RCPT TO commands with code (450 for a transient refusal,
// 550 for a permanent one). Like Postfix, the reply quotes the address, so tests can check
// that it never reaches an error.
func (f *FakeSMTP) RejectNext(n, code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejectRcpt = fault{n, code}
}

// RejectNextData answers the end of the next n messages' data with code, as a content
// filter would; the message is not kept.
func (f *FakeSMTP) RejectNextData(n, code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejectData = fault{n, code}
}

// Messages returns a copy of the accepted messages, oldest first.
func (f *FakeSMTP) Messages() []FakeMail {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]FakeMail, len(f.messages))
	for i, m := range f.messages {
		m.To = append([]string(nil), m.To...)
		out[i] = m
	}
	return out
}

// Serve accepts connections on l until Close, then returns nil; it returns the error of
// l.Accept if l fails first. It may be called for several listeners.
func (f *FakeSMTP) Serve(l net.Listener) error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		l.Close()
		return nil
	}
	f.listeners[l] = true
	f.mu.Unlock()
	for {
		conn, err := l.Accept()
		if err != nil {
			f.mu.Lock()
			closed := f.closed
			delete(f.listeners, l)
			f.mu.Unlock()
			if closed {
				return nil
			}
			return err
		}
		f.mu.Lock()
		if f.closed {
			f.mu.Unlock()
			conn.Close()
			continue
		}
		f.conns[conn] = true
		f.wg.Add(1) // under the lock, so Close cannot Wait before it
		f.mu.Unlock()
		go f.serveConn(conn)
	}
}

// Close stops every listener and connection and waits for their goroutines.
func (f *FakeSMTP) Close() {
	f.mu.Lock()
	f.closed = true
	for l := range f.listeners {
		l.Close()
	}
	for c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

func (f *FakeSMTP) serveConn(conn net.Conn) {
	defer func() {
		conn.Close()
		f.mu.Lock()
		delete(f.conns, conn)
		f.mu.Unlock()
		f.wg.Done()
	}()
	r := bufio.NewReader(conn)
	reply := func(lines ...string) bool {
		_, err := conn.Write([]byte(strings.Join(lines, "\r\n") + "\r\n"))
		return err == nil
	}
	if !reply("220 fake.smtp ESMTP hcaops FakeSMTP") {
		return
	}
	var tx *FakeMail // the transaction since MAIL FROM; nil outside one
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		var ok bool
		switch strings.ToUpper(verb) {
		case "EHLO":
			tx = nil
			ok = reply("250-fake.smtp greets "+arg, "250 8BITMIME")
		case "HELO":
			tx = nil
			ok = reply("250 fake.smtp")
		case "MAIL":
			addr, valid := pathArg(arg, "FROM:")
			if !valid {
				ok = reply("501 5.5.4 Syntax: MAIL FROM:<address>")
				break
			}
			tx = &FakeMail{From: addr}
			ok = reply("250 2.1.0 Ok")
		case "RCPT":
			addr, valid := pathArg(arg, "TO:")
			switch {
			case tx == nil:
				ok = reply("503 5.5.1 Error: need MAIL command")
			case !valid || addr == "":
				ok = reply("501 5.5.4 Syntax: RCPT TO:<address>")
			default:
				if code := f.take(&f.rejectRcpt); code != 0 {
					ok = reply(fmt.Sprintf("%d %d.1.1 <%s>: Recipient address rejected by FakeSMTP", code, code/100, addr))
					break
				}
				tx.To = append(tx.To, addr)
				ok = reply("250 2.1.5 Ok")
			}
		case "DATA":
			if tx == nil || len(tx.To) == 0 {
				ok = reply("503 5.5.1 Error: need RCPT command")
				break
			}
			if !reply("354 End data with <CR><LF>.<CR><LF>") {
				return
			}
			data, err := readData(r)
			if err != nil {
				return
			}
			if code := f.take(&f.rejectData); code != 0 {
				ok = reply(fmt.Sprintf("%d %d.6.0 Message rejected by FakeSMTP", code, code/100))
			} else {
				tx.Data = data
				f.mu.Lock()
				f.messages = append(f.messages, *tx)
				n := len(f.messages)
				f.mu.Unlock()
				ok = reply(fmt.Sprintf("250 2.0.0 Ok: queued as %d", n))
			}
			tx = nil
		case "RSET":
			tx = nil
			ok = reply("250 2.0.0 Ok")
		case "NOOP":
			ok = reply("250 2.0.0 Ok")
		case "QUIT":
			reply("221 2.0.0 Bye")
			return
		default:
			ok = reply("502 5.5.2 Error: command not recognized")
		}
		if !ok {
			return
		}
	}
}

// take consumes one use of a fault and returns its code, or 0 if none is armed.
func (f *FakeSMTP) take(ft *fault) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ft.n <= 0 {
		return 0
	}
	ft.n--
	return ft.code
}

// pathArg parses "FROM:<addr> PARAMS" (prefix "FROM:") or "TO:<addr>" and returns addr.
func pathArg(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimLeft(arg[len(prefix):], " ")
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", false
	}
	return rest[1:end], true
}

// readData reads message data up to the "." line, undoing dot-stuffing (a line that
// starts with "." was sent with one more) and keeping line endings as sent.
func readData(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		if line == ".\r\n" {
			return b.String(), nil
		}
		b.WriteString(strings.TrimPrefix(line, "."))
	}
}
