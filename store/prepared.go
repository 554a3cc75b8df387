package store

import (
	"context"
	"database/sql"
	"sync"
)

// prepared runs the catalog's frequent statements prepared once instead of
// parsed at every call: a crawl runs a dozen per page, and SQLite's parser
// was 7 % of a crawl's CPU time (BENCHMARKS.md, "The whole pipeline
// against wget"). Only statements whose text is fixed go through it (the
// cache is keyed by the text, and never shrinks); the rest use the
// database directly.
type prepared struct {
	db    *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func newPrepared(db *sql.DB) *prepared {
	return &prepared{db: db, stmts: map[string]*sql.Stmt{}}
}

// stmt returns query prepared, preparing it the first time. The lock is
// not held while preparing: that waits for the catalog's connection, and
// whoever holds the connection (a transaction) may need the lock to look
// its statements up.
func (p *prepared) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := p.cached(query); st != nil {
		return st, nil
	}
	st, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if other, ok := p.stmts[query]; ok { // prepared meanwhile
		st.Close()
		return other, nil
	}
	p.stmts[query] = st
	return st, nil
}

// cached returns query's statement if it is prepared, else nil.
func (p *prepared) cached(query string) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stmts[query]
}

// close closes every prepared statement (before the database is closed).
func (p *prepared) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for q, st := range p.stmts {
		st.Close()
		delete(p.stmts, q)
	}
}

// prepareAll prepares the statements that run inside transactions. They
// must be prepared before: preparing one needs the catalog's only
// connection, which the transaction holds.
func (p *prepared) prepareAll(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		if _, err := p.stmt(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// in returns the statement for use in tx, or alone when tx is nil; nil
// when it is to be run unprepared: in a transaction, one prepareAll did
// not prepare (see there).
func (p *prepared) in(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if tx == nil {
		return p.stmt(ctx, query)
	}
	st := p.cached(query)
	if st == nil {
		return nil, nil
	}
	// On the transaction's connection; database/sql reuses the statement
	// already prepared there (the catalog has one connection).
	return tx.StmtContext(ctx, st), nil
}

// exec runs a statement of fixed text, in tx when it is not nil.
func (p *prepared) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := p.in(ctx, tx, query)
	switch {
	case err != nil:
		return nil, err
	case st == nil:
		return tx.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

// queryRow runs a query of fixed text for one row, in tx when it is not
// nil. A statement that cannot be prepared is run unprepared, so that its
// error comes back through the row as usual.
func (p *prepared) queryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	st, err := p.in(ctx, tx, query)
	if err != nil || st == nil {
		if tx != nil {
			return tx.QueryRowContext(ctx, query, args...)
		}
		return p.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
