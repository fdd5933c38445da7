package imports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a byte-level scanner for Apple Health's export.xml.
//
// Why not encoding/xml: its Token loop allocates a StartElement with every
// attribute name and value as strings for every element and copies and
// unescapes all of them. Even its cheaper RawToken loop reads a generated
// export at about 47 MiB/s of CPU time on the development machine, against
// about 650 MiB/s for this scanner (cmd/applehealthgen measures it): a 4 GB
// export would take minutes for the few thousand sleep samples it holds,
// and the import could not keep up with its own upload. This scanner
// finds each '<' with bytes.IndexByte, reads tag names and attribute spans in
// place in its buffer (no allocation), compares Record's type attribute with
// the sleep type, and copies and unescapes the attributes of sleep records
// only.
//
// It is still a checking parser, not a search: tags must be well formed
// (quoted attribute values, a '>' ending every tag), end tags must match
// their start tags, element depth is at most 64, the root must be
// <HealthData>, and a file that ends inside an element or tag is "unexpected
// end of file". The DTD is skipped, never processed: no entity it declares is
// expanded and nothing is fetched; in the attributes it decodes it accepts
// only XML's five predefined entities and character references. Character
// data between tags is skipped unchecked (nothing in it matters).
//
// Memory is one buffer (1 MiB, growing only for a single tag, comment or DTD
// larger than that, at most maxXMLConstruct).
type xmlScanner struct {
	r    io.Reader
	name string // entry name for messages
	ctx  context.Context

	buf        []byte
	pos, end   int // unread data is buf[pos:end]
	eof        bool
	lines      int // line breaks before buf[linePos]
	linePos    int
	depth      int
	stack      [maxXMLDepth + 1][]byte
	rootSeen   bool
	rootClosed bool
	attrs      recordAttrs
}

// recordAttrs are the raw (still escaped) attribute values of a sleep record
// that the parser needs; they point into the scanner's buffer and are valid
// only during the callback.
type recordAttrs struct {
	typ, sourceName, startDate, endDate, value []byte
}

const (
	maxXMLDepth     = 64
	xmlBufSize      = 1 << 20
	maxXMLConstruct = 16 << 20
)

var (
	errNeedMore = errors.New("need more data")
	recordName  = []byte("Record")
	sleepType   = []byte(appleSleepType)
)

func newXMLScanner(r io.Reader, name string) *xmlScanner {
	return &xmlScanner{r: r, name: name, buf: make([]byte, xmlBufSize), ctx: context.Background()}
}

// line returns the 1-based line of buf[p], counting line breaks lazily (each
// byte is counted once; p never moves backwards between calls).
func (s *xmlScanner) line(p int) int {
	if p > s.linePos {
		s.lines += bytes.Count(s.buf[s.linePos:p], []byte{'\n'})
		s.linePos = p
	}
	return s.lines + 1
}

func (s *xmlScanner) errorAt(p int, format string, args ...any) error {
	return fileError(s.name, s.line(p), format, args...)
}

// fill reads more data, first moving the unread part to the buffer's start;
// it grows the buffer when a single construct fills it. It reports false at
// the end of input.
func (s *xmlScanner) fill() (bool, error) {
	if s.eof {
		return false, nil
	}
	if err := s.ctx.Err(); err != nil {
		return false, err
	}
	if s.pos > 0 {
		s.line(s.pos)
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.linePos -= s.pos
		s.end, s.pos = n, 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxXMLConstruct {
			return false, s.errorAt(s.pos, "a tag, comment or DTD is larger than %d MiB", maxXMLConstruct>>20)
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return n > 0, nil
		}
		if err != nil {
			if passThrough(err) {
				return false, err
			}
			var ent *entryReadError
			if errors.As(err, &ent) {
				return false, s.errorAt(s.end, "%s", ent.msg)
			}
			return false, s.errorAt(s.end, "%s", err.Error())
		}
		if n > 0 {
			return true, nil
		}
	}
}

// run scans the whole input and calls onSleep for every sleep record.
func (s *xmlScanner) run(onSleep func(line int, a *recordAttrs) error) error {
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			if s.rootClosed && len(bytes.TrimSpace(s.buf[s.pos:s.end])) > 0 {
				return s.errorAt(s.pos, "content after the HealthData element")
			}
			s.line(s.end)
			s.pos = s.end
			more, err := s.fill()
			if err != nil {
				return err
			}
			if !more {
				return s.finish()
			}
			continue
		}
		s.pos += i
		n, err := s.construct(onSleep)
		if err == errNeedMore {
			more, ferr := s.fill()
			if ferr != nil {
				return ferr
			}
			if !more {
				return s.errorAt(s.end, "unexpected end of file")
			}
			continue
		}
		if err != nil {
			return err
		}
		s.pos += n
	}
}

