// Package report turns what Boucle records into documents people keep or
// send: CSV and XLSX exports of complaints and actions, PNG charts (Pareto,
// weekly trend, time-to-resolve distribution), the PDF 8D report of one
// complaint and the monthly plant report.
//
// The package is pure Go and framework-free, like the domain: its inputs are
// domain values and shared/analytics results, its outputs bytes written to
// an io.Writer (or returned, for the PNG charts a screen shows). The
// desktop app and the server call the same functions, so a workstation and
// the server produce the same document from the same events.
//
// Every function takes a Lang (English or French): the labels live in one
// table, labels.go. Dates are written in the time zone the caller passes
// (the plant's), never read from the machine's clock: the moment a document
// is "generated at" is an input too, so that the same input gives the same
// bytes.
//
// Libraries: github.com/xuri/excelize/v2 for XLSX, gonum.org/v1/plot for the
// charts and codeberg.org/go-pdf/fpdf (the maintained home of gofpdf, and
// already a dependency of gonum/plot) for the PDFs. The PDFs embed the
// Liberation Sans fonts, which the charts use too: accented text renders
// everywhere and the charts match the text around them.
package report
