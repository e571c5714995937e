package pgstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/syncserver/credential"

	"github.com/google/uuid"
)

// sha256Of is the hex SHA-256 of data.
func sha256Of(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// putEverything writes one record of each kind under the same keys in
// plant p, valued by the plant's id, and returns the evidence's SHA-256.
func putEverything(t *testing.T, p *Plant) string {
	t.Helper()
	photo := []byte("photo of " + p.ID())
	err := p.Update(context.Background(), func(tx *Tx) error {
		for _, write := range []func() error{
			func() error { return tx.PutAccount(&credential.Account{Login: "ana", Hash: p.ID()}) },
			func() error { return tx.PutDevice(&credential.Device{ID: "d1", Name: p.ID()}) },
			func() error { return tx.PutEnrolment("code", &credential.Enrolment{Note: p.ID(), Expires: testNow}) },
			func() error {
				return tx.PutRefreshFamily(&credential.RefreshFamily{ID: "f1", Login: "ana", Why: p.ID()})
			},
			func() error { return tx.PutRefreshToken("tok", &credential.RefreshToken{Family: "f1", Next: p.ID()}) },
			func() error { return tx.PutSetting("demo", []byte(p.ID())) },
			func() error { return tx.PutBlob(sha256Of(photo), photo) },
			func() error { return tx.PutUpload("user:ana", sha256Of(photo), int64(len(photo)), testNow) },
		} {
			if err := write(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sha256Of(photo)
}

// A plant's accounts, devices, codes, tokens, settings and files are
// never seen from another plant's transactions, even under the same keys,
// and a sweep or a deletion in one leaves the other's alone.
func TestPlantsSeeOnlyTheirOwnRecords(t *testing.T) {
	s := newStore(t)
	north, south, empty := newPlant(t, s, "north"), newPlant(t, s, "south"), newPlant(t, s, "empty")
	northPhoto := putEverything(t, north)
	southPhoto := putEverything(t, south)

	for _, p := range []*Plant{north, south} {
		other := map[string]string{"north": southPhoto, "south": northPhoto}[p.ID()]
		err := p.View(context.Background(), func(tx *Tx) error {
			a, _ := tx.Account("ana")
			d, _ := tx.Device("d1")
			devices, _ := tx.Devices()
			en, _ := tx.Enrolment("code")
			f, _ := tx.RefreshFamily("f1")
			fams, _ := tx.RefreshFamiliesOf("ana")
			rt, _ := tx.RefreshToken("tok")
			v, _ := tx.Setting("demo")
			if a.Hash != p.ID() || d.Name != p.ID() || len(devices) != 1 || en.Note != p.ID() || f.Why != p.ID() ||
				len(fams) != 1 || rt.Next != p.ID() || string(v) != p.ID() {
				t.Errorf("plant %s reads account %q, device %q (%d), code %q, family %q (%d), token %q, setting %q; want its own only",
					p.ID(), a.Hash, d.Name, len(devices), en.Note, f.Why, len(fams), rt.Next, v)
			}
			if tx.HasBlob(other) {
				t.Errorf("plant %s holds the other plant's evidence", p.ID())
			}
			if _, err := tx.Blob(other); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("plant %s reads the other plant's evidence: %v", p.ID(), err)
			}
			n := 0
			err := tx.EachUpload("", func(_, sha string, _ int64, _ time.Time) error {
				n++
				if sha == other {
					t.Errorf("plant %s lists the other plant's upload", p.ID())
				}
				return nil
			})
			if err != nil || n != 1 {
				t.Errorf("plant %s lists %d uploads, %v; want its one", p.ID(), n, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	err := empty.View(context.Background(), func(tx *Tx) error {
		has, err := tx.HasAccounts()
		devices, _ := tx.Devices()
		if has || err != nil || len(devices) != 0 {
			t.Errorf("a plant of its own: has accounts %v (%v), %d devices; want none, it is new", has, err, len(devices))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// North sweeps and deletes; south keeps everything.
	err = north.Update(context.Background(), func(tx *Tx) error {
		if _, err := tx.SweepEnrolments(testNow.Add(time.Hour)); err != nil {
			return err
		}
		if _, err := tx.SweepRefreshTokens(testNow.Add(time.Hour)); err != nil {
			return err
		}
		if err := tx.DeleteSetting("demo"); err != nil {
			return err
		}
		if err := tx.DeleteUpload("user:ana", northPhoto); err != nil {
			return err
		}
		return tx.DeleteBlob(southPhoto) // not north's: nothing happens
	})
	if err != nil {
		t.Fatal(err)
	}
	err = south.View(context.Background(), func(tx *Tx) error {
		en, _ := tx.Enrolment("code")
		rt, _ := tx.RefreshToken("tok")
		f, _ := tx.RefreshFamily("f1")
		v, _ := tx.Setting("demo")
		n := 0
		_ = tx.EachUpload("user:ana", func(string, string, int64, time.Time) error { n++; return nil })
		if en == nil || rt == nil || f == nil || v == nil || n != 1 || !tx.HasBlob(southPhoto) {
			t.Errorf("north's sweeps and deletions reached south: code %v, token %v, family %v, setting %q, %d uploads, evidence %v",
				en != nil, rt != nil, f != nil, v, n, tx.HasBlob(southPhoto))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rotate is the refresh of sessions.go on the records: a token used
// before is a reuse, which revokes its family; otherwise it is marked
// used and its successor issued, in one transaction.
func rotate(p *Plant, hash, next string) (reused bool, err error) {
	err = p.Update(context.Background(), func(tx *Tx) error {
		rt, err := tx.RefreshToken(hash)
		if err != nil || rt == nil {
			return errors.Join(err, errors.New("unknown token"))
		}
		fam, err := tx.RefreshFamily(rt.Family)
		if err != nil || fam == nil {
			return errors.Join(err, errors.New("unknown family"))
		}
		if rt.Used || fam.Revoked {
			reused = true
			fam.Revoked, fam.RevokedAt, fam.Why = true, testNow, "reuse"
			return tx.PutRefreshFamily(fam)
		}
		rt.Used, rt.UsedAt, rt.Next = true, testNow, next
		if err := tx.PutRefreshToken(hash, rt); err != nil {
			return err
		}
		return tx.PutRefreshToken(next, &credential.RefreshToken{Family: rt.Family, Issued: testNow, Expires: testNow.Add(time.Hour)})
	})
	return reused, err
}

// Two server instances on one database, each with its own pool, rotate
// the same refresh token at once, many times over: exactly one rotation
// issues a successor, every other presentation is a reuse, and the
// family ends revoked. Nothing of it is held in a process: the plant's
// lock orders the transactions and each reads what the previous
// committed. Whatever the interleaving, the counts must hold.
func TestRefreshTokenRotatesOnceAcrossInstances(t *testing.T) {
	stores := newStores(t, 2)
	newPlant(t, stores[0], "p1")
	plants := []*Plant{stores[0].Plant("p1"), stores[1].Plant("p1")}
	err := plants[0].Update(context.Background(), func(tx *Tx) error {
		if err := tx.PutRefreshFamily(&credential.RefreshFamily{ID: "f1", Login: "ana", Expires: testNow.Add(time.Hour)}); err != nil {
			return err
		}
		return tx.PutRefreshToken("t0", &credential.RefreshToken{Family: "f1", Expires: testNow.Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}

	const presentations = 16
	var mu sync.Mutex
	var rotated, reused int
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range presentations {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			again, err := rotate(plants[i%2], "t0", uuid.NewString())
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Error(err)
			case again:
				reused++
			default:
				rotated++
			}
		}()
	}
	close(start)
	wg.Wait()
	if rotated != 1 || reused != presentations-1 {
		t.Errorf("%d presentations over two instances: %d rotations, %d reuses; want 1 and %d", presentations, rotated, reused, presentations-1)
	}
	err = plants[1].View(context.Background(), func(tx *Tx) error {
		f, _ := tx.RefreshFamily("f1")
		if f == nil || !f.Revoked {
			t.Errorf("family after a reuse = %+v; want revoked", f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An enrolment code presented to two instances at once, many times over,
// enrols one device: the spend (read, delete, device) is one
// transaction, and the second finds the code gone.
func TestEnrolmentCodeSpentOnceAcrossInstances(t *testing.T) {
	stores := newStores(t, 2)
	newPlant(t, stores[0], "p1")
	plants := []*Plant{stores[0].Plant("p1"), stores[1].Plant("p1")}
	err := plants[0].Update(context.Background(), func(tx *Tx) error {
		return tx.PutEnrolment("code", &credential.Enrolment{Created: testNow, Expires: testNow.Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	const attempts = 16
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := plants[i%2].Update(context.Background(), func(tx *Tx) error {
				en, err := tx.Enrolment("code")
				if err != nil || en == nil {
					return err // spent: nothing to do
				}
				if err := tx.DeleteEnrolment("code"); err != nil {
					return err
				}
				return tx.PutDevice(&credential.Device{ID: uuid.NewString(), Replica: uuid.NewString(), Enrolled: testNow})
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	err = plants[1].View(context.Background(), func(tx *Tx) error {
		devices, err := tx.Devices()
		if err != nil || len(devices) != 1 {
			t.Errorf("one code presented %d times over two instances enrolled %d devices (%v); want 1", attempts, len(devices), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Bad input is refused with the domain's code naming the field, and
// nothing of the transaction is written.
func TestAccessAndEvidenceRefuseBadInput(t *testing.T) {
	p := newPlant(t, newStore(t), "p1")
	big := bytes.Repeat([]byte{1}, domain.MaxAttachmentBytes+1)
	cases := []struct {
		name  string
		write func(tx *Tx) error
		code  domain.Code
		field string
	}{
		{"AccountWithoutLogin", func(tx *Tx) error { return tx.PutAccount(&credential.Account{Hash: "h"}) }, domain.EInvalid, "login"},
		{"DeviceWithoutID", func(tx *Tx) error { return tx.PutDevice(&credential.Device{Name: "desk"}) }, domain.EInvalid, "device"},
		{"FamilyWithoutID", func(tx *Tx) error { return tx.PutRefreshFamily(&credential.RefreshFamily{Login: "ana"}) }, domain.EInvalid, "family"},
		{"EvidenceShaNotHex", func(tx *Tx) error { return tx.PutBlob("../etc/passwd", []byte("x")) }, domain.EInvalid, "sha256"},
		{"EvidenceTooLarge", func(tx *Tx) error { return tx.PutBlob(sha256Of(big), big) }, domain.ETooLarge, "evidence"},
		{"UploadWithoutUploader", func(tx *Tx) error { return tx.PutUpload("", sha256Of(nil), 1, testNow) }, domain.EInvalid, "uploader"},
		{"UploadOfNegativeSize", func(tx *Tx) error { return tx.PutUpload("user:ana", sha256Of(nil), -1, testNow) }, domain.EInvalid, "size"},
		{"EpochDeleted", func(tx *Tx) error { return tx.DeleteSetting("epoch") }, domain.EInvalid, "epoch"},
		{"EpochEmptied", func(tx *Tx) error { return tx.PutSetting("epoch", nil) }, domain.EInvalid, "epoch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := p.Update(context.Background(), func(tx *Tx) error {
				if err := tx.PutSetting("before", []byte("x")); err != nil {
					return err
				}
				return c.write(tx)
			})
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != c.code || de.Field != c.field {
				t.Fatalf("got %v; want %s naming %s", err, c.code, c.field)
			}
			_ = p.View(context.Background(), func(tx *Tx) error {
				if v, _ := tx.Setting("before"); v != nil {
					t.Error("the refused transaction's earlier write was kept")
				}
				return nil
			})
		})
	}
}

// The epoch is the plant's (plants.epoch): set at creation, read and
// moved as a setting, as a restore does.
func TestEpochIsThePlantsSetting(t *testing.T) {
	s := newStore(t)
	epoch, err := s.CreatePlant(context.Background(), "p1")
	if err != nil {
		t.Fatal(err)
	}
	p := s.Plant("p1")
	err = p.Update(context.Background(), func(tx *Tx) error {
		if v, _ := tx.Setting("epoch"); string(v) != epoch {
			t.Errorf("Setting(epoch) = %q; want the plant's %q", v, epoch)
		}
		return tx.PutSetting("epoch", []byte("restored"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Epoch(context.Background()); got != "restored" {
		t.Errorf("Epoch after PutSetting = %q; want restored", got)
	}
}

// SettingsOf reads in one statement what Setting reads one by one: the
// epoch from the plant's row, the others from settings, nil when unset,
// and nothing of another plant.
func TestSettingsOfReadsAsSettingDoes(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	epoch, err := s.CreatePlant(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreatePlant(ctx, "p2"); err != nil {
		t.Fatal(err)
	}
	put := func(plant, name, value string) {
		if err := s.Plant(plant).Update(ctx, func(tx *Tx) error { return tx.PutSetting(name, []byte(value)) }); err != nil {
			t.Fatal(err)
		}
	}
	put("p1", "previous_epoch", "old")
	put("p1", "empty", "")
	put("p2", "restored", "1")
	err = s.Plant("p1").View(ctx, func(tx *Tx) error {
		got, err := tx.SettingsOf("epoch", "restored", "previous_epoch", "empty")
		if err != nil {
			return err
		}
		want := []string{epoch, "", "old", ""}
		for i, w := range want {
			if string(got[i]) != w {
				t.Errorf("SettingsOf[%d] = %q; want %q", i, got[i], w)
			}
		}
		if got[1] != nil || got[3] == nil {
			t.Errorf("unset restored = %v, set empty = %v; want nil and not nil, as Setting reads them", got[1], got[3])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// complaintEvent is a complaint event of replica r (sequence seq) with
// payload pl.
func complaintEvent(t *testing.T, typ domain.EventType, id string, seq uint64, pl domain.Payload) domain.Event {
	t.Helper()
	e, err := domain.NewEvent(typ, id, pl)
	if err != nil {
		t.Fatal(err)
	}
	e.ID = uuid.Must(uuid.NewV7())
	e.HLC = hlc.New(1_780_000_000_000+int64(seq), 0)
	e.Replica, e.Seq, e.Author, e.Role = "ws-1", seq, "op1", domain.RoleOperator
	e.Sig = domain.Signature{Kid: "k1"}
	return e
}

// Evidence is referenced once a complaint event of the plant's log
// attaches it, not when a message merely quotes its digits, nor when
// another plant's complaint attaches it; in a read-only transaction as in
// a write one (which brings the index of references up to the log's end
// first), and for an attachment logged after the index was brought up.
func TestBlobReferencedByALoggedAttachment(t *testing.T) {
	s := newStore(t)
	p, other := newPlant(t, s, "p1"), newPlant(t, s, "p2")
	attached, quoted, later := sha256Of([]byte("attached")), sha256Of([]byte("quoted")), sha256Of([]byte("later"))
	complaint := uuid.NewString()
	attach := func(sha string, seq uint64) domain.Event {
		return complaintEvent(t, domain.ComplaintAttachmentAdded, complaint, seq, &domain.AttachmentPayload{
			Attachment: domain.Attachment{SHA256: sha, Name: "burr.jpg", Size: 8, MediaType: "image/jpeg"}})
	}
	mustAppend(t, p, []domain.Event{
		attach(attached, 1),
		complaintEvent(t, domain.ComplaintMessagePosted, complaint, 2, &domain.MessagePayload{Text: "see " + quoted}),
	})
	check := func(p *Plant, sha string, want bool) {
		t.Helper()
		for _, run := range []func(context.Context, func(*Tx) error) error{p.View, p.Update} {
			err := run(context.Background(), func(tx *Tx) error {
				if got := tx.BlobReferenced(sha); got != want {
					t.Errorf("plant %s, read-only %v: BlobReferenced(%s...) = %v; want %v", p.ID(), tx.readOnly, sha[:8], got, want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	check(p, attached, true)
	check(p, quoted, false)
	check(other, attached, false)
	check(p, later, false)

	var indexed int
	if err := s.pool.QueryRow(context.Background(), "SELECT count(*) FROM evidence_references WHERE plant = 'p1'").Scan(&indexed); err != nil || indexed != 1 {
		t.Errorf("evidence_references of p1: %d rows, %v; want the one attachment", indexed, err)
	}
	mustAppend(t, p, []domain.Event{attach(later, 3)})
	check(p, later, true)
	check(other, later, false)
}

// The same file uploaded to two instances at once, by several uploaders:
// one copy of the bytes, every upload recorded, no error; each instance
// reads what the other stored.
func TestEvidenceUploadedToTwoInstancesAtOnce(t *testing.T) {
	stores := newStores(t, 2)
	newPlant(t, stores[0], "p1")
	plants := []*Plant{stores[0].Plant("p1"), stores[1].Plant("p1")}
	photo := []byte("photo of the burr")
	sha := sha256Of(photo)
	const uploads = 8
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range uploads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := plants[i%2].Update(context.Background(), func(tx *Tx) error {
				if err := tx.PutUpload("device:"+string(rune('a'+i)), sha, int64(len(photo)), testNow); err != nil {
					return err
				}
				return tx.PutBlob(sha, photo)
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	var copies int
	if err := stores[0].pool.QueryRow(context.Background(), "SELECT count(*) FROM evidence WHERE plant = 'p1'").Scan(&copies); err != nil || copies != 1 {
		t.Errorf("%d copies of the file, %v; want 1", copies, err)
	}
	for _, p := range plants {
		err := p.View(context.Background(), func(tx *Tx) error {
			got, err := tx.Blob(sha)
			n := 0
			_ = tx.EachUpload("", func(string, string, int64, time.Time) error { n++; return nil })
			if err != nil || !bytes.Equal(got, photo) || n != uploads {
				t.Errorf("instance reads %q, %v, %d uploads; want the photo and %d", got, err, n, uploads)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A device revoked on one instance while the other records, again and
// again, when it was last seen (a read, then a write of the whole record,
// as lastseen.go does): the revocation is never lost under a write that
// read the device before it.
func TestRevocationNotLostUnderAnotherInstancesWrite(t *testing.T) {
	stores := newStores(t, 2)
	newPlant(t, stores[0], "p1")
	plants := []*Plant{stores[0].Plant("p1"), stores[1].Plant("p1")}
	if err := plants[0].Update(context.Background(), func(tx *Tx) error {
		return tx.PutDevice(&credential.Device{ID: "d1", Replica: "r1", Enrolled: testNow})
	}); err != nil {
		t.Fatal(err)
	}
	readModifyWrite := func(p *Plant, change func(*credential.Device)) {
		err := p.Update(context.Background(), func(tx *Tx) error {
			d, err := tx.Device("d1")
			if err != nil || d == nil {
				return errors.Join(err, errors.New("no device d1"))
			}
			change(d)
			return tx.PutDevice(d)
		})
		if err != nil {
			t.Error(err)
		}
	}
	const seen = 12
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range seen {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			readModifyWrite(plants[1], func(d *credential.Device) { d.LastSeen = testNow.Add(time.Duration(i) * time.Minute) })
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		readModifyWrite(plants[0], func(d *credential.Device) { d.Revoked, d.RevokedAt, d.Why = true, testNow, "stolen" })
	}()
	close(start)
	wg.Wait()
	err := plants[1].View(context.Background(), func(tx *Tx) error {
		if d, _ := tx.Device("d1"); d == nil || !d.Revoked || d.Why != "stolen" {
			t.Errorf("device after a revocation among %d last-seen writes on the other instance: %+v; want revoked", seen, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
