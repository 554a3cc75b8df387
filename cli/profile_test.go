package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCPUProfile: TULIEU_CPUPROFILE writes a CPU profile of the command
// (gzipped protobuf, as go tool pprof reads it); a path that cannot be
// written is a usage error before anything runs.
func TestCPUProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.pprof")
	execWith := func(path string) (int, string) {
		var out, errOut bytes.Buffer
		env := func(k string) string {
			if k == "TULIEU_CPUPROFILE" {
				return path
			}
			return ""
		}
		f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Getenv: env}
		code := Execute(context.Background(), f, []string{"--help"})
		return code, errOut.String()
	}
	if code, errOut := execWith(prof); code != ExitOK {
		t.Fatalf("--help with a profile: exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(prof)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("the profile: %v, %d bytes, want gzip", err, len(b))
	}
	if code, errOut := execWith(filepath.Join(dir, "no", "such", "dir", "cpu.pprof")); code != ExitUsage || !strings.Contains(errOut, "TULIEU_CPUPROFILE") {
		t.Errorf("an unwritable profile path: exit %d, %q", code, errOut)
	}
}
