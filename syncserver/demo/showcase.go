package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/png"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// showcase ends the history with one complaint the complaint page can be
// shown on as a complainant sees it (README gallery, screenshots): Emma
// Roux at PRESS2 filed it five hours ago with a photo of the defect, and
// Julien Moreau acknowledged it with a note to her. It is acknowledged,
// so she may still withdraw it or add files. Its times are fixed, not
// drawn, so that every seed has it.
func (g *gen) showcase() error {
	emma, julien := userByLogin("emma.roux"), userByLogin("julien.moreau")
	photo, err := g.defectPhoto()
	if err != nil {
		return err
	}
	id, filed := newID(), g.end.Add(-5*hour)
	g.add(filed, actorOf(emma), boltstore.Command{Type: domain.ComplaintFiled, EntityID: id, Payload: &domain.ComplaintFiledPayload{
		FilingStation: "PRESS2", SupplierStation: "CUT1", PartRef: "BRK-2041", Lot: "L" + filed.Format("060102") + "-04", Quantity: 18,
		Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint,
		Description: "Burr along the bent edge of every bracket in the lot; the parts do not seat in the press tool. Photo of one part attached.",
		Attachments: []domain.Attachment{photo}}})
	g.add(filed.Add(2*hour), actorOf(julien), boltstore.Command{Type: domain.ComplaintAcknowledged, EntityID: id, Payload: &domain.AcknowledgePayload{
		Deadline: filed.Add(5 * day), Assignee: julien.Login,
		Note: "Thanks Emma: CUT1 sorts the lot this afternoon; keep the 18 parts aside for me, I come to see them at 3 pm."}})
	return nil
}

// defectPhoto stores a 640×480 picture of a bracket on the bench, its
// burr circled in red, as a photo taken at the station would show it.
func (g *gen) defectPhoto() (domain.Attachment, error) {
	const w, h = 640, 480
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	in := func(x, y, x0, y0, x1, y1 int) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(58 + y/24), uint8(66 + y/24), uint8(78 + y/20), 255} // the bench
			switch {
			case in(x, y, 120, 140, 520, 330) && (x-430)*(x-430)+(y-235)*(y-235) < 30*30: // the bolt hole
				c = color.RGBA{40, 44, 52, 255}
			case in(x, y, 120, 140, 520, 330): // the bracket, brushed steel
				v := uint8(170 + (x*7+y*3)%23)
				c = color.RGBA{v, v, v + 6, 255}
			case in(x, y, 120, 330, 520, 338) && (x/5)%3 != 0: // the burr along the bent edge
				c = color.RGBA{218, 214, 200, 255}
			}
			if d := (x-300)*(x-300)*9 + (y-334)*(y-334)*100; d > 900*100 && d < 1000*100 { // the red mark
				c = color.RGBA{220, 40, 40, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return domain.Attachment{}, err
	}
	sha, err := g.store.PutBlob(buf.Bytes())
	return domain.Attachment{SHA256: sha, Name: "burr-BRK-2041.png", Size: int64(buf.Len()), MediaType: "image/png"}, err
}
