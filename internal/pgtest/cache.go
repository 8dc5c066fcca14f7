package pgtest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// clusterFormat changes whenever initdb's arguments change, so that clusters
// cached by an older version of this package are not reused.
const clusterFormat = "v1 -A trust -U postgres -E UTF8 C.UTF-8|no-locale"

// initCluster fills s.dataDir with a new cluster. initdb is most of the cost
// of Start (over a second of CPU, far more on a loaded two-core machine) and
// always produces the same files, so its result is cached per user and
// copied, which takes a fraction of that. Any trouble with the cache falls
// back to running initdb.
func (s *Server) initCluster(ctx context.Context) error {
	cached := cachedClusterDir(s.binDir)
	if cached != "" {
		if _, err := os.Stat(cached); err == nil {
			if err := copyTree(ctx, cached, s.dataDir); err == nil {
				return nil
			}
			_ = os.RemoveAll(s.dataDir)
		}
	}
	if err := s.initdb(ctx); err != nil {
		return err
	}
	if cached != "" {
		fillCache(ctx, s.dataDir, cached)
	}
	return nil
}

// cachedClusterDir names the cache entry for these binaries, or "" when the
// user has no cache directory. It lives in the user's own cache, not in the
// shared /tmp, because a cluster's configuration can run commands: nobody
// else may be able to plant one.
func cachedClusterDir(binDir string) string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintln(h, clusterFormat, binDir)
	// An upgraded PostgreSQL replaces its binaries; their size and time
	// then give a new key, and the old entry is simply no longer used.
	for _, name := range []string{"initdb", "postgres"} {
		info, err := os.Stat(filepath.Join(binDir, name))
		if err != nil {
			return ""
		}
		fmt.Fprintln(h, name, info.Size(), info.ModTime().UnixNano())
	}
	return filepath.Join(base, "peercircle", "pgtest", fmt.Sprintf("cluster-%x", h.Sum(nil)[:8]))
}

// fillCache stores a copy of a freshly made cluster. It copies into a
// temporary name and renames, so a test binary running in parallel sees
// either no entry or a complete one; losing the race is harmless.
func fillCache(ctx context.Context, dataDir, cached string) {
	if err := os.MkdirAll(filepath.Dir(cached), 0o700); err != nil {
		return
	}
	tmp, err := os.MkdirTemp(filepath.Dir(cached), filepath.Base(cached)+".tmp-")
	if err != nil {
		return
	}
	defer os.RemoveAll(tmp)
	if copyTree(ctx, dataDir, filepath.Join(tmp, "data")) != nil {
		return
	}
	_ = os.Rename(filepath.Join(tmp, "data"), cached)
}

// copyTree copies a cluster directory with cp -a, which keeps the owner
// (postgres, when we run as root) and the 0700 mode postgres insists on.
func copyTree(ctx context.Context, src, dst string) error {
	if out, err := exec.CommandContext(ctx, "cp", "-a", src, dst).CombinedOutput(); err != nil {
		return fmt.Errorf("cp -a %s %s: %w\n%s", src, dst, err, out)
	}
	return nil
}
