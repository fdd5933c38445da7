package sleep

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// zoneinfoZip is a copy of Go's lib/time/zoneinfo.zip. Zones are read only from
// it, never from the host, so every machine computes the same durations.
//
//go:embed zoneinfo.zip
var zoneinfoZip []byte

var (
	zoneIndexOnce sync.Once
	zoneIndex     map[string]*zip.File
	zoneCache     sync.Map // name -> *time.Location
)

// LoadZone returns the location for an exact (case-sensitive) IANA zone name
// from the embedded tz database. "" and "Local" are rejected.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zoneCache.Load(name); ok {
		return loc.(*time.Location), nil
	}
	zoneIndexOnce.Do(indexZones)
	f, ok := zoneIndex[name]
	if !ok || name == "" || name == "Local" || strings.HasSuffix(name, "/") {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	loc, err := time.LoadLocationFromTZData(name, data)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	zoneCache.Store(name, loc)
	return loc, nil
}

func indexZones() {
	zoneIndex = map[string]*zip.File{}
	r, err := zip.NewReader(bytes.NewReader(zoneinfoZip), int64(len(zoneinfoZip)))
	if err != nil {
		panic("sleep: embedded zoneinfo.zip is corrupt: " + err.Error())
	}
	for _, f := range r.File {
		zoneIndex[f.Name] = f
	}
}
