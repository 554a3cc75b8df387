// Package textdiff owns the word-level comparison of two versions of an
// article's text: which words were deleted, which inserted, which kept.
// The web page and the command line both show researchers how an article
// changed between crawls through it; it knows nothing of either (no HTML,
// no colours), only of text. It is pure (no state, no I/O) and safe for
// concurrent use.
//
// # Tokens
//
// Words compares tokens, not characters or lines. A token is a run of
// whitespace, a word, or punctuation split off a word:
//
//   - Whitespace is kept as tokens, including the "\n\n" that separates
//     paragraphs in stored bodies, so the ops reproduce both texts byte for
//     byte. A whitespace run with two or more newlines is a paragraph break.
//   - A word is a maximal run of non-space runes (unicode.IsSpace; NBSP
//     counts as space). Combining marks are not spaces, so a Vietnamese
//     word stays one token whether stored precomposed (NFC) or decomposed
//     (NFD), and no token ever starts with a mark torn from its letter.
//   - Punctuation (unicode.IsPunct) at the start or end of a word is split
//     off as its own token: "(Thanh", "Hóa)." become "(", "Thanh", "Hóa",
//     ").". Editors add and remove commas and full stops all the time; were
//     punctuation part of the word, "Hóa" → "Hóa." would show a whole word
//     replaced, and a moved comma would mark two words as changed.
//     Punctuation inside a word stays: dates "15/3/2021", document codes
//     "12-KH/ĐUK", numbers "1.500", "50,5%" minus its trailing "%".
//
// Tokens are compared byte for byte. "hoà" and "hòa", or NFC and NFD forms
// of one word, differ: a site that changes its encoding has changed its
// bytes, and hiding that is the caller's decision (normalize both sides
// with package vntext first).
//
// # Algorithm and bounds
//
// The common prefix and suffix are trimmed first (two crawls of an
// article are mostly identical), then the rest is diffed with the
// linear-space variant of Myers' O(ND) algorithm: O((N+M)·D) time, memory
// linear in the cap below, never an N×M table.
//
// The search gives up when the edit distance exceeds maxCost tokens
// (2000, about 500 changed words). Words then diffs by paragraph: unchanged
// paragraphs are kept, changed ones are diffed word by word (pairwise when
// as many were removed as added), and a region still too costly, such as a
// rewritten paragraph-free text, is shown as one deletion and one
// insertion. The result is always a correct diff, only coarser than the
// shortest one.
//
// # Readability
//
// A shortest edit script is not the most readable one, so Words post-
// processes it:
//
//   - Sliding: an insertion or deletion that could sit at several places
//     in a run of equal tokens is moved to the best boundaries: text edges,
//     then paragraph starts, then word starts. An added paragraph thus comes
//     out as the whole paragraph with its break, not as the break before
//     it plus the paragraph minus its break.
//   - Semantic cleanup: an equal run between two changes that is no longer,
//     in words, than the changes on each side is folded into them, so a
//     rewritten sentence reads as one deletion and one insertion, not
//     alternating fragments glued by shared spaces and function words.
//     Runs holding a paragraph break are never folded (paragraphs stay
//     aligned), nor are runs of words between two pure insertions or two
//     pure deletions (they are separate additions, not a rewrite).
//
// Stats counts changed words, Paragraphs cuts ops into one block per
// paragraph for the web page, and Unified renders them as text with
// git-style [-deleted-]{+inserted+} markers for the command line.
package textdiff
