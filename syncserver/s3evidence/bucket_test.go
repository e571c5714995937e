package s3evidence

import (
	"strings"
	"testing"
)

// Bad settings are refused before any request, naming what is wrong and
// never echoing a key or password.
func TestOpenRefusesBadSettings(t *testing.T) {
	keys := Settings{AccessKey: "AKID", SecretKey: "secret"}
	for name, c := range map[string]struct {
		s    Settings
		want string
	}{
		"not s3":            {Settings{URL: "https://bucket/x"}, "s3://BUCKET"},
		"no bucket":         {Settings{URL: "s3:///x"}, "s3://BUCKET"},
		"keys in the url":   {Settings{URL: "s3://AKID:hunter2@bucket"}, "s3://BUCKET"},
		"endpoint path":     {Settings{URL: "s3://b", Endpoint: "https://host/path"}, "https://HOST"},
		"endpoint scheme":   {Settings{URL: "s3://b", Endpoint: "ftp://host"}, "https://HOST"},
		"endpoint password": {Settings{URL: "s3://b", Endpoint: "https://AKID:hunter2@host"}, "https://HOST"},
		"no keys":           {Settings{URL: "s3://b"}, "AWS_ACCESS_KEY_ID"},
		"no secret":         {Settings{URL: "s3://b", AccessKey: "AKID"}, "AWS_SECRET_ACCESS_KEY"},
	} {
		_, err := Open(c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: %v; want an error naming %s, without the password", name, err, c.want)
		}
	}
	keys.URL = "s3://bucket/plants/p1/"
	b, err := Open(keys)
	if err != nil || b.name != "bucket" || b.key("ab") != "plants/p1/ab" {
		t.Fatalf("Open(%s) = %+v, %v; want bucket and prefix plants/p1/", keys, b, err)
	}
	if strings.Contains(keys.String(), "secret") || strings.Contains(keys.String(), "AKID") {
		t.Fatalf("String shows a key: %s", keys)
	}
}
