package syncclient_test

import (
	"fmt"
	"regexp"
	"testing"

	"boucle/shared/boltstore"
)

// Two workstations of PRESS2, both offline, both file complaints, then
// both sync: every number is distinct and every filing accepted. Before
// each workstation numbered from the station's counter: PRESS2-<year>-0001
// twice, and the server refused the second (issue #10).
func TestE2ETwoOfflineWorkstationsOfOneStationNumberApart(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t)
		var desks [2]*workstation
		var proxies [2]*flakyProxy
		numbers := map[string]string{} // number → workstation
		for i := range desks {
			proxies[i] = newProxy(t, p.srv.URL())
			w, s := p.signedIn(t, fmt.Sprintf("press2-desk%d", i+1), "op1", proxies[i])
			desks[i] = w
			proxies[i].setOffline(true)
			for n := range 3 {
				id := w.fileComplaint(t, s, fmt.Sprintf("filed offline at desk %d, #%d", i+1, n+1))
				var number string
				_ = w.store.View(func(tx *boltstore.Tx) error { f, _ := tx.ComplaintFiling(id); number = f.Number; return nil })
				if other, taken := numbers[number]; taken {
					t.Errorf("%s numbered %s, already %s's", w.name, number, other)
				}
				numbers[number] = w.name
			}
		}
		for i, w := range desks {
			proxies[i].setOffline(false)
			w.syncOnce(t)
		}
		for _, w := range desks {
			w.syncOnce(t) // pull the other desk's filings
			_ = w.store.View(func(tx *boltstore.Tx) error {
				if r := tx.Rejections(); len(r) > 0 {
					t.Errorf("%s: refused by the server: %+v", w.name, r)
				}
				if n := tx.OutboxLen(); n > 0 {
					t.Errorf("%s: %d events still queued", w.name, n)
				}
				for number := range numbers {
					if _, ok := tx.ComplaintWithNumber(number); !ok {
						t.Errorf("%s does not hold %s", w.name, number)
					}
				}
				return nil
			})
		}
		// Each desk numbers in the series the server gave it at enrolment.
		for number, desk := range numbers {
			series := map[string]string{"press2-desk1": "A", "press2-desk2": "B"}[desk]
			if !regexp.MustCompile(`^PRESS2-\d{4}-` + series + `000[1-3]$`).MatchString(number) {
				t.Errorf("%s numbered %s, want series %s", desk, number, series)
			}
		}
		if len(numbers) != 6 {
			t.Fatalf("numbers = %v, want 6 distinct", numbers)
		}
	})
}
