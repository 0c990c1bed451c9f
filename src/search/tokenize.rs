//! Text to search terms, the same way at build time and at query time.
//!
//! Chinese has no spaces between words, so splitting on spaces (what lunr and elasticlunr do)
//! finds nothing. Instead:
//!
//! - a run of Han, kana or hangul becomes every character on its own (so a one-character
//!   query works) and every overlapping pair of characters (`阿里云` -> `阿`, `里`, `云`,
//!   `阿里`, `里云`);
//! - a run of Latin (also Greek, Cyrillic) letters and digits becomes one lower-cased word;
//!   a `.` between two digits stays inside it, so `10.8` and `4.24` are single numbers;
//! - everything else separates.
//!
//! `themes/default/static/search.js` repeats these rules character for character; a change
//! here must be made there too.

/// Longest word kept, in characters; longer runs (hashes, URLs) are cut to this length at
/// build time and at query time alike, so a long query word still finds its word.
pub(crate) const MAX_WORD_CHARS: usize = 32;

/// Most terms one query looks up; a pasted paragraph would otherwise fetch every shard.
pub(crate) const MAX_QUERY_TERMS: usize = 16;

/// A query word shorter than this matches exactly; longer ones match as prefixes
/// (`kube` finds `kubesphere`). One letter as a prefix would fetch a large part of the index.
const MIN_PREFIX_CHARS: usize = 2;

/// Han (with extensions and compatibility forms), kana and hangul: the scripts written
/// without spaces, indexed as characters and character pairs.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF      // hangul jamo
        | 0x3005..=0x3007    // 々 〆 〇
        | 0x3040..=0x309F    // hiragana
        | 0x30A0..=0x30FA    // katakana (without the middle dot ・)
        | 0x30FC..=0x30FF
        | 0x3130..=0x318F    // hangul compatibility jamo
        | 0x31F0..=0x31FF    // katakana phonetic extensions
        | 0x3400..=0x4DBF    // Han extension A
        | 0x4E00..=0x9FFF    // Han
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // Han compatibility
        | 0xFF66..=0xFF9F    // half-width katakana
        | 0x20000..=0x3134F) // Han extensions B to G
}

/// Letters and digits of the space-separated scripts digest expects (Latin, Greek, Cyrillic),
/// after lower-casing. An explicit list rather than `char::is_alphanumeric`, because
/// search.js is plain ES2017 and has no Unicode property classes to match it with.
pub(crate) fn is_word_char(c: char) -> bool {
    matches!(u32::from(c),
        0x30..=0x39 | 0x61..=0x7A
        | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F // Latin-1 letters, Latin Extended A/B
        | 0x300..=0x36F                          // combining accents (decomposed text)
        | 0x370..=0x37D | 0x37F..=0x386 | 0x388..=0x3FF // Greek, without ; and ·
        | 0x400..=0x4FF) // Cyrillic
}

/// Folds full-width ASCII (`ＡＷＳ２０２２`) to ASCII and lower-cases, the way search.js does
/// (`String.prototype.toLowerCase` on the whole string, so Greek final sigma agrees too).
pub(crate) fn normalize(text: &str) -> Vec<char> {
    let folded: String = text
        .chars()
        .map(|c| match u32::from(c) {
            cp @ 0xFF01..=0xFF5E => char::from_u32(cp - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    folded.to_lowercase().chars().collect()
}

/// One unit of text between separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Run {
    /// Han, kana or hangul characters, indexed as characters and pairs.
    Cjk(Vec<char>),
    /// A lower-cased word or number, cut to [`MAX_WORD_CHARS`].
    Word(String),
}

/// Splits text into runs of CJK characters and words; separators are dropped.
pub(crate) fn runs(text: &str) -> Vec<Run> {
    let cs = normalize(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if is_cjk(cs[i]) {
            let start = i;
            while i < cs.len() && is_cjk(cs[i]) {
                i += 1;
            }
            out.push(Run::Cjk(cs[start..i].to_vec()));
        } else if is_word_char(cs[i]) {
            let start = i;
            i += 1;
            while i < cs.len() && (is_word_char(cs[i]) || is_decimal_point(&cs, i)) {
                i += 1;
            }
            out.push(Run::Word(
                cs[start..i].iter().take(MAX_WORD_CHARS).collect(),
            ));
        } else {
            i += 1;
        }
    }
    out
}

/// A `.` with a digit on each side belongs to the number (`10.8`); any other `.` separates.
fn is_decimal_point(cs: &[char], i: usize) -> bool {
    cs[i] == '.'
        && i > 0
        && cs[i - 1].is_ascii_digit()
        && cs.get(i + 1).is_some_and(|c| c.is_ascii_digit())
}

/// Every index term of a text, in text order, repeats included.
#[cfg(test)]
pub(crate) fn index_terms(text: &str) -> Vec<String> {
    index_terms_at(text).into_iter().map(|(t, _)| t).collect()
}

/// Every index term of a text with the position of its first character (in characters of
/// the normalized text), in text order. Positions let the index record where pairs occur, so
/// a query can ask for its pairs next to each other.
#[cfg(test)]
pub(crate) fn index_terms_at(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for_each_term(text, |t, pos| out.push((t.to_string(), pos)));
    out
}

/// One index term, borrowed or by value so that tokenizing a long body allocates nothing
/// per occurrence (the index builder keys its maps on these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Term<'a> {
    /// A single CJK character.
    Char(char),
    /// Two neighbouring CJK characters.
    Pair(char, char),
    /// A word or number.
    Word(&'a str),
}

impl std::fmt::Display for Term<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        match self {
            Term::Char(c) => f.write_char(*c),
            Term::Pair(a, b) => {
                f.write_char(*a)?;
                f.write_char(*b)
            }
            Term::Word(w) => f.write_str(w),
        }
    }
}