func (s *xmlScanner) finish() error {
	switch {
	case !s.rootSeen:
		return s.errorAt(s.end, "not an Apple Health export: no HealthData element")
	case s.depth > 0:
		return s.errorAt(s.end, "unexpected end of file")
	}
	return nil
}

// construct handles the markup at buf[pos] ('<'); it returns its length, or
// errNeedMore when the buffer ends inside it.
func (s *xmlScanner) construct(onSleep func(int, *recordAttrs) error) (int, error) {
	b := s.buf[s.pos:s.end]
	if len(b) < 2 {
		return 0, errNeedMore
	}
	switch b[1] {
	case '/':
		return s.endTag(b)
	case '?':
		j := bytes.Index(b, []byte("?>"))
		if j < 0 {
			return 0, errNeedMore
		}
		return j + 2, nil
	case '!':
		return s.bang(b)
	}
	return s.startTag(b, onSleep)
}

func (s *xmlScanner) bang(b []byte) (int, error) {
	switch {
	case bytes.HasPrefix(b, []byte("<!--")):
		j := bytes.Index(b[4:], []byte("-->"))
		if j < 0 {
			return 0, errNeedMore
		}
		return 4 + j + 3, nil
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		if s.depth == 0 {
			return 0, s.errorAt(s.pos, "character data outside the root element")
		}
		j := bytes.Index(b[9:], []byte("]]>"))
		if j < 0 {
			return 0, errNeedMore
		}
		return 9 + j + 3, nil
	case bytes.HasPrefix(b, []byte("<!DOCTYPE")):
		if s.rootSeen {
			return 0, s.errorAt(s.pos, "a DTD inside the document")
		}
		return skipDoctype(b)
	case len(b) < 9:
		return 0, errNeedMore
	}
	return 0, s.errorAt(s.pos, "malformed markup")
}

// skipDoctype returns the length of a <!DOCTYPE …> declaration with an
// optional internal subset, honouring quotes and comments inside it. Nothing
// in it is interpreted.
func skipDoctype(b []byte) (int, error) {
	inSubset := false
	for i := len("<!DOCTYPE"); i < len(b); i++ {
		switch c := b[i]; c {
		case '"', '\'':
			j := bytes.IndexByte(b[i+1:], c)
			if j < 0 {
				return 0, errNeedMore
			}
			i += j + 1
		case '[':
			inSubset = true
		case ']':
			inSubset = false
		case '<':
			if inSubset && bytes.HasPrefix(b[i:], []byte("<!--")) {
				j := bytes.Index(b[i+4:], []byte("-->"))
				if j < 0 {
					return 0, errNeedMore
				}
				i += 4 + j + 2
			}
		case '>':
			if !inSubset {
				return i + 1, nil
			}
		}
	}
	return 0, errNeedMore
}

func (s *xmlScanner) endTag(b []byte) (int, error) {
	j := bytes.IndexByte(b, '>')
	if j < 0 {
		if len(b) > 4096 {
			return 0, s.errorAt(s.pos, "malformed end tag")
		}
		return 0, errNeedMore
	}
	name := trimSpaceRight(b[2:j])
	if s.depth == 0 {
		return 0, s.errorAt(s.pos, "unexpected </%s>", printable(name))
	}
	if !bytes.Equal(name, s.stack[s.depth]) {
		return 0, s.errorAt(s.pos, "</%s> does not close <%s>", printable(name), printable(s.stack[s.depth]))
	}
	s.depth--
	if s.depth == 0 {
		s.rootClosed = true
	}
	return j + 1, nil
}

func isNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '>' || c == '/'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimSpaceRight drops trailing XML white space (bytes.TrimRight builds a
// character set on every call: too slow for every attribute of every tag).
func trimSpaceRight(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// notInName marks the bytes that cannot be part of an attribute name here.
var notInName = func() (t [256]bool) {
	for _, c := range []byte("<>\"'/= \t\r\n&") {
		t[c] = true
	}
	return t
}()

// validAttrName is a cheap check (no allocation, a table lookup per byte)
// that catches a missing '=' or quote: "b c" in <a b c="d">.
func validAttrName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if notInName[c] {
			return false
		}
	}
	return true
}

