package export

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file through write, into a temporary file next
// to path, and renames it into place only when everything was written and
// synced: a failed export never leaves a half-written file that looks
// complete.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".part-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o640); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// Spool writes an export to a temporary file and returns it rewound with
// its size, so a server can send it with a Content-Length: a download cut
// short is then seen as incomplete by the browser. The caller closes and
// removes it with the returned cleanup.
func Spool(write func(io.Writer) error) (f *os.File, size int64, cleanup func(), err error) {
	f, err = os.CreateTemp("", "peercircle-export-*")
	if err != nil {
		return nil, 0, nil, err
	}
	cleanup = func() { f.Close(); os.Remove(f.Name()) }
	if err = write(f); err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	if size, err = f.Seek(0, io.SeekCurrent); err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	if _, err = f.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	return f, size, cleanup, nil
}
