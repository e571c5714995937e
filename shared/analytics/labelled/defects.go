package labelled

import (
	"fmt"
	"strings"

	"boucle/shared/domain"
)

// Defect is one problem of the catalogue the plant is drawn from, written
// once and cleanly: what the demo plant files when it needs a problem of
// its own.
type Defect struct {
	Supplier    string
	Category    string
	Part        string    // reference and designation, as the demo writes parts
	Description [2]string // French, English
	Cause       [2]string
	Whys        []string
	Ishikawa    domain.Ishikawa
}

// Defects returns a problem per failure mode of the catalogue, with its
// first cause (per part for a cause of the part's own), in a fixed order.
func Defects() []Defect {
	var out []Defect
	for i := range modes {
		m := &modes[i]
		parts := partsOf[m.station]
		for j, c := range m.causes[:1] { // one cause: the same symptom on a part is one problem
			perPart := strings.Contains(c.fr, "%s")
			for k, pt := range parts {
				if !perPart && k > 0 {
					break
				}
				d := Defect{Supplier: m.station, Category: m.category, Part: pt.ref + " " + pt.fr,
					Whys: c.whys, Ishikawa: c.ishikawa, Cause: [2]string{c.fr, c.en}}
				if perPart {
					d.Cause = [2]string{fmt.Sprintf(c.fr, pt.ref), fmt.Sprintf(c.en, pt.ref)}
				}
				n, q := (j+k)%len(m.fr), 3+(i*7+k*5)%30
				d.Description = [2]string{
					capital(m.fr[n]) + " sur " + strings.ToLower(pt.fr) + ", " + quantity(howMuchFR[(i+k)%len(howMuchFR)], q) + ". " + foundFR[(i+j+k)%len(foundFR)],
					capital(m.en[n]) + " on the " + pt.en + ", " + quantity(howMuchEN[(i+k)%len(howMuchEN)], q) + ". " + foundEN[(i+j+k)%len(foundEN)],
				}
				out = append(out, d)
			}
		}
	}
	return out
}

// quantity fills the count of a "how much" piece that has one.
func quantity(piece string, n int) string {
	if strings.Contains(piece, "%d") {
		return fmt.Sprintf(piece, n)
	}
	return piece
}