// startTag scans <name attr="v" …> or <name …/>.
func (s *xmlScanner) startTag(b []byte, onSleep func(int, *recordAttrs) error) (int, error) {
	i := 1
	for i < len(b) && !isNameEnd(b[i]) {
		i++
	}
	if i == len(b) {
		return 0, errNeedMore
	}
	name := b[1:i]
	if len(name) == 0 || name[0] == '=' || name[0] == '"' || name[0] == '\'' || name[0] == '<' {
		return 0, s.errorAt(s.pos, "malformed tag")
	}
	if s.rootClosed || (s.depth == 0 && s.rootSeen) {
		return 0, s.errorAt(s.pos, "content after the HealthData element")
	}
	isRecord := bytes.Equal(name, recordName)
	if isRecord {
		s.attrs = recordAttrs{}
	}
	// Attributes.
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return 0, errNeedMore
		}
		switch b[i] {
		case '>':
			return s.opened(name, i+1, false, isRecord, onSleep)
		case '/':
			if i+1 == len(b) {
				return 0, errNeedMore
			}
			if b[i+1] != '>' {
				return 0, s.errorAt(s.pos, "malformed tag <%s>", printable(name))
			}
			return s.opened(name, i+2, true, isRecord, onSleep)
		}
		eq := bytes.IndexByte(b[i:], '=')
		if eq < 0 {
			if len(b)-i > 4096 {
				return 0, s.errorAt(s.pos, "malformed attribute in <%s>", printable(name))
			}
			return 0, errNeedMore
		}
		attrName := trimSpaceRight(b[i : i+eq])
		if !validAttrName(attrName) {
			return 0, s.errorAt(s.pos, "malformed attribute in <%s>", printable(name))
		}
		i += eq + 1
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return 0, errNeedMore
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return 0, s.errorAt(s.pos, "attribute %s of <%s> is not quoted", printable(attrName), printable(name))
		}
		j := bytes.IndexByte(b[i+1:], q)
		if j < 0 {
			return 0, errNeedMore
		}
		val := b[i+1 : i+1+j]
		i += j + 2
		if i < len(b) && !isSpace(b[i]) && b[i] != '>' && b[i] != '/' {
			return 0, s.errorAt(s.pos, "malformed tag <%s>", printable(name))
		}
		if isRecord {
			switch string(attrName) {
			case "type":
				s.attrs.typ = val
			case "sourceName":
				s.attrs.sourceName = val
			case "startDate":
				s.attrs.startDate = val
			case "endDate":
				s.attrs.endDate = val
			case "value":
				s.attrs.value = val
			}
		}
	}
}

// opened records a start tag of length n once it is complete.
func (s *xmlScanner) opened(name []byte, n int, selfClosing, isRecord bool, onSleep func(int, *recordAttrs) error) (int, error) {
	if !s.rootSeen {
		if !bytes.Equal(name, []byte("HealthData")) {
			return 0, s.errorAt(s.pos, "not an Apple Health export: the root element is <%s>, not <HealthData>", printable(name))
		}
		s.rootSeen = true
	}
	if isRecord && bytes.Equal(s.attrs.typ, sleepType) {
		if err := onSleep(s.line(s.pos), &s.attrs); err != nil {
			return 0, err
		}
	}
	if selfClosing {
		if s.depth == 0 {
			s.rootClosed = true
		}
		return n, nil
	}
	if s.depth == maxXMLDepth {
		return 0, s.errorAt(s.pos, "elements nested deeper than %d", maxXMLDepth)
	}
	s.depth++
	s.stack[s.depth] = append(s.stack[s.depth][:0], name...)
	return n, nil
}

// printable shortens and sanitises a name for a message.
func printable(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	if !utf8.Valid(b) {
		return strconv.Quote(string(b))
	}
	return string(b)
}

// errBadEntity is wrapped with the record's line by the caller.
type xmlEntityError struct{ ref string }

func (e *xmlEntityError) Error() string { return fmt.Sprintf("unknown entity &%s;", e.ref) }

// unescapeAttr decodes XML's predefined entities and character references in
// a raw attribute value.
func unescapeAttr(raw []byte) (string, error) {
	if bytes.IndexByte(raw, '&') < 0 {
		return string(raw), nil
	}
	out := make([]byte, 0, len(raw))
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			out = append(out, raw...)
			break
		}
		out = append(out, raw[:i]...)
		raw = raw[i+1:]
		j := bytes.IndexByte(raw, ';')
		if j < 0 || j > 12 {
			return "", &xmlEntityError{ref: printable(raw[:min(len(raw), 12)])}
		}
		ref := string(raw[:j])
		raw = raw[j+1:]
		switch ref {
		case "amp":
			out = append(out, '&')
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			var r uint64
			var err error
			switch {
			case len(ref) > 2 && (ref[:2] == "#x" || ref[:2] == "#X"):
				r, err = strconv.ParseUint(ref[2:], 16, 32)
			case len(ref) > 1 && ref[0] == '#':
				r, err = strconv.ParseUint(ref[1:], 10, 32)
			default:
				err = errors.New("unknown")
			}
			if err != nil || r == 0 || r > utf8.MaxRune || !utf8.ValidRune(rune(r)) {
				return "", &xmlEntityError{ref: ref}
			}
			out = utf8.AppendRune(out, rune(r))
		}
	}
	return string(out), nil
}
