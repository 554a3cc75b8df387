package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"tulieu/store"
	"tulieu/warc"
)

// BackupOptions are the arguments of `tulieu backup`.
type BackupOptions struct {
	Dir string
}

// NewCmdBackup builds `tulieu backup`.
func NewCmdBackup(f *Factory, runF func(context.Context, *BackupOptions) error) *cobra.Command {
	opts := &BackupOptions{}
	cmd := &cobra.Command{
		Use:   "backup DIR",
		Short: "Copy the data directory consistently, even while serve or a crawl runs",
		Long: `Copy the archive into DIR (new or empty), consistently, while tulieu serve or a crawl may be
running: the catalog through SQLite's own online copy (VACUUM INTO), taken first; then every WARC
file (a file a crawl is still writing, up to its last complete record: all the catalog's copy
refers to) with its CDXJ index; then the search index, rebuilt in DIR from the copied catalog.
` + "`tulieu --data DIR check`" + ` is clean on the copy.`,
		Example: "  tulieu backup /mnt/backup/tulieu-$(date +%F)",
		Args:    exactArgs(1, "the directory to copy into"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runBackup(cmd.Context(), f, opts)
		},
	}
	return cmd
}

func runBackup(ctx context.Context, f *Factory, opts *BackupOptions) error {
	if strings.TrimSpace(opts.Dir) == "" {
		// An unset $BACKUP_DIR: the copy would go to "..tulieu-partial"
		// in the current directory.
		return usageErrorf("the backup directory is empty: name where to back up, e.g. tulieu backup /srv/backup/tulieu-2026-12-07")
	}
	if entries, err := os.ReadDir(opts.Dir); err == nil && !emptyForBackup(opts.Dir, entries) {
		return usageErrorf("%s is not empty: back up into a new or empty directory", opts.Dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if sameDir(opts.Dir, f.DataDir) {
		return usageErrorf("%s is the data directory itself", opts.Dir)
	}
	if insideDir(opts.Dir, f.DataDir) {
		// Its folders belong to tulieu: a crawl empties spool/, a
		// reindex replaces index/; a backup there is not safe.
		return usageErrorf("%s is inside the data directory %s: back up somewhere else", opts.Dir, f.DataDir)
	}
	st, err := f.OpenStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	// A new DIR is made beside it and renamed to it once complete: an
	// interrupted or failed backup leaves no directory that looks like an
	// archive with files missing, and can simply be run again. An empty
	// DIR that exists (a mounted disk, a link to one) is written into: it
	// cannot be replaced by a rename.
	// Written into, it holds a mark until the copy is complete: a backup
	// that failed or was killed there is run again over what it left.
	work := strings.TrimSuffix(filepath.Clean(opts.Dir), string(filepath.Separator)) + ".tulieu-partial"
	if _, err := os.Stat(opts.Dir); err == nil {
		work = opts.Dir
		if err := clearBackup(work); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(work, backupMark), []byte("a tulieu backup is being written here; this file goes when it is complete\n"), 0o644); err != nil {
			return err
		}
	} else if err := os.RemoveAll(work); err != nil { // what an interrupted backup left
		return err
	}
	nfiles, bytes, docs, err := writeBackup(ctx, f, st, work)
	if err != nil {
		if work != opts.Dir {
			os.RemoveAll(work)
		} else {
			clearBackup(work)
			os.Remove(filepath.Join(work, backupMark))
		}
		return err
	}
	if work == opts.Dir {
		if err := os.Remove(filepath.Join(work, backupMark)); err != nil {
			return err
		}
	}
	if work != opts.Dir {
		if err := os.Rename(work, opts.Dir); err != nil {
			os.RemoveAll(work)
			return fmt.Errorf("put the backup in place: %w", err)
		}
	}
	f.Logger().Info("backup done", "dir", opts.Dir, "warc_files", nfiles, "warc_bytes", bytes, "indexed", docs)
	fmt.Fprintf(f.IO.Out, "backed up %s to %s: catalog, %d WARC files (%s), search index of %d documents\n",
		f.DataDir, opts.Dir, nfiles, humanBytes(bytes), docs)
	return nil
}

// backupMark is the file a backup written into an existing directory
// keeps there until it is complete.
const backupMark = ".tulieu-backup-unfinished"

// backupEntries are what a backup writes into its directory.
var backupEntries = []string{store.CatalogFile, store.CatalogFile + "-wal", store.CatalogFile + "-shm", store.WARCDir, store.IndexDir, "spool"}

// clearBackup removes from dir what an unfinished backup wrote there, if
// it holds the mark of one.
func clearBackup(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, backupMark)); err != nil {
		return nil
	}
	for _, name := range backupEntries {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// emptyForBackup says whether a directory holding entries is empty as a
// backup target: nothing in it, or only an empty lost+found (the root of
// a disk just formatted with ext2/3/4, which the README's "a mounted
// disk" is), or what a backup that did not complete left there with its
// mark.
func emptyForBackup(dir string, entries []os.DirEntry) bool {
	unfinished := slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == backupMark })
	for _, e := range entries {
		if unfinished && (e.Name() == backupMark || slices.Contains(backupEntries, e.Name())) {
			continue
		}
		if e.Name() != "lost+found" || !e.IsDir() {
			return false
		}
		if inner, err := os.ReadDir(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrPermission) || len(inner) > 0 {
			return false
		}
	}
	return true
}

