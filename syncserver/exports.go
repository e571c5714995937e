package syncserver

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"slices"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/report"

	"github.com/gin-gonic/gin"
)

// The documents: CSV and XLSX exports of complaints and actions with the
// filter of the reports, the 8D report of one complaint and the monthly
// plant report, written by shared/report. Each is written to memory first,
// so that a failure is still answered as a JSON error, then sent whole.

// exportFormat is a spreadsheet format and its media type.
type exportFormat struct {
	ext, contentType string
}

var (
	csvFormat  = exportFormat{"csv", "text/csv; charset=utf-8"}
	xlsxFormat = exportFormat{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
)

const pdfType = "application/pdf"

// exportOptions are the options of a spreadsheet in the request's
// language: dates in the plant's calendar, names from the directory, and
// for French the separator and byte-order mark French Excel expects.
func (s *Server) exportOptions(sn *snapshot, lang report.Lang, now time.Time) report.ExportOptions {
	opt := report.ExportOptions{Lang: lang, Location: s.cfg.Analytics.Location, Directory: sn.directory(), Now: now, BOM: true}
	if lang == report.French {
		opt.Comma = ';'
	}
	return opt
}

// exportComplaints: GET /reports/complaints.{csv,xlsx}, the complaints
// passing the filter, in filing order.
func (s *Server) exportComplaints(f exportFormat) gin.HandlerFunc {
	return func(c *gin.Context) {
		var lang report.Lang
		rq, sn, ok := s.reportRequest(c, func(q *query) { lang = q.lang() })
		if !ok {
			return
		}
		rows := values(sn.ds.Complaints(rq.Filter))
		write := report.WriteComplaintsCSV
		if f == xlsxFormat {
			write = report.WriteComplaintsXLSX
		}
		s.sendDocument(c, f.contentType, "complaints-"+s.dateOf(rq.Now)+"."+f.ext, func(w io.Writer) error {
			return write(w, rows, s.exportOptions(sn, lang, rq.Now))
		})
	}
}

// exportActions: GET /reports/actions.{csv,xlsx}, the actions passing the
// filter through what they answer for (analytics.Dataset.Actions), by id.
func (s *Server) exportActions(f exportFormat) gin.HandlerFunc {
	return func(c *gin.Context) {
		var lang report.Lang
		rq, sn, ok := s.reportRequest(c, func(q *query) { lang = q.lang() })
		if !ok {
			return
		}
		rows := values(sn.ds.Actions(rq.Filter))
		write := report.WriteActionsCSV
		if f == xlsxFormat {
			write = report.WriteActionsXLSX
		}
		s.sendDocument(c, f.contentType, "actions-"+s.dateOf(rq.Now)+"."+f.ext, func(w io.Writer) error {
			return write(w, rows, s.exportOptions(sn, lang, rq.Now))
		})
	}
}

// monthlyReport: GET /reports/monthly.pdf?month=2026-10 (default: the
// current month), with the filter's stations, category and severity (its
// period is the month's).
func (s *Server) monthlyReport(c *gin.Context) {
	var lang report.Lang
	var month time.Time
	rq, sn, ok := s.reportRequest(c, func(q *query) {
		lang = q.lang()
		month = q.month("month", s.cfg.Analytics.Location, s.now())
	})
	if !ok {
		return
	}
	in := report.Monthly{Dataset: sn.ds, Month: month, Filter: rq.Filter, Settings: rq.Settings, Now: rq.Now,
		Plant: s.cfg.Plant, Directory: sn.directory(), Lang: lang, Complaints: sn.in.Complaints, GeneratedAt: rq.Now}
	s.sendDocument(c, pdfType, "monthly-"+month.Format("2006-01")+".pdf", func(w io.Writer) error { return report.WriteMonthly(w, in) })
}

// month reads a month (2026-10) in loc; the month holding now when absent.
func (q *query) month(name string, loc *time.Location, now time.Time) time.Time {
	v := q.str(name)
	if v == "" {
		now = now.In(loc)
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	}
	m, err := time.ParseInLocation("2006-01", v, loc)
	if err != nil || m.Year() < 2000 || m.Year() > 2200 {
		q.fail(domain.FieldError(name, "must be a month (2026-10)"))
		return time.Time{}
	}
	return m
}

// eightD: GET /complaints/{id or number}/8d.pdf, the 8D report of one
// complaint with its actions, the plans naming it or holding its actions
// and its whole timeline, read in one transaction. Operators do not see
// internal notes, here as in the complaint's view.
func (s *Server) eightD(c *gin.Context) {
	q := &query{c: c}
	lang := q.lang()
	if q.err != nil {
		_ = c.Error(q.err)
		return
	}
	in := report.EightD{Lang: lang, Location: s.cfg.Analytics.Location, GeneratedAt: s.now()}
	err := s.views.ViewProjections(c.Request.Context(), func(t ProjectionTx) error {
		st, err := complaintByRef(t, c.Param("id"))
		if err != nil {
			return err
		}
		d := ComplaintDetail{Complaint: st.Complaint}
		if d.Timeline, err = t.Timeline(st.Complaint.ID); err != nil {
			return err
		}
		s.showInternalNotes(&d, principalOf(c).Role)
		st.Complaint = d.Complaint
		in.Complaint = st
		for _, te := range d.Timeline {
			in.Timeline = append(in.Timeline, report.TimelineEvent(te))
		}
		actions, err := t.ListActions(boltstore.ActionFilter{ComplaintID: st.Complaint.ID, Limit: boltstore.MaxPageSize})
		if err != nil {
			return err
		}
		in.Actions = actions.Actions
		plans, err := t.Plans()
		if err != nil {
			return err
		}
		actionIDs := make([]string, len(in.Actions))
		for i, a := range in.Actions {
			actionIDs[i] = a.ID
		}
		for _, p := range plans {
			if slices.Contains(p.Complaints, st.Complaint.ID) || slices.ContainsFunc(p.Actions, func(id string) bool { return slices.Contains(actionIDs, id) }) {
				in.Plans = append(in.Plans, p)
			}
		}
		in.Directory, err = directoryOf(t)
		if err != nil {
			return err
		}
		in.Directory.Complaints[st.Complaint.ID] = st.Complaint.Number
		for _, p := range in.Plans {
			in.Directory.Plans[p.ID] = p.Title
		}
		return nil
	})
	if err != nil {
		_ = c.Error(err)
		return
	}
	s.sendDocument(c, pdfType, "8D-"+in.Complaint.Complaint.Number+".pdf", func(w io.Writer) error { return report.WriteEightD(w, in) })
}

// directoryOf reads the users, stations and categories.
func directoryOf(t ProjectionTx) (*report.Directory, error) {
	users, err := t.Users()
	if err != nil {
		return nil, err
	}
	stations, err := t.Stations()
	if err != nil {
		return nil, err
	}
	categories, err := t.Categories()
	if err != nil {
		return nil, err
	}
	return report.NewDirectory(users, stations, categories), nil
}

// sendDocument writes a document to memory and sends it as an attachment.
func (s *Server) sendDocument(c *gin.Context, contentType, filename string, write func(io.Writer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		_ = c.Error(err)
		return
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	c.Data(http.StatusOK, contentType, buf.Bytes())
}

// dateOf is the date of t in the plant's calendar, for file names.
func (s *Server) dateOf(t time.Time) string {
	return t.In(s.cfg.Analytics.Location).Format(time.DateOnly)
}

// values copies the entities the dataset points to, for the writers that
// take slices of values.
func values[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}
