package docker

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// LayerIndex keeps what layers hold, by diff id, in a folder: a layer whose
// files were read once (from any image that has it) opens at once after.
//
// It is content-addressed: a listing is filed under the sha256 of the layer's
// tar as it was read, computed while reading, so nothing but that tar's own
// listing can ever be found under a diff id. Files are written whole and
// renamed into place, so windows (and processes) sharing the folder never
// see half of one; the folder is kept under its size bound by removing the
// listings used least recently.
type LayerIndex struct {
	dir string
	max int64
}

// DefaultLayerIndexBytes bounds the index: a 2,000-file layer takes ~20 kB.
const DefaultLayerIndexBytes = 32 << 20

// OpenLayerIndex is the index in dir (made if missing, private to its user),
// kept under maxBytes (DefaultLayerIndexBytes when ≤ 0).
func OpenLayerIndex(dir string, maxBytes int64) *LayerIndex {
	if maxBytes <= 0 {
		maxBytes = DefaultLayerIndexBytes
	}
	return &LayerIndex{dir: dir, max: maxBytes}
}

// indexName is the file of a diff id ("" for anything that is not a
// sha256 digest: nothing else is filed).
func (x *LayerIndex) indexName(digest, ext string) string {
	hex, ok := strings.CutPrefix(digest, "sha256:")
	if !ok || len(hex) != 64 || strings.Trim(hex, "0123456789abcdef") != "" {
		return ""
	}
	return filepath.Join(x.dir, hex+ext)
}

// Has reports whether the listing of diffID is kept.
func (x *LayerIndex) Has(diffID string) bool {
	if x == nil {
		return false
	}
	name := x.indexName(diffID, ".idx")
	if name == "" {
		return false
	}
	_, err := os.Stat(name)
	return err == nil
}

// get is the kept listing of diffID.
func (x *LayerIndex) get(diffID string) (listing, bool) {
	if x == nil {
		return listing{}, false
	}
	name := x.indexName(diffID, ".idx")
	if name == "" {
		return listing{}, false
	}
	f, err := os.Open(name)
	if err != nil {
		return listing{}, false
	}
	defer f.Close()
	l, err := readListing(f)
	if err != nil {
		return listing{}, false // a damaged file is as good as none: the layer is read again
	}
	now := time.Now()
	os.Chtimes(name, now, now) //nolint:errcheck // only the pruning order
	return l, true
}

// alias is the diff id of a blob (a compressed layer, by its own digest).
func (x *LayerIndex) alias(blob string) string {
	if x == nil {
		return ""
	}
	name := x.indexName(blob, ".blob")
	if name == "" {
		return ""
	}
	b, err := os.ReadFile(name)
	if err != nil || len(b) > 100 {
		return ""
	}
	d := strings.TrimSpace(string(b))
	if x.indexName(d, "") == "" {
		return ""
	}
	return d
}

// put keeps l as diffID's listing, and that blob (when not "") is that layer
// compressed.
func (x *LayerIndex) put(diffID, blob string, l listing) error {
	if x == nil {
		return nil
	}
	name := x.indexName(diffID, ".idx")
	if name == "" {
		return fmt.Errorf("not a digest: %q", diffID)
	}
	if err := os.MkdirAll(x.dir, 0o700); err != nil {
		return err
	}
	if err := x.writeWhole(name, func(w io.Writer) error { return writeListing(w, l) }); err != nil {
		return err
	}
	if an := x.indexName(blob, ".blob"); an != "" && blob != diffID {
		if err := x.writeWhole(an, func(w io.Writer) error { _, err := io.WriteString(w, diffID); return err }); err != nil {
			return err
		}
	}
	return x.prune()
}

// writeWhole writes a file under a temporary name and renames it into place.
func (x *LayerIndex) writeWhole(name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(x.dir, ".tmp-*")
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// prune removes the listings used least recently until the folder is under
// three quarters of its bound (temporary files of writers that died, after
// a minute).
func (x *LayerIndex) prune() error {
	des, err := os.ReadDir(x.dir)
	if err != nil {
		return err
	}
	type file struct {
		name string
		size int64
		at   time.Time
	}
	var files []file
	var total int64
	for _, de := range des {
		info, err := de.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if strings.HasPrefix(de.Name(), ".tmp-") {
			if time.Since(info.ModTime()) > time.Minute {
				os.Remove(filepath.Join(x.dir, de.Name()))
			}
			continue
		}
		files = append(files, file{de.Name(), info.Size(), info.ModTime()})
		total += info.Size()
	}
	if total <= x.max {
		return nil
	}
	sort.Slice(files, func(a, b int) bool { return files[a].at.Before(files[b].at) })
	for _, f := range files {
		if total <= x.max*3/4 {
			break
		}
		if os.Remove(filepath.Join(x.dir, f.name)) == nil {
			total -= f.size
		}
	}
	return nil
}

// A listing on disk is gzip'd text: a head line "layerlab-index 1 TOTAL
// BYTES", then one entry a line: flags, size, path and link, tab-separated
// (paths and links quoted as Go strings).
const listingMagic = "layerlab-index 1"

func writeListing(w io.Writer, l listing) error {
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriter(zw)
	fmt.Fprintf(bw, "%s %d %d\n", listingMagic, l.total, l.bytes)
	for _, e := range l.entries {
		flags := ""
		for _, f := range []struct {
			on bool
			c  string
		}{{e.dir, "d"}, {e.whiteout, "w"}, {e.opaque, "o"}} {
			if f.on {
				flags += f.c
			}
		}
		if flags == "" {
			flags = "-"
		}
		fmt.Fprintf(bw, "%s\t%d\t%s\t%s\n", flags, e.size, strconv.Quote(e.path), strconv.Quote(e.link))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

func readListing(r io.Reader) (listing, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return listing{}, err
	}
	defer zr.Close()
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var l listing
	if !sc.Scan() {
		return l, errors.New("empty index file")
	}
	head := strings.Fields(sc.Text())
	if len(head) != 4 || head[0]+" "+head[1] != listingMagic {
		return l, errors.New("not an index file")
	}
	if l.total, err = strconv.Atoi(head[2]); err != nil {
		return l, err
	}
	if l.bytes, err = strconv.ParseInt(head[3], 10, 64); err != nil {
		return l, err
	}
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 {
			return l, errors.New("a damaged line")
		}
		var e entry
		e.dir, e.whiteout, e.opaque = strings.Contains(f[0], "d"), strings.Contains(f[0], "w"), strings.Contains(f[0], "o")
		if e.size, err = strconv.ParseInt(f[1], 10, 64); err != nil {
			return l, err
		}
		if e.path, err = strconv.Unquote(f[2]); err != nil {
			return l, err
		}
		if e.link, err = strconv.Unquote(f[3]); err != nil {
			return l, err
		}
		if e.whiteout {
			// The whiteout's own entry, as the tar named it.
			e.wh = path.Join(path.Dir(e.path), ".wh."+path.Base(e.path))
		}
		l.entries = append(l.entries, e)
	}
	return l, sc.Err()
}
