//! The compact text form of a posting list, as stored in the term shards.
//!
//! A posting list is the ascending list of documents holding a term, each with the fields the
//! term occurs in. JSON arrays would cost five or more bytes a posting; this costs one to four:
//! each posting is the number `(gap << 4) | fields`, where `gap` is the distance from the
//! previous document id minus one (the first posting's gap is its id), written little-endian
//! in base 32 with one character per 5 bits. Characters `A`..`f` (alphabet positions 0..31)
//! end a number, `g`..`_` (32..63) say more digits follow. Every character is safe in a JSON
//! string without escaping.
//!
//! Postings of character pairs also carry a position signature: bit `p % 4` is set for each
//! position `p` the pair occurs at, and the posting is `(gap << 8) | (signature << 4) | fields`.
//! A query for `蚂蚁金服` then asks for `蚂蚁`, `蚁金` and `金服` at positions one apart
//! modulo 4, which rules out most posts that merely hold the three pairs somewhere, for
//! about one more character per posting. Single characters and words carry none: a query
//! never needs their position.

/// The 64 characters of the encoding, in digit order.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Field bit: the term is in the title.
pub(crate) const TITLE: u8 = 1;
/// Field bit: the term is in a tag or category name.
pub(crate) const TAXONOMY: u8 = 2;
/// Field bit: the term is in the summary.
pub(crate) const SUMMARY: u8 = 4;
/// Field bit: the term is in the body.
pub(crate) const BODY: u8 = 8;

/// Appends postings to an encoded list one at a time, so a big index never holds its
/// postings as tuples (a 10,000-post site has millions).
#[derive(Debug, Default, Clone)]
pub(crate) struct PostingWriter {
    /// Whether postings carry a position signature.
    positions: bool,
    /// The smallest id the next posting may have.
    next: u64,
    /// The encoded list so far.
    out: String,
}

impl PostingWriter {
    /// A writer for a list with (pairs) or without position signatures.
    pub(crate) fn new(positions: bool) -> Self {
        PostingWriter {
            positions,
            ..Self::default()
        }
    }

    /// Adds a posting; ids must be pushed in ascending order, each once. `signature` is
    /// ignored for lists without positions.
    pub(crate) fn push(&mut self, id: u32, fields: u8, signature: u8) {
        let gap = u64::from(id).saturating_sub(self.next);
        self.next = u64::from(id) + 1;
        let mut v = if self.positions {
            (gap << 8) | (u64::from(signature & 0x0F) << 4) | u64::from(fields & 0x0F)
        } else {
            (gap << 4) | u64::from(fields & 0x0F)
        };
        loop {
            let digit = (v & 31) as usize;
            v >>= 5;
            if v == 0 {
                self.out.push(char::from(ALPHABET[digit]));
                break;
            }
            self.out.push(char::from(ALPHABET[32 + digit]));
        }
    }

    /// The encoded list.
    pub(crate) fn as_str(&self) -> &str {
        &self.out
    }
}

/// Encodes postings given in ascending, distinct document order.
#[cfg(test)]
pub(crate) fn encode(positions: bool, postings: &[(u32, u8, u8)]) -> String {
    let mut w = PostingWriter::new(positions);
    for &(id, fields, signature) in postings {
        w.push(id, fields, signature);
    }
    w.out
}

/// Each byte's position in [`ALPHABET`], or -1: decoding reads bytes through this table
/// (an update of a big index scans tens of MB of postings).
const DIGITS: [i8; 256] = {
    let mut table = [-1i8; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as i8;
        i += 1;
    }
    table
};

/// Why a posting list could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// A character outside the alphabet.
    BadChar(char),
    /// The text ended inside a number.
    Truncated,
    /// A number or document id too large to be real.
    Overflow,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::BadChar(c) => write!(f, "unexpected character {c:?}"),
            DecodeError::Truncated => write!(f, "ends in the middle of a number"),
            DecodeError::Overflow => write!(f, "number too large"),
        }
    }
}

