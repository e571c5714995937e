package analytics

// FindProblems computes the problems afresh, bypassing the dataset's
// cache, for the benchmarks.
func (ds *Dataset) FindProblems() *Problems { return ds.findProblems() }

// ClusterCacheHits counts the parts Clusters gave from its cache.
func (ix *Index) ClusterCacheHits() int {
	ix.clusterMu.Lock()
	defer ix.clusterMu.Unlock()
	return ix.clusterCache.hits
}

// ForgetClusters empties the clusters' cache, so that the next Clusters
// finds them afresh.
func (ix *Index) ForgetClusters() {
	ix.clusterMu.Lock()
	defer ix.clusterMu.Unlock()
	ix.clusterCache = clusterCache{}
}
