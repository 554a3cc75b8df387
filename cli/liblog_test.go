package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

// TestLibraryLogFollowsLogFormat: bleve prints its warnings ("unable to
// load snapshot, …, continuing") through the standard log package, which
// wrote them to standard error as bare lines beside tulieu's JSON log
// lines, where a log shipper reading JSON lost them. main now routes the
// standard log into tulieu's logger (Factory.LibraryLog, LogWriter): one
// JSON warning a line, with from=bleve.
func TestLibraryLogFollowsLogFormat(t *testing.T) {
	var errOut bytes.Buffer
	var given *slog.Logger
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut}, Getenv: func(string) string { return "" },
		LibraryLog: func(l *slog.Logger) { given = l }}
	Execute(context.Background(), f, []string{"--data", t.TempDir(), "--log-format", "json", "stats"})
	if given == nil {
		t.Fatal("Execute never gave the logger to LibraryLog")
	}
	errOut.Reset()
	LogWriter(given, "bleve").Write([]byte("unable to load snapshot, bad, continuing\nsecond line\n"))
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), errOut.String())
	}
	var rec struct{ Level, Msg, From string }
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil || rec.Level != "WARN" || rec.Msg != "unable to load snapshot, bad, continuing" || rec.From != "bleve" {
		t.Errorf("first line %q (%v): want a JSON warning from bleve", lines[0], err)
	}
}
