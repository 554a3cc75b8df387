package export

import (
	"runtime/debug"
	"testing"
)

// TestToolVersionNamesTheCommitOnce: a build from a clone carries a
// pseudo-version that ends in its commit, which is not repeated; a tagged
// build, or one with no version, gets the commit after it.
func TestToolVersionNamesTheCommitOnce(t *testing.T) {
	rev := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0b749c2870b419cda5c4c31b15fc8566039a90f8"}}
	for _, c := range []struct {
		version  string
		settings []debug.BuildSetting
		want     string
	}{
		{"v0.0.0-20261208040640-0b749c2870b4", rev, "v0.0.0-20261208040640-0b749c2870b4"},
		{"v0.2.0", rev, "v0.2.0 0b749c2870b4"},
		{"(devel)", rev, "(devel) 0b749c2870b4"},
		{"(devel)", nil, "(devel)"},
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "tulieu", Version: c.version}, Settings: c.settings}
		if got := toolVersion(bi); got != c.want {
			t.Errorf("version %q: %q, want %q", c.version, got, c.want)
		}
	}
}
