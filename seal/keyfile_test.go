package seal

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateKeyFile(t *testing.T) {
	t.Run("a missing file is created with mode 0600 and read back the same", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "seal.key")
		k, err := LoadOrCreateKeyFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("mode = %04o, want 0600", perm)
		}
		b, _ := os.ReadFile(path)
		if strings.Count(string(b), "\n") != 1 || !strings.HasSuffix(string(b), "\n") {
			t.Errorf("file is %q, want one line", b)
		}
		again, err := LoadOrCreateKeyFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if again.Export() != k.Export() {
			t.Error("loading the file again gave another key")
		}
		if k.ID() != 1 {
			t.Errorf("new key id = %d, want 1", k.ID())
		}
		entries, _ := os.ReadDir(filepath.Dir(path))
		if len(entries) != 1 {
			t.Errorf("directory holds %d entries, want only the key file", len(entries))
		}
	})

	t.Run("instances starting together agree on one key", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "seal.key")
		const n = 8
		keys := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				k, err := LoadOrCreateKeyFile(path)
				if err != nil {
					t.Error(err)
					return
				}
				keys[i] = k.Export()
			})
		}
		wg.Wait()
		for i := range keys {
			if keys[i] != keys[0] {
				t.Fatalf("instance %d loaded another key", i)
			}
		}
	})

	t.Run("an existing key file is used as it is", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "seal.key")
		want := GenerateKey(9)
		if err := os.WriteFile(path, []byte(want.Export()+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		k, err := LoadOrCreateKeyFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if k.Export() != want.Export() {
			t.Error("LoadOrCreateKeyFile() did not return the key in the file")
		}
	})

	refused := []struct {
		name     string
		mode     os.FileMode
		content  string
		wantText string
	}{
		{"a world-readable file is refused", 0o644, GenerateKey(1).Export(), "chmod 600"},
		{"a group-readable file is refused", 0o640, GenerateKey(1).Export(), "chmod 600"},
		{"a group-writable file is refused", 0o620, GenerateKey(1).Export(), "chmod 600"},
		{"an others-only readable file is refused", 0o604, GenerateKey(1).Export(), "chmod 600"},
		{"an empty file is refused", 0o600, "", "bytes"},
		{"a file that is not a key is refused", 0o600, "hello\n", "base64"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "seal.key")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			_, err := LoadOrCreateKeyFile(path)
			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("LoadOrCreateKeyFile() error = %v, want one mentioning %q", err, tt.wantText)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.content {
				t.Error("the refused file was changed")
			}
		})
	}

	t.Run("a directory in place of the file is refused", func(t *testing.T) {
		path := t.TempDir()
		if err := os.Chmod(path, 0o700); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreateKeyFile(path); err == nil {
			t.Fatal("LoadOrCreateKeyFile() accepted a directory")
		}
	})

	t.Run("a missing directory is an error, not a new key elsewhere", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "no", "such", "seal.key")
		if _, err := LoadOrCreateKeyFile(path); err == nil {
			t.Fatal("LoadOrCreateKeyFile() succeeded without a directory")
		}
	})
}
