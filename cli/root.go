package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"tulieu/crawler"
	"tulieu/export"
	"tulieu/index"
	"tulieu/internal/diskfull"
	"tulieu/store"
)

// NewRootCmd builds the tulieu command tree around f.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "tulieu",
		Short: "Archive and search the website of Đảng ủy Khối các cơ quan tỉnh Thanh Hóa",
		Long: `tulieu ("tư liệu", archival material) crawls a website politely, keeps every page it
fetched byte for byte in WARC files, extracts each article (title, body, author, breadcrumb,
date, images, attachments) into a SQLite catalog, and makes the archive searchable in
Vietnamese, with or without diacritics.

The data directory (--data, or TULIEU_DATA, default ./tulieu-data) holds catalog.sqlite,
warc/ and index/.

Exit codes: 0 done; 1 could not do it (unreadable catalog, I/O error…); 2 bad flags, arguments
or query; 3 another crawl holds the data directory (or, for serve, another server already serves
it; or another process has the search index); 4 a crawl reached none of its start URLs;
5 a crawl completed with more failed page requests than --max-error-rate; 130 interrupted.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// The module version and commit the binary was built from, as
		// exports' provenance names them.
		Version: strings.TrimPrefix(export.Tool(), "tulieu "),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			f.DataDirSet = cmd.Flags().Changed("data") || (f.Getenv != nil && f.Getenv("TULIEU_DATA") != "")
			if err := f.validateGlobals(); err != nil {
				return err
			}
			if f.LibraryLog != nil {
				f.LibraryLog(f.Logger())
			}
			return nil
		},
	}
	dataDefault := DefaultDataDir
	if f.Getenv != nil && f.Getenv("TULIEU_DATA") != "" {
		dataDefault = f.Getenv("TULIEU_DATA")
	}
	pf := root.PersistentFlags()
	pf.StringVar(&f.DataDir, "data", dataDefault, "data directory (env TULIEU_DATA)")
	pf.StringVar(&f.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	pf.StringVar(&f.LogFormat, "log-format", "text", "log format: text or json")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		if arg, ok := dashArgument(err); ok {
			// A query that starts with an exclusion ('-"sinh viên" thanh
			// hoa'): pflag takes any argument starting with "-" for flags.
			return usageErrorf("%q is not a flag: an argument that starts with \"-\" goes after \"--\", as in: %s -- '%s'", arg, cmd.CommandPath(), arg)
		}
		return usageErrorf("%s (see `%s --help`)", flagErrorText(err), cmd.CommandPath())
	})
	// cobra's own help command answers an unknown topic with the whole
	// usage and exit 0; a mistyped name is a usage error like any other.
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || cmd == nil || len(rest) > 0 {
				return usageErrorf("no command %q (see `tulieu --help`)", strings.Join(args, " "))
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	})
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	root.InitDefaultVersionFlag() // now, not at the first Execute: the README's flags are checked against the tree
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)

	root.AddCommand(
		NewCmdCrawl(f, nil),
		NewCmdSearch(f, nil),
		NewCmdShow(f, nil),
		NewCmdDiff(f, nil),
		NewCmdChanges(f, nil),
		NewCmdCheck(f, nil),
		NewCmdBackup(f, nil),
		NewCmdExport(f, nil),
		NewCmdServe(f, nil),
		NewCmdStats(f, nil),
		NewCmdReindex(f, nil),
		NewCmdReextract(f, nil),
		NewCmdDemo(f, nil),
	)
	return root
}

// Execute runs tulieu with args and returns the process exit code. Errors
// are printed as one line on ErrOut.
func Execute(ctx context.Context, f *Factory, args []string) int {
	if f.Getenv != nil {
		if path := f.Getenv("TULIEU_CPUPROFILE"); path != "" {
			stop, err := startCPUProfile(path)
			if err != nil {
				fmt.Fprintln(f.IO.ErrOut, "tulieu: TULIEU_CPUPROFILE: "+err.Error())
				return ExitUsage
			}
			defer stop()
		}
	}
	root := NewRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var usage *usageError
	if !errors.As(err, &usage) && (strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "unknown flag")) {
		err = usageErrorf("%s (see `tulieu --help`)", oneLine(err.Error()))
	}
	if f.LogFormat != "json" && jsonLogsAsked(args) {
		// An unknown command stops cobra before it reads the flags.
		f.LogFormat = "json"
	}
	err = explainCatalogError(err, f.DataDir)
	if diskfull.Is(err) && !errors.Is(err, crawler.ErrDiskFull) {
		// The crawl says it its own way; any other command, here.
		err = fmt.Errorf("%w: %w; free space under %s and run the command again (nothing already recorded is lost)", crawler.ErrDiskFull, err, f.DataDir)
	}
	if errors.Is(err, index.ErrCorrupt) && !strings.Contains(err.Error(), "reindex") {
		// Found damaged while reading, after Open (which rebuilds): a
		// bad sector under a segment, read by a search or an export.
		err = fmt.Errorf("%w; the search index is derived from the catalog: `tulieu reindex` rebuilds it (`tulieu check` says what else is damaged)", err)
	}
	if ctx.Err() != nil && !errors.Is(err, errInterrupted) {
		err = fmt.Errorf("%w: %v", errInterrupted, err)
	}
	code := ExitCode(err)
	if f.LogFormat == "json" {
		// A log shipper reading standard error as JSON lines must not
		// lose the one line that says why the command failed.
		slog.New(slog.NewJSONHandler(f.IO.ErrOut, nil)).Error(err.Error(), "exit_code", code)
		return code
	}
	fmt.Fprintln(f.IO.ErrOut, "tulieu: "+err.Error())
	return code
}

// explainCatalogError adds what to do to the errors SQLite gives for a
// catalog it cannot write or read, which name neither the file nor a
// remedy ("attempt to write a readonly database (8)").
func explainCatalogError(err error, dataDir string) error {
	catalog := filepath.Join(dataDir, store.CatalogFile)
	msg := err.Error()
	switch {
	case strings.Contains(msg, "readonly database") || strings.Contains(msg, "attempt to write a readonly"):
		return fmt.Errorf("%w: the catalog %s is read-only for this user: run tulieu as the data directory's owner, or give it write access to %s and the files in it", err, catalog, dataDir)
	case strings.Contains(msg, "database disk image is malformed") || strings.Contains(msg, "file is not a database"):
		return fmt.Errorf("%w: the catalog %s is damaged: restore it from a backup (tulieu backup makes one; the WARC files under %s keep every page)", err, catalog, dataDir)
	}
	return err
}

// oneLine is cobra's error for an unknown command on one line: its
// suggestions ("\n\nDid you mean this?\n\tsearch\n") as "(did you mean
// search?)".
func oneLine(msg string) string {
	first, rest, _ := strings.Cut(msg, "\n")
	_, sugg, ok := strings.Cut(rest, "Did you mean this?")
	if !ok {
		return first
	}
	if words := strings.Fields(sugg); len(words) > 0 {
		return first + " (did you mean " + strings.Join(words, " or ") + "?)"
	}
	return first
}

// jsonLogsAsked says whether args ask for --log-format json.
func jsonLogsAsked(args []string) bool {
	for i, a := range args {
		if a == "--" {
			return false
		}
		if a == "--log-format=json" || a == "--log-format" && i+1 < len(args) && args[i+1] == "json" {
			return true
		}
	}
	return false
}

// dashArgument is the argument a flag error is about, when it cannot be
// a flag: pflag reads "-covid thanh hoa" as the flags -c, -o…, and says
// "unknown shorthand flag: 'c' in -covid thanh hoa". A flag holds no
// space and no quote; and tulieu's few shorthands (-o, -h) are never
// written several together, so "-covid", a word to exclude typed as the
// syntax table shows it, is no bundle of flags either.
func dashArgument(err error) (string, bool) {
	_, arg, ok := strings.Cut(err.Error(), "unknown shorthand flag: ")
	if !ok {
		return "", false
	}
	if _, arg, ok = strings.Cut(arg, "' in "); !ok || !strings.ContainsAny(arg, " \"") && utf8.RuneCountInString(arg) <= 2 {
		return "", false
	}
	return arg, true
}

// flagErrorText says what is wrong with a flag in the user's terms: a
// value that does not parse names the flag and the kind of value wanted,
// not the parser's error ("strconv.ParseInt: parsing …").
func flagErrorText(err error) string {
	var invalid *pflag.InvalidValueError
	if !errors.As(err, &invalid) {
		return err.Error()
	}
	fl := invalid.GetFlag()
	want := ""
	switch fl.Value.Type() {
	case "int", "int64", "int32", "uint", "uint64":
		want = "a whole number"
		if errors.Is(err, strconv.ErrRange) {
			return fmt.Sprintf("--%s %q: a number out of range", fl.Name, invalid.GetValue())
		}
	case "duration":
		want = "a duration such as 500ms, 2s, 1m or 24h"
		if _, days := fl.Value.(dayDuration); days {
			want = "a duration such as 24h, or days such as 7d"
		}
	case "float64", "float32":
		want = "a number such as 0.1"
	case "bool":
		want = "true or false"
	default:
		return err.Error()
	}
	return fmt.Sprintf("--%s %q: want %s", fl.Name, invalid.GetValue(), want)
}

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s needs %s (see `%s --help`)", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q (see `%s --help`)", cmd.CommandPath(), strings.Join(args, " "), cmd.CommandPath())
	}
	return nil
}

// startCPUProfile writes a CPU profile of the whole command to path (for
// `go tool pprof`), until stop is called: how the figures of
// BENCHMARKS.md are taken apart, in the real process under real load.
func startCPUProfile(path string) (stop func(), err error) {
	out, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		out.Close()
	}, nil
}

// dayDuration is a duration flag that also takes days ("7d"), as --since
// does: `--revisit-cycle 7d`, `serve --recrawl-every 1d`. Its help reads
// as a duration's.
type dayDuration struct{ d *time.Duration }

func newDayDuration(p *time.Duration, def time.Duration) dayDuration {
	*p = def
	return dayDuration{p}
}

func (v dayDuration) String() string {
	if v.d == nil || *v.d == 0 {
		return "0" // (a zero default goes unsaid in the help, as a duration's)
	}
	return v.d.String()
}

func (v dayDuration) Set(s string) error {
	if days, ok := strings.CutSuffix(strings.TrimSpace(s), "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 36500 {
			return fmt.Errorf("want a number of days from 0 to 36500 before the d (%q)", s)
		}
		*v.d = time.Duration(n) * 24 * time.Hour
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 24h or 7d (%q)", s)
	}
	*v.d = d
	return nil
}

func (v dayDuration) Type() string { return "duration" }
