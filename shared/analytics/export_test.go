package analytics

// FindProblems computes the problems afresh, bypassing the dataset's
// cache, for the benchmarks.
func (ds *Dataset) FindProblems() *Problems { return ds.findProblems() }