/// Decodes a posting list, calling `each(id, fields, signature)` in ascending id order;
/// `signature` is 0 for lists without positions. `each` returns whether to go on: a scan
/// that has seen what it looks for stops there.
pub(crate) fn decode_while(
    text: &str,
    positions: bool,
    mut each: impl FnMut(u32, u8, u8) -> bool,
) -> Result<(), DecodeError> {
    let shift_id = if positions { 8 } else { 4 };
    let mut next: u64 = 0;
    let mut v: u64 = 0;
    let mut shift = 0u32;
    for (at, &b) in text.as_bytes().iter().enumerate() {
        let digit = DIGITS[usize::from(b)];
        if digit < 0 {
            let c = text[at..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(DecodeError::BadChar(c));
        }
        let digit = digit as u64;
        if shift > 45 {
            return Err(DecodeError::Overflow);
        }
        v |= (digit & 31) << shift;
        if digit >= 32 {
            shift += 5;
            continue;
        }
        let id = next + (v >> shift_id);
        let id32 = u32::try_from(id).map_err(|_| DecodeError::Overflow)?;
        let go_on = each(
            id32,
            (v & 0x0F) as u8,
            ((v >> 4) & 0x0F) as u8 * u8::from(positions),
        );
        if !go_on {
            return Ok(());
        }
        next = id + 1;
        v = 0;
        shift = 0;
    }
    if shift != 0 {
        return Err(DecodeError::Truncated);
    }
    Ok(())
}

/// Decodes a whole posting list, calling `each(id, fields, signature)` in ascending id
/// order; `signature` is 0 for lists without positions.
pub(crate) fn decode(
    text: &str,
    positions: bool,
    mut each: impl FnMut(u32, u8, u8),
) -> Result<(), DecodeError> {
    decode_while(text, positions, |id, f, s| {
        each(id, f, s);
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(positions: bool, p: &[(u32, u8, u8)]) -> Vec<(u32, u8, u8)> {
        let mut out = Vec::new();
        decode(&encode(positions, p), positions, |id, f, s| {
            out.push((id, f, s))
        })
        .unwrap();
        out
    }

    #[test]
    fn postings_roundtrip_small_and_large_ids() {
        let p = vec![
            (0, BODY, 0),
            (1, TITLE | BODY, 0),
            (2, BODY, 0),
            (40, 15, 0),
            (100_000, TAXONOMY, 0),
        ];
        assert_eq!(roundtrip(false, &p), p);
        let with_positions: Vec<_> = p
            .iter()
            .map(|&(id, f, _)| (id, f, (id % 15 + 1) as u8))
            .collect();
        assert_eq!(roundtrip(true, &with_positions), with_positions);
        assert_eq!(roundtrip(false, &[]), vec![]);
    }

    #[test]
    fn consecutive_body_hits_cost_one_byte() {
        // The common case in a big index: neighbouring posts, body only.
        assert_eq!(
            encode(false, &[(0, BODY, 0), (1, BODY, 0), (2, BODY, 0)]).len(),
            3
        );
    }

    #[test]
    fn a_scan_stops_where_it_is_told_to() {
        let list = encode(false, &[(1, BODY, 0), (5, BODY, 0), (9, BODY, 0)]);
        let mut seen = Vec::new();
        decode_while(&list, false, |id, _, _| {
            seen.push(id);
            id < 5
        })
        .unwrap();
        assert_eq!(seen, vec![1, 5]);
        // a non-ASCII character is named, not split into bytes
        assert_eq!(
            decode("A云", false, |_, _, _| {}),
            Err(DecodeError::BadChar('云'))
        );
    }

    #[test]
    fn malformed_postings_are_errors_not_panics() {
        assert_eq!(
            decode("A!", false, |_, _, _| {}),
            Err(DecodeError::BadChar('!'))
        );
        assert_eq!(decode("g", true, |_, _, _| {}), Err(DecodeError::Truncated));
        assert_eq!(
            decode(&"_".repeat(20), false, |_, _, _| {}),
            Err(DecodeError::Overflow)
        );
    }
}
