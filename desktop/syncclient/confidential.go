package syncclient

import (
	"fmt"

	"boucle/shared/confidential"
	"boucle/shared/syncproto"
)

// sessionKeys builds the keyring of the confidential keys a login answer
// delivered (engineers, managers and administrators only); nil when it
// delivered none.
func sessionKeys(tokens syncproto.Tokens) (*confidential.Keyring, error) {
	ks := tokens.ConfidentialKeys
	if len(ks) == 0 {
		return nil, nil
	}
	k, err := confidential.NewKeyring(ks[0], ks[1:]...)
	if err != nil {
		return nil, fmt.Errorf("the server's confidential keys: %w", err)
	}
	return k, nil
}
