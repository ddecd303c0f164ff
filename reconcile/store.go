package reconcile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Store keeps a copy of each day's reconciliation in Dir, <date>.json for programs and
// <date>.md for people, for a deployment that wants files (a shared drive, an archive
// beyond Temporal's retention). Nothing in hcaops reads them back: operators read
// reconciliations through Temporal.
type Store struct {
	Dir string
}

// Save writes r's JSON and Markdown files, creating Dir. Each file is written to a
// temporary file in Dir and renamed into place, so a reader (or a roll-up) never sees a
// half-written day, and a retried activity simply replaces it.
func (s Store) Save(r Result) (jsonPath, mdPath string, err error) {
	if err := s.check(); err != nil {
		return "", "", err
	}
	if _, err := parseDate(r.Date); err != nil {
		return "", "", fmt.Errorf("save reconciliation: %w", err)
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", "", fmt.Errorf("save reconciliation of %s: %w", r.Date, err)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		return "", "", fmt.Errorf("save reconciliation of %s: %w", r.Date, err)
	}
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return "", "", fmt.Errorf("save reconciliation of %s: %w", r.Date, err)
	}
	if jsonPath, err = writeAtomic(s.Dir, r.Date+".json", append(js, '\n')); err != nil {
		return "", "", fmt.Errorf("save reconciliation of %s: %w", r.Date, err)
	}
	if mdPath, err = writeAtomic(s.Dir, r.Date+".md", md.Bytes()); err != nil {
		return "", "", fmt.Errorf("save reconciliation of %s: %w", r.Date, err)
	}
	return jsonPath, mdPath, nil
}

func (s Store) check() error {
	if s.Dir == "" {
		return errors.New("reconciliation store: no directory set")
	}
	return nil
}

// writeAtomic replaces dir/name with data: a reader sees the old file or the new one,
// never part of it.
func writeAtomic(dir, name string, data []byte) (path string, err error) {
	path = filepath.Join(dir, name)
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return "", err
	}
	if err = f.Chmod(0o644); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil { // the data is on disk before the name points at it
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	if err = os.Rename(tmp, path); err != nil {
		return "", err
	}
	return path, nil
}
