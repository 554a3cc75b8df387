package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// commandLine splits a command line as a shell would for the simple
// quoting the contrib files use (double quotes, no escapes).
func commandLine(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case (r == ' ' || r == '\t') && !quoted:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// TestContribCommands: every tulieu command line that contrib/ ships (the
// systemd units, the cron line) names a command and flags tulieu has, with
// values it accepts; where systemd-analyze is installed, the units verify.
func TestContribCommands(t *testing.T) {
	files, _ := filepath.Glob("../contrib/systemd/*")
	files = append(files, "../contrib/cron")
	found := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			i := strings.Index(line, "/usr/local/bin/tulieu ")
			if strings.HasPrefix(line, "#") || i < 0 {
				continue
			}
			args := commandLine(line[i+len("/usr/local/bin/tulieu "):])
			if j := strings.Index(strings.Join(args, " "), ">>"); j >= 0 {
				args = commandLine(strings.Join(args, " ")[:j])
			}
			found++
			root := NewRootCmd(&Factory{IO: IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}})
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("%s: %q is not a tulieu command: %v", file, args, err)
				continue
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("%s: tulieu %s: %v", file, strings.Join(args, " "), err)
			}
		}
	}
	if found < 3 {
		t.Errorf("found %d tulieu command lines in contrib/", found)
	}
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("no systemd-analyze here: the units are not verified")
		return
	}
	// The units name the installed binary and a system user; verify copies
	// that name what this machine has.
	dir := t.TempDir()
	units, _ := filepath.Glob("../contrib/systemd/*")
	var names []string
	for _, u := range units {
		b, _ := os.ReadFile(u)
		s := strings.NewReplacer("/usr/local/bin/tulieu", "/bin/true", "User=tulieu", "User=root", "Group=tulieu", "Group=root").Replace(string(b))
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(u)), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(u))
	}
	cmd := exec.Command(sa, append([]string{"verify", "--man=no"}, names...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
