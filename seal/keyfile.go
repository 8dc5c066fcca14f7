package seal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// LoadOrCreateKeyFile reads the key stored at path, or, when there is no file
// there, creates one with a fresh key (id 1) readable by its owner only. This
// gives a new installation encryption at rest with no set-up step. A file
// that group or others may read is refused rather than used: the key is
// worth exactly as much as its file's permissions.
//
// Creation is atomic, so several instances started at once agree on one key.
// Back the file up apart from the database: without it, sealed text is lost.
func LoadOrCreateKeyFile(path string) (*Key, error) {
	k, err := loadKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := createKeyFile(path, GenerateKey(1)); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	// Read back what is on disk, which is another instance's key if it won
	// the race to create the file.
	return loadKeyFile(path)
}

func loadKeyFile(path string) (*Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("seal: key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("seal: key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("seal: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("seal: key file %s has mode %04o, so group or others can read or change it; run chmod 600 %s and make sure the key was not copied",
			path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, fmt.Errorf("seal: key file: %w", err)
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return k, nil
}

// createKeyFile writes k to a temporary file beside path and links it into
// place, so no reader ever sees a half-written key and an existing file is
// never replaced.
func createKeyFile(path string, k *Key) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return fmt.Errorf("seal: creating key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	// CreateTemp already uses 0600; Chmod states the intent and ignores umask.
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("seal: creating key file: %w", err)
	}
	if _, err := tmp.WriteString(k.Export() + "\n"); err != nil {
		return fmt.Errorf("seal: creating key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("seal: creating key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("seal: creating key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return fmt.Errorf("seal: creating key file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the new name durable; best effort
		d.Close()
	}
	return nil
}
