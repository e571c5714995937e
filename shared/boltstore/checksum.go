package boltstore

import (
	"encoding/binary"
	"hash/crc32"

	"boucle/shared/domain"
)

// Every value of the log (bucketEvents) is the encoded event followed by a
// CRC-32C (Castagnoli) of its log position and its bytes. bbolt checks its
// meta pages but not the data: without the checksum, a flipped byte of a
// stored event was served to every workstation as if written so. With the
// position inside the sum, a value found under another key (a damaged
// branch page) fails too. CRC-32C runs in hardware: about 40 ns for a
// 400-byte event, nothing next to a pull's HTTP and decoding.

// ECorrupt is the code of a store whose bytes fail their check.
const ECorrupt domain.Code = "store_corrupt"

const checksumLen = 4

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// eventSum is the checksum of an encoded event at a log position: the
// CRC-32C of the position's 8 bytes, then of the event's.
func eventSum(pos uint64, enc []byte) uint32 {
	var p [8]byte
	binary.BigEndian.PutUint64(p[:], pos)
	return crc32.Update(crc32.Update(0, castagnoli, p[:]), castagnoli, enc)
}

// sealedEvent is the stored value of an event at pos, encoded in place:
// one buffer, no copy of the encoding (the log's writer runs it for every
// event it stores).
func sealedEvent(pos uint64, e *domain.Event) []byte {
	v := domain.AppendEvent(make([]byte, 0, 136+len(e.Payload)+16*len(e.Parents)+checksumLen), e)
	return binary.BigEndian.AppendUint32(v, eventSum(pos, v))
}

// sealEvent is the stored value of an encoded event at pos.
func sealEvent(pos uint64, enc []byte) []byte {
	v := make([]byte, 0, len(enc)+checksumLen)
	v = append(v, enc...)
	return binary.BigEndian.AppendUint32(v, eventSum(pos, enc))
}

// spoilEvent stores bytes that already failed to decode (found by the
// checksum migration) under a checksum that never matches, so that every
// reader quarantines them instead of trusting them.
func spoilEvent(pos uint64, enc []byte) []byte {
	v := append(append(make([]byte, 0, len(enc)+checksumLen), enc...), 0, 0, 0, 0)
	binary.BigEndian.PutUint32(v[len(enc):], ^eventSum(pos, enc))
	return v
}

// unsealEvent checks a stored value and returns the encoded event inside
// it (a sub-slice of v, valid as long as v).
func unsealEvent(pos uint64, v []byte) ([]byte, error) {
	if len(v) < checksumLen {
		return nil, domain.Errorf(ECorrupt, "event at log position %d: %d bytes, too short for its checksum", pos, len(v))
	}
	enc := v[:len(v)-checksumLen]
	if binary.BigEndian.Uint32(v[len(enc):]) != eventSum(pos, enc) {
		return nil, domain.Errorf(ECorrupt, "event at log position %d: checksum mismatch", pos)
	}
	return enc, nil
}

// decodeStored checks and decodes a stored value. A value whose checksum
// holds but that does not decode is corrupt too (written by a bug, not a
// disk): the error is ECorrupt either way.
func decodeStored(pos uint64, v []byte) (domain.Event, error) {
	enc, err := unsealEvent(pos, v)
	if err != nil {
		return domain.Event{}, err
	}
	e, err := domain.DecodeEvent(enc)
	if err != nil {
		return domain.Event{}, domain.Errorf(ECorrupt, "event at log position %d does not decode: %v", pos, err)
	}
	return e, nil
}
