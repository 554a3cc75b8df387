// Package cli owns tulieu's command line: one cobra command per verb, each
// built by a NewCmdX constructor from a Factory that carries its
// dependencies (I/O streams, environment, how to open the store and the
// index), with an options struct and a run function that tests call
// in-process. No state lives outside a Factory, so a test can run many
// commands side by side.
package cli
