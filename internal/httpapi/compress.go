package httpapi

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// Compression (SPEC §3.7, issue 11). Two mechanisms, one rule each:
//   - The static build ships precompressed .br and .gz twins; serveAsset and
//     writeShell pick one by Accept-Encoding (negotiateEncoding) and send it
//     as is, with Content-Encoding set, so nothing is compressed per request.
//   - Everything else the server writes (the shell when the build has no
//     twin, API JSON, CSV exports) passes through gzhttp, which gzips a
//     response of a compressible type once it exceeds compressMinBytes and
//     streams the rest. Responses that already carry a Content-Encoding, HEAD
//     answers and partial (206) answers pass through untouched.
//
// What may be compressed is decided by content type alone (compressible): an
// allowlist of text formats, so a download route added later with a binary
// type (the SQLite backup, a zip, an image) is never compressed twice.

// compressMinBytes is the size below which compressing costs more than it
// saves: a response this small fits into one packet anyway.
const compressMinBytes = 1024

// compressionLevel trades ratio for CPU on dynamic responses. JSON of
// numbers and dates compresses about 5:1 even at the fastest levels; level 4
// of klauspost's gzip is within a few per cent of level 9 for such bodies at a
// fraction of the cost, which keeps the compressed load run close to the
// uncompressed one.
const compressionLevel = 4

// newCompression returns the gzhttp middleware with the settings above. zstd
// is off: every browser that sends zstd also sends gzip, and one encoder
// kind keeps the pooled encoder memory (and so idle RSS) small.
func newCompression() func(http.Handler) http.HandlerFunc {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(compressMinBytes),
		gzhttp.CompressionLevel(compressionLevel),
		gzhttp.EnableZstd(false),
		gzhttp.AcceptWildcards(true), // "*" accepts gzip, as negotiateEncoding reads it
		gzhttp.ContentTypeFilter(compressible),
	)
	if err != nil {
		panic("httpapi: gzhttp options: " + err.Error()) // constant options: a programming error
	}
	return wrap
}

// compressibleTypes are the media types whose bodies are text: worth
// compressing. Anything else (application/vnd.sqlite3, application/zip,
// application/gzip, application/octet-stream, images other than SVG, fonts in
// woff2) is sent as it is.
var compressibleTypes = map[string]bool{
	"application/json":          true,
	"application/problem+json":  true,
	"application/manifest+json": true,
	"application/javascript":    true,
	"application/xml":           true,
	"application/yaml":          true,
	"application/x-yaml":        true,
	"application/x-ndjson":      true,
	"image/svg+xml":             true,
}

// compressible reports whether a response of this Content-Type may be
// compressed on the fly: text/* and the text-based application types above.
// An unparsable or empty type is not compressed (every handler here sets
// one, so an empty type is a body nobody described).
func compressible(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if strings.HasPrefix(mediaType, "text/") {
		return true
	}
	return compressibleTypes[mediaType]
}

// Content codings of the precompressed twins.
const (
	codingBrotli   = "br"
	codingGzip     = "gzip"
	codingIdentity = ""
)

// negotiateEncoding picks the coding for a body that exists precompressed:
// brotli when it is offered and accepted, else gzip, else identity. Among
// accepted codings the higher q-value wins and brotli wins ties (smaller).
// A coding listed with q=0 is refused; "*" stands for codings not listed.
func negotiateEncoding(r *http.Request, haveBrotli, haveGzip bool) string {
	q := acceptedCodings(r.Header.Values("Accept-Encoding"))
	qBr, qGz := q.weight(codingBrotli), q.weight(codingGzip)
	switch {
	case haveBrotli && qBr > 0 && (!haveGzip || qBr >= qGz):
		return codingBrotli
	case haveGzip && qGz > 0:
		return codingGzip
	}
	return codingIdentity
}

// codingWeights are the q-values of an Accept-Encoding header by coding.
type codingWeights map[string]float64

func acceptedCodings(values []string) codingWeights {
	q := codingWeights{}
	for _, header := range values {
		for _, part := range strings.Split(header, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding == "" {
				continue
			}
			weight := 1.0
			for _, param := range strings.Split(params, ";") {
				name, value, ok := strings.Cut(strings.TrimSpace(param), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
					continue
				}
				f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0 // a malformed weight refuses the coding rather than guessing
				}
				weight = f
			}
			q[coding] = weight
		}
	}
	return q
}

// weight is the q-value of coding: its own entry, else the "*" entry, else 0.
func (q codingWeights) weight(coding string) float64 {
	if w, ok := q[coding]; ok {
		return w
	}
	if w, ok := q["*"]; ok {
		return w
	}
	return 0
}

// precompressed is one body with its optional build-time twins.
type precompressed struct {
	identity []byte
	brotli   []byte // name.br, nil when absent
	gzipped  []byte // name.gz, nil when absent
}

// hasTwins reports whether the body varies by Accept-Encoding.
func (p *precompressed) hasTwins() bool { return p.brotli != nil || p.gzipped != nil }

// pick returns the coding and bytes for the request.
func (p *precompressed) pick(r *http.Request) (coding string, body []byte) {
	switch coding = negotiateEncoding(r, p.brotli != nil, p.gzipped != nil); coding {
	case codingBrotli:
		return coding, p.brotli
	case codingGzip:
		return coding, p.gzipped
	}
	return codingIdentity, p.identity
}
