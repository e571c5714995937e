// Package analytics turns the folded states of complaints, actions and
// preventive plans into what a quality engineer and a plant manager decide
// from: recurrences, the effectiveness of prevention measured from the
// data, the indicators of a period, station scorecards, similar complaints
// and recurring themes.
//
// Everything is a pure function of its inputs: a Dataset (the states), a
// Filter, Settings and the moment now, which is always passed in and never
// read from the clock. The server and a workstation holding the same events
// therefore compute the same figures, in the same order. The formulas and
// denominators are written for people in docs/kpis.md; the comments here
// say why the code is shaped the way it is.
//
// Typical use:
//
//	ds := analytics.NewDataset(analytics.Input{Complaints: cs, Actions: as, Plans: ps})
//	rep := ds.Indicators(filter, analytics.DefaultSettings(), now)
//	cards := ds.Scorecards(filter, analytics.DefaultSettings(), now)
//
//	ix := analytics.NewIndex(analytics.IndexOptions{})
//	ix.AddAll(cs)
//	hints := ix.Similar("rayures profondes sur le carter", "PRESSE", 5)
package analytics
