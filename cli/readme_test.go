package cli

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMECommands: every command and flag the README's command list
// names exists, and every command tulieu has is in the list.
func TestREADMECommands(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "## Commands\n\n```\n")
	if start < 0 {
		t.Fatal("no command list in the README")
	}
	block := s[start+len("## Commands\n\n```\n"):]
	block = block[:strings.Index(block, "```")]
	root := NewRootCmd(&Factory{IO: IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}})
	flagRe := regexp.MustCompile(`--[a-z][a-z-]*`)
	listed := map[string]bool{}
	current := root
	for _, line := range strings.Split(block, "\n") {
		if strings.HasPrefix(line, "tulieu ") {
			current = root
		} else if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
			name := strings.Fields(line)[0]
			cmd, _, err := root.Find([]string{name})
			if err != nil || cmd == root {
				t.Errorf("the README lists `tulieu %s`, which does not exist", name)
				continue
			}
			listed[name] = true
			current = cmd
		}
		for _, fl := range flagRe.FindAllString(line, -1) {
			name := strings.TrimPrefix(fl, "--")
			if current.Flags().Lookup(name) == nil && current.InheritedFlags().Lookup(name) == nil &&
				current.PersistentFlags().Lookup(name) == nil && root.PersistentFlags().Lookup(name) == nil {
				t.Errorf("the README gives `tulieu %s` the flag %s, which it does not have", current.Name(), fl)
			}
		}
	}
	for _, c := range root.Commands() {
		if !c.Hidden && c.Name() != "help" && c.Name() != "completion" && !listed[c.Name()] {
			t.Errorf("`tulieu %s` is missing from the README's command list", c.Name())
		}
	}
}
