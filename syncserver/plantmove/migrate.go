package plantmove

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"boucle/shared/boltstore"
	"boucle/syncserver"
	"boucle/syncserver/pgstore"
)

// Migrate copies the plant in the data directory dir (its bbolt store,
// the server stopped) into plant of the PostgreSQL database at url, or
// checks it is there (Copy). It refuses, touching neither side, a source
// that fails its integrity check (boltstore.Check, as 'boucle-server
// check' runs it) and a database whose schema is newer than this binary.
func Migrate(ctx context.Context, dir, url, plant string, opts Options) (*Report, error) {
	if err := checkSource(dir); err != nil {
		return nil, err
	}
	dst, err := pgstore.Open(ctx, url)
	var tooNew *pgstore.SchemaTooNewError
	if errors.As(err, &tooNew) {
		return nil, fmt.Errorf("--to: %w. Nothing was copied", err)
	}
	if err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	defer dst.Close()
	src, err := syncserver.OpenStore(dir, boltstore.Options{}, nil)
	if err != nil {
		return nil, fmt.Errorf("--from %s: %w", dir, err)
	}
	defer src.Close()
	return Copy(ctx, src, dst, plant, opts)
}

// checkSource runs the offline check of the bbolt store in dir.
func checkSource(dir string) error {
	path := filepath.Join(dir, syncserver.StoreFile)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("--from %s: no plant store there (%s): %w", dir, syncserver.StoreFile, err)
	}
	r, err := boltstore.Check(path)
	if errors.Is(err, boltstore.ErrInUse) {
		return fmt.Errorf("--from %s: %w: stop the server before copying its plant", dir, err)
	}
	if err != nil {
		return fmt.Errorf("--from %s: %w", dir, err)
	}
	if len(r.Problems) > 0 || r.Damaged > 0 || len(r.Quarantined) > 0 {
		first := "damaged or quarantined events"
		if len(r.Problems) > 0 {
			first = r.Problems[0]
		}
		return fmt.Errorf("--from %s: the store fails its integrity check (%d problems; the first: %s): nothing was copied. "+
			"Run 'boucle-server check --data %s', restore the last good backup, and copy that", dir, len(r.Problems), first, dir)
	}
	return nil
}
