package reconcile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Store keeps one reconciliation per day in Dir: <date>.json for programs (and
// roll-ups), <date>.md for people.
type Store struct {
	Dir string
}

// ErrNotKept is returned (wrapped) by Load for a day with no kept result.
var ErrNotKept = errors.New("no reconciliation kept")

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

// Load reads the kept result of date; a day never kept is ErrNotKept.
func (s Store) Load(date string) (Result, error) {
	if err := s.check(); err != nil {
		return Result{}, err
	}
	if _, err := parseDate(date); err != nil {
		return Result{}, fmt.Errorf("load reconciliation: %w", err)
	}
	data, err := os.ReadFile(filepath.Join(s.Dir, date+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return Result{}, fmt.Errorf("%w for %s in %s", ErrNotKept, date, s.shownDir())
	}
	if err != nil {
		return Result{}, fmt.Errorf("load reconciliation of %s: %w", date, err)
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return Result{}, fmt.Errorf("load reconciliation of %s from %s: %w", date, s.shownDir(), err)
	}
	if r.Date != date {
		return Result{}, fmt.Errorf("load reconciliation of %s: the file in %s is for %q", date, s.shownDir(), r.Date)
	}
	return r, nil
}

// Dates lists the kept days in order. A Dir that does not exist yet keeps none.
func (s Store) Dates() ([]string, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list kept reconciliations: %w", err)
	}
	var dates []string
	for _, e := range entries {
		date, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() {
			continue
		}
		if _, err := parseDate(date); err == nil { // skips temporary and foreign files
			dates = append(dates, date)
		}
	}
	slices.Sort(dates)
	return dates, nil
}

func (s Store) check() error {
	if s.Dir == "" {
		return errors.New("reconciliation store: no directory set")
	}
	return nil
}

// shownDir is Dir as error messages show it: "reports/".
func (s Store) shownDir() string {
	return strings.TrimSuffix(s.Dir, string(filepath.Separator)) + string(filepath.Separator)
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