/// Calls `f` with every index term of a text and its position, in text order (what
/// [`index_terms_at`] lists). The same rules as [`runs`], walked over the normalized
/// characters without building a run at a time: this is most of the index build's time.
pub(crate) fn for_each_term(text: &str, mut f: impl FnMut(Term<'_>, usize)) {
    let cs = normalize(text);
    let mut pos = 0;
    let mut word = String::new();
    let mut i = 0;
    while i < cs.len() {
        if is_cjk(cs[i]) {
            let start = i;
            while i < cs.len() && is_cjk(cs[i]) {
                i += 1;
            }
            let run = &cs[start..i];
            for (k, c) in run.iter().enumerate() {
                f(Term::Char(*c), pos + k);
                if let Some(next) = run.get(k + 1) {
                    f(Term::Pair(*c, *next), pos + k);
                }
            }
            // A gap of one keeps runs apart even when nothing separates them.
            pos += run.len() + 1;
        } else if is_word_char(cs[i]) {
            let start = i;
            i += 1;
            while i < cs.len() && (is_word_char(cs[i]) || is_decimal_point(&cs, i)) {
                i += 1;
            }
            word.clear();
            word.extend(cs[start..i].iter().take(MAX_WORD_CHARS));
            f(Term::Word(&word), pos);
            pos += 1;
        } else {
            i += 1;
        }
    }
}

/// True for a term of two CJK characters: the terms whose postings carry positions.
pub(crate) fn is_pair(term: &str) -> bool {
    let mut cs = term.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some(a), Some(b), None) if is_cjk(a) && is_cjk(b))
}

/// How one query term is looked up in the index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TermSpec {
    /// The index term must equal this.
    Exact(String),
    /// Any index term starting with this matches (Latin words and numbers as typed).
    Prefix(String),
}

impl TermSpec {
    /// The text looked up.
    pub(crate) fn text(&self) -> &str {
        match self {
            TermSpec::Exact(t) | TermSpec::Prefix(t) => t,
        }
    }
}

/// One word of a query: a document matches it when it has every one of its terms (for a
/// CJK word, next to each other as far as the index can tell), and it scores by the fields
/// holding all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryWord {
    /// The terms in text order: the pairs of a CJK run (term `k` starts at character `k`,
    /// so a pair may repeat), its single character, or the one Latin word or number.
    pub(crate) terms: Vec<TermSpec>,
}

/// Parses a query into words: each CJK run gives one word made of its character pairs (or
/// its single character), each Latin word or number gives one prefix (or exact, when one
/// character long) term. Repeated words are dropped and at most [`MAX_QUERY_TERMS`] terms are
/// kept, earlier words first.
pub(crate) fn query_words(query: &str) -> Vec<QueryWord> {
    let mut out: Vec<QueryWord> = Vec::new();
    let mut budget = MAX_QUERY_TERMS;
    for run in runs(query) {
        if budget == 0 {
            break;
        }
        let mut terms = match run {
            Run::Cjk(cs) if cs.len() == 1 => vec![TermSpec::Exact(cs[0].to_string())],
            Run::Cjk(cs) => cs
                .windows(2)
                .map(|w| TermSpec::Exact(w.iter().collect()))
                .collect(),
            Run::Word(w) if w.chars().count() < MIN_PREFIX_CHARS => vec![TermSpec::Exact(w)],
            Run::Word(w) => vec![TermSpec::Prefix(w)],
        };
        terms.truncate(budget);
        if out.iter().any(|q| q.terms == terms) {
            continue;
        }
        budget -= terms.len();
        out.push(QueryWord { terms });
    }
    out
}
