package syncserver

// SeriesCode exposes the series letters to the tests.
var SeriesCode = seriesCode
