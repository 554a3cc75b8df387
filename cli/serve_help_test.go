package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestHelpHidesAuthToken: the token read from TULIEU_AUTH_TOKEN is not
// the --auth-token flag's default, which cobra prints: `tulieu serve
// --help` must not write the secret (on a shared screen, in a terminal
// recording, in a support ticket's pasted help).
func TestHelpHidesAuthToken(t *testing.T) {
	const secret = "topsecret-token-1234"
	var out, errOut bytes.Buffer
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Getenv: func(k string) string {
			if k == "TULIEU_AUTH_TOKEN" {
				return secret
			}
			return ""
		}}
	root := NewRootCmd(f)
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs([]string{"serve", "--help"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String()+errOut.String(), secret) {
		t.Errorf("`tulieu serve --help` prints the access token from TULIEU_AUTH_TOKEN")
	}
}