// writeBackup writes the copy of the archive into dir: the catalog, the
// WARC files with their indexes, the search index.
func writeBackup(ctx context.Context, f *Factory, st *store.Store, dir string) (nfiles int, copiedBytes int64, docs uint64, err error) {
	opts := &BackupOptions{Dir: dir}
	if err := os.MkdirAll(filepath.Join(opts.Dir, store.WARCDir), 0o755); err != nil {
		return 0, 0, 0, err
	}
	// The catalog first: everything it refers to is already in the WARC
	// files, which are only ever appended to.
	catalog := filepath.Join(opts.Dir, store.CatalogFile)
	if _, err := st.DB().ExecContext(ctx, "VACUUM INTO ?", catalog); err != nil {
		return 0, 0, 0, fmt.Errorf("copy the catalog: %w", err)
	}
	files, err := warc.Files(st.WARCPath())
	if err != nil {
		return 0, 0, 0, err
	}
	for _, path := range files {
		n := int64(-1) // all of it
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".open") {
			n, err = warc.CompleteLength(path)
			if errors.Is(err, os.ErrNotExist) {
				// The crawl finished the file meanwhile (at its end,
				// or rotating): it is under its final name now, whole.
				path, n, err = strings.TrimSuffix(path, ".open"), -1, nil
			}
			if err != nil {
				return 0, 0, 0, fmt.Errorf("%s: %w", name, err)
			}
			name = strings.TrimSuffix(name, ".open")
		}
		dst := filepath.Join(opts.Dir, store.WARCDir, name)
		copied, err := copyFile(path, dst, n)
		if errors.Is(err, os.ErrNotExist) && strings.HasSuffix(path, ".open") {
			// The crawl finished the file meanwhile (at its end, or
			// rotating): it is under its final name now, whole.
			copied, err = copyFile(strings.TrimSuffix(path, ".open"), dst, n)
		}
		if err != nil {
			return 0, 0, 0, fmt.Errorf("copy %s: %w", name, err)
		}
		copiedBytes += copied
		// The index of the copy, made from the copy.
		if _, err := warc.IndexFile(dst); err != nil {
			return 0, 0, 0, fmt.Errorf("index %s: %w", name, err)
		}
	}
	// The search index, rebuilt from the copied catalog: consistent with it
	// by construction, whatever the live index was doing meanwhile.
	bf := *f
	bf.DataDir = opts.Dir
	bst, err := bf.OpenStore(ctx, true)
	if err != nil {
		return 0, 0, 0, err
	}
	defer bst.Close()
	ix, err := bf.OpenIndex(ctx, bst)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("build the copy's search index: %w", err)
	}
	docs, _ = ix.Count()
	ix.Close()
	return len(files), copiedBytes, docs, nil
}

// copyFile copies n bytes of src (all of it when n < 0) to a new file dst,
// synced, and returns how many it copied.
func copyFile(src, dst string, n int64) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, err
	}
	var r io.Reader = in
	if n >= 0 {
		r = io.LimitReader(in, n)
	}
	copied, err := io.Copy(out, r)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return copied, err
}

// insideDir says whether dir is within parent (not parent itself), with
// symbolic links resolved where they exist.
func insideDir(dir, parent string) bool {
	resolve := func(p string) string {
		abs, err := filepath.Abs(p)
		if err != nil {
			return p
		}
		// dir may not exist yet: resolve its nearest existing ancestor.
		rest := ""
		for cur := abs; ; cur = filepath.Dir(cur) {
			if r, err := filepath.EvalSymlinks(cur); err == nil {
				return filepath.Join(r, rest)
			}
			if filepath.Dir(cur) == cur {
				return abs
			}
			rest = filepath.Join(filepath.Base(cur), rest)
		}
	}
	d, p := resolve(dir), resolve(parent)
	rel, err := filepath.Rel(p, d)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
