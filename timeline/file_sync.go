package timeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// writeFile replaces the file at path so that a crash leaves either the old
// content or the new one, never a mix: it writes data to a temporary file
// in the same directory, fsyncs and closes it, renames it over path, then
// [syncDir] makes the rename itself durable. The file gets mode perm
// (before umask) when it is created. On error, path is unchanged and the
// temporary file is removed. Errors are *os.PathError or *os.LinkError
// values from the step that failed.
func writeFile(path string, data []byte, perm os.FileMode) (err error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes the entries of directory dir (files created, renamed or
// removed in it) durable with fsync. A system or file system that cannot
// sync a directory (EINVAL, ENOTSUP, or a platform without directory
// handles) is not an error: there the directory is as durable as the
// system makes it, and nothing more can be done. Every other error is
// returned, naming dir.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if unsupported(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}

// unsupported reports whether err says that directories cannot be synced
// here, rather than that syncing failed.
func unsupported(err error) bool {
	return errors.Is(err, os.ErrInvalid) || errors.Is(err, syscall.EINVAL) ||
		errors.Is(err, syscall.ENOTSUP) || errors.Is(err, errors.ErrUnsupported)
}
