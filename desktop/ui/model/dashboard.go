package model

import (
	"time"

	"boucle/shared/analytics"
)

// Period is how far back the dashboard looks.
type Period string

// The dashboard's periods.
const (
	Last30Days   Period = "30d"
	Last90Days   Period = "90d"
	Last12Months Period = "12m"
	Month        Period = "month" // the calendar month holding DashboardQuery.Month
)

// DashboardQuery is the dashboard's filter.
type DashboardQuery struct {
	Period Period
	Month  time.Time // any moment of the month, for Period Month
	// Station is a supplier station's code; "" is every station.
	Station string
}

// Dashboard is what the dashboard shows for a query.
type Dashboard struct {
	Report   analytics.Report
	Clusters []ClusterRow
	Numbers  map[string]string // complaint id → number, for the clusters
	// Plans counts the preventive plans by stage now, whatever the period
	// (of the query's supplier station when it names one).
	Plans PlanStages
	// Problems are the problems that came back in the period, most
	// recurrences first (problem.go).
	Problems []RecurringProblem
	// Themes are the words most complaints of the period hold, each with
	// its problems (problem.go).
	Themes []ThemeRow
}

// PlanStages counts plans waiting for a signature, approved but not
// started, and under way: what moves when a manager signs.
type PlanStages struct {
	Submitted, Approved, InProgress int
}

// ClusterRow is a group of similar complaints in the period; IDs[i] is
// the complaint numbered Numbers[i].
type ClusterRow struct {
	Terms   []string
	Numbers []string
	IDs     []string
}

// Charts are the dashboard's charts as PNG bytes; an empty slice is a
// chart that could not be drawn.
type Charts struct {
	Categories, Suppliers, Trend, Resolve []byte
}

// ChartTitles are the charts' titles and axis labels, in the UI's language.
type ChartTitles struct {
	Categories, Suppliers, Trend, Resolve, Days, Complaints string
}

// ExportKind names one of the dashboard's exports.
type ExportKind string

// The exports.
const (
	ExportComplaintsXLSX ExportKind = "complaints.xlsx"
	ExportComplaintsCSV  ExportKind = "complaints.csv"
	ExportActionsXLSX    ExportKind = "actions.xlsx"
	ExportActionsCSV     ExportKind = "actions.csv"
	ExportMonthlyPDF     ExportKind = "monthly.pdf"
)
