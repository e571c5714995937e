package boltstore

import "boucle/shared/domain"

// PutWrappedConfidentialKeys saves the confidential keys of a user of this
// workstation, already sealed (confidential.WrapKeys), replacing the
// previous ones.
func (t *Tx) PutWrappedConfidentialKeys(login string, sealed []byte) error {
	if login == "" {
		return domain.FieldError("login", "is required")
	}
	return t.tx.Bucket(bucketConfidentialKeys).Put([]byte(login), sealed)
}

// WrappedConfidentialKeys returns a copy of the sealed keys saved for
// login.
func (t *Tx) WrappedConfidentialKeys(login string) ([]byte, bool) {
	raw := t.tx.Bucket(bucketConfidentialKeys).Get([]byte(login))
	if raw == nil {
		return nil, false
	}
	return append([]byte(nil), raw...), true
}

// DeleteWrappedConfidentialKeys forgets a user's keys (an online sign-in
// that delivered none: the user no longer reads internal notes).
func (t *Tx) DeleteWrappedConfidentialKeys(login string) error {
	return t.tx.Bucket(bucketConfidentialKeys).Delete([]byte(login))
}
