// Package vntext owns the Vietnamese text normalization used everywhere in
// tulieu: Unicode composition (NFC), tone-mark placement (NormalizeTone),
// accent folding (Fold) and a simple tokenizer (Tokens).
//
// The same website writes a word several ways: "hoà" and "hòa" (old and
// new tone-mark placement), precomposed or decomposed (NFD) code points,
// with or without accents when typed into a search box. Search, scoring
// and deduplication must treat these as one word, so every comparison of
// Vietnamese text in the project goes through this package. The functions
// are pure (no state, no I/O) and safe for concurrent use.
//
// # Tone-mark convention
//
// NormalizeTone rewrites each syllable to the convention of "hòa",
// "thúy", "khỏe", "Thanh Hóa": the placement used by most Vietnamese news
// sites, government portals and search engines today. (Vietnamese writers
// call the competing "hoà", "thuý", "khoẻ" placement either "new style",
// after the 1980s school rules, or "old style"; the names are used both
// ways, so the code states the rule instead.) Per syllable, after
// splitting off the initial consonant (with "qu" and "gi" counted as
// consonants when a vowel follows them) and the final consonant:
//
//  1. A nucleus containing a vowel with a diacritic (ă â ê ô ơ ư) takes the
//     tone mark on that vowel; with two of them ("ươ") it goes on the
//     second (ơ): "người", "thuở", "cứu", "khuyến", "hoặc".
//  2. Otherwise a three-vowel nucleus takes the mark on the middle vowel:
//     "ngoài", "khuỷu", "ngoẹo", "khuya".
//  3. Otherwise a two-vowel nucleus followed by a final consonant takes the
//     mark on the second vowel: "hoàn", "toán", "huỳnh".
//  4. Otherwise a two-vowel nucleus with no final consonant takes it on the
//     first vowel. This is the rule that differs between the conventions:
//     "hòa", "khỏe", "thúy", "tùy" here (not "hoà", "khoẻ", "thuý", "tuỳ"),
//     like the undisputed "mái", "cháu", "mía", "múa", "túi". Because "qu"
//     and "gi" are consonants, "quý", "quà", "giá" keep the mark on the
//     vowel after them.
//  5. A single vowel takes the mark.
//
// A word that does not parse as one Vietnamese syllable (foreign words,
// abbreviations, words with two tone marks, stray combining marks) is
// left exactly as it was, so the function never damages text it does not
// understand. Letter case is kept per letter.
package vntext
