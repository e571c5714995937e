package analytics

import "slices"

// A dashboard asks for the clusters of the same periods again and again
// while the index does not change (another figure, another station, the
// period switched and back), and the server answers every user from one
// snapshot's index. The groups of a part (the complaints of one supplier
// station in the period, or all of them) are a function of the part's
// complaints, the options and the index's weights: they are kept until the
// index changes and given again to a part with exactly the same
// complaints. A period that moved without taking in or letting out a
// complaint of a station (the dashboard's "last 90 days", a few seconds
// later) finds that station's groups there.

// maxCachedSlots bounds what the cache holds (the complaints of its parts
// added up): past it, it starts again empty.
const maxCachedSlots = 1 << 20

// clusterCache holds the groups of the parts clustered since the index
// last changed.
type clusterCache struct {
	generation uint64   // the index's, when the groups were found
	order      []uint32 // every complaint's slot by (FiledAt, ID), nil until asked for
	parts      map[partKey][]cachedPart
	slots      int
	hits       int // parts given from the cache, for the tests
}

// partKey narrows the look-up; the part's complaints decide.
type partKey struct {
	threshold         float64
	minSize, topTerms int
	n                 int
	first, last       uint32
}

type cachedPart struct {
	slots  []uint32
	groups []Cluster
}

func keyOf(part []uint32, opts ClusterOptions) partKey {
	return partKey{opts.Threshold, opts.MinSize, opts.TopTerms, len(part), part[0], part[len(part)-1]}
}

// cachedGroups returns the groups of each part found while the index was
// at generation, and which parts were found. Called with ix.mu held.
func (ix *Index) cachedGroups(parts [][]uint32, opts ClusterOptions, generation uint64) ([][]Cluster, []bool) {
	groups, found := make([][]Cluster, len(parts)), make([]bool, len(parts))
	ix.clusterMu.Lock()
	defer ix.clusterMu.Unlock()
	cc := ix.clusterCacheAt(generation)
	for i, part := range parts {
		for _, c := range cc.parts[keyOf(part, opts)] {
			if slices.Equal(c.slots, part) {
				groups[i], found[i] = c.groups, true
				cc.hits++
				break
			}
		}
	}
	return groups, found
}

// keepGroups stores the groups of the parts not found in the cache.
func (ix *Index) keepGroups(parts [][]uint32, groups [][]Cluster, found []bool, opts ClusterOptions, generation uint64) {
	ix.clusterMu.Lock()
	defer ix.clusterMu.Unlock()
	cc := ix.clusterCacheAt(generation)
	if cc.slots > maxCachedSlots {
		cc.parts, cc.slots = map[partKey][]cachedPart{}, 0
	}
	for i, part := range parts {
		if !found[i] {
			k := keyOf(part, opts)
			cc.parts[k] = append(cc.parts[k], cachedPart{part, groups[i]})
			cc.slots += len(part)
		}
	}
}

// clusterCacheAt returns the cache, emptied if the index changed since
// it was filled. Called with ix.mu read-locked at that generation (so no
// later one can have filled it) and clusterMu held.
func (ix *Index) clusterCacheAt(generation uint64) *clusterCache {
	cc := &ix.clusterCache
	if cc.generation != generation || cc.parts == nil {
		*cc = clusterCache{generation: generation, parts: map[partKey][]cachedPart{}, hits: cc.hits}
	}
	return cc
}

// docsInOrder returns every complaint's slot by (FiledAt, ID), sorted once
// per generation. Called with ix.mu read-locked.
func (ix *Index) docsInOrder(generation uint64) []uint32 {
	ix.clusterMu.Lock()
	defer ix.clusterMu.Unlock()
	cc := ix.clusterCacheAt(generation)
	if cc.order == nil {
		cc.order = make([]uint32, 0, ix.live)
		for s := range ix.docs {
			if ix.docs[s].alive {
				cc.order = append(cc.order, uint32(s))
			}
		}
		slices.SortFunc(cc.order, ix.compareDocs)
	}
	return cc.order
}

// cloned copies a cluster's lists, so that a caller changing them does not
// change the cache.
func (c Cluster) cloned() Cluster {
	c.Complaints, c.SupplierStations, c.TopTerms = slices.Clone(c.Complaints), slices.Clone(c.SupplierStations), slices.Clone(c.TopTerms)
	return c
}
