//! Bytes to text: detects the encoding (BOM, UTF-16, GBK/GB18030, Big5) and normalises line ends.
//!
//! Posts arrive from editors, scrapers and old Windows tools, so the same digest holds UTF-8
//! (with and without a BOM), UTF-16 with a BOM, and the legacy Chinese encodings GBK/GB18030
//! and Big5. The order of decisions is chosen so that valid UTF-8 is never second-guessed:
//!
//! 1. a BOM decides (UTF-8, UTF-16LE, UTF-16BE);
//! 2. bytes that are valid UTF-8 are UTF-8;
//! 3. bytes that are *nearly* UTF-8 (many valid multi-byte sequences, a few broken ones) are
//!    a damaged UTF-8 file, reported as such rather than guessed into mojibake;
//! 4. otherwise `chardetng` guesses, and only GBK (which decodes GB18030 too) and Big5 are
//!    accepted, and only if they decode without a single error.
//!
//! Whatever the encoding, the decoded text must look like text (no NUL, few control
//! characters), or the file is [`DecodeError::NotText`]. Every step is one pass over the input.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, BIG5, GBK, UTF_16BE, UTF_16LE};

/// A file's text after decoding, with the encoding that was detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with `\r\n` and lone `\r` turned into `\n` and any BOM removed.
    pub text: String,
    /// The name of the encoding the bytes were in (`UTF-8`, `GBK`, `Big5`, `UTF-16LE`, ...).
    pub encoding: &'static str,
}

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes are not text in any encoding digest knows (an image, an archive, random bytes).
    #[error("not a text file: {0}")]
    NotText(String),
}

/// At most one control character in this many decoded characters is still text.
///
/// Real posts carry at most a stray form feed or escape; binary data decoded as text has
/// roughly one control character in ten.
const CONTROL_CHAR_RATIO: usize = 100;

/// Decodes a post's bytes into normalised text.
///
/// This is the one place where bytes become text, so that every later stage can work on
/// `&str` and never has to think about encodings or Windows line ends.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, encoding) = decode_raw(bytes)?;
    check_looks_like_text(&text)?;
    Ok(Decoded {
        text: normalise_line_ends(&text),
        encoding,
    })
}

/// Picks the encoding and decodes, without judging whether the result is text.
fn decode_raw(bytes: &[u8]) -> Result<(String, &'static str), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok((text.to_owned(), "UTF-8")),
            Err(e) => Err(not_text(format!(
                "starts with a UTF-8 byte order mark but has invalid UTF-8 at byte {}",
                e.valid_up_to() + 3
            ))),
        };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_strict(UTF_16LE, rest).ok_or_else(|| not_text("invalid UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_strict(UTF_16BE, rest).ok_or_else(|| not_text("invalid UTF-16BE"));
    }
    if contains_nul(bytes) {
        if looks_like_utf16_without_bom(bytes) {
            return Err(not_text(
                "contains NUL bytes; it may be UTF-16 without a byte order mark: save it as UTF-8",
            ));
        }
        return Err(not_text("contains NUL bytes"));
    }
    let first_error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok((text.to_owned(), "UTF-8")),
        Err(e) => e.valid_up_to(),
    };
    if looks_like_broken_utf8(bytes) {
        return Err(not_text(format!(
            "mostly UTF-8 but has invalid UTF-8 at byte {first_error}; the file may be damaged"
        )));
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Deny);
    if guess == GBK || guess == encoding_rs::GB18030 {
        // encoding_rs's GBK decoder is the GB18030 decoder, so four-byte sequences work too.
        return decode_strict(GBK, bytes)
            .ok_or_else(|| not_text("bytes are neither UTF-8 nor valid GBK/GB18030"));
    }
    if guess == BIG5 {
        return decode_strict(BIG5, bytes)
            .ok_or_else(|| not_text("bytes are neither UTF-8 nor valid Big5"));
    }
    Err(not_text(format!(
        "not UTF-8, UTF-16, GBK or Big5 (it looks like {}); save it as UTF-8",
        guess.name()
    )))
}

/// Decodes with `encoding`, BOM already removed, refusing any malformed sequence.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<(String, &'static str)> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| (text.into_owned(), encoding.name()))
}

/// Whether the bytes hold a NUL; outside UTF-16, a NUL byte means binary data.
fn contains_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// Whether NUL bytes fall on every other byte, as in ASCII text saved as UTF-16 with no BOM.
///
/// Such a file is refused like any other with NUL bytes, but the reason says what to do.
fn looks_like_utf16_without_bom(bytes: &[u8]) -> bool {
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let pairs = bytes.len() / 2;
    pairs >= 2 && (even.max(odd)).saturating_mul(2) >= pairs && even.min(odd) == 0
}

/// Whether invalid UTF-8 is a damaged UTF-8 file rather than a legacy encoding.
///
/// GBK and Big5 text almost never forms valid UTF-8 multi-byte sequences, while a UTF-8
/// file with a cut or corrupted character is almost all valid sequences. Guessing such a
/// file as GBK would turn every Chinese character into mojibake, so it is refused instead.
fn looks_like_broken_utf8(bytes: &[u8]) -> bool {
    let mut valid = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid >= 8 && valid >= invalid.saturating_mul(8)
}

/// Refuses decoded text that is really binary data: NUL characters or many control characters.
fn check_looks_like_text(text: &str) -> Result<(), DecodeError> {
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return Err(not_text("contains NUL characters"));
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C') {
            controls += 1;
        }
    }
    if controls > 0 && controls.saturating_mul(CONTROL_CHAR_RATIO) > total {
        return Err(not_text(format!(
            "{controls} control characters in {total} characters"
        )));
    }
    Ok(())
}

/// Turns `\r\n` and lone `\r` into `\n`, in one pass.
fn normalise_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Builds a [`DecodeError::NotText`] from a short reason.
fn not_text(reason: impl Into<String>) -> DecodeError {
    DecodeError::NotText(reason.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A few sentences of the kind the digest carries, long enough for detection.
    const CHINESE: &str = "青云科技发布2021全年及2022年第一季度财报。财报显示，多项云产品、\
        服务取得稳步增长。得益于公司主动进行战略调整和业务优化，云服务同比毛利率亏损收窄。\
        面对市场环境、客户需求、技术演进等多重变化，公司全面梳理各项业务，紧抓时代变革机遇。";

    /// The same kind of text in traditional characters, as Big5 files from Taiwan and Hong Kong carry.
    const TRADITIONAL: &str = "雲端運算為中國式創新打開了一扇門。開發者、社群、創新公司為之瘋狂，\
        希望藉助開源的力量與國際大廠同台論道，平起平坐，共謀未來趨勢。\
        臺灣的資料中心業者也積極佈局雲端服務市場，競爭日趨激烈。";

    /// Deterministic pseudo-random numbers for the tests (xorshift64).
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn bytes(&mut self, len: usize) -> Vec<u8> {
            (0..len).map(|_| self.next() as u8).collect()
        }
    }

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, had_errors) = encoding.encode(text);
        assert!(!had_errors, "test text must be encodable");
        bytes.into_owned()
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let b = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&b);
        }
        out
    }

    fn is_not_text(bytes: &[u8]) -> bool {
        matches!(decode(bytes), Err(DecodeError::NotText(_)))
    }

    #[test]
    fn utf8_without_bom() {
        let d = decode(CHINESE.as_bytes()).unwrap();
        assert_eq!(d.text, CHINESE);
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn utf8_with_bom_drops_the_bom() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(CHINESE.as_bytes());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, CHINESE);
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn empty_input_is_empty_text() {
        let d = decode(b"").unwrap();
        assert_eq!(d.text, "");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(decode(b"\xEF\xBB\xBF").unwrap().text, "");
    }

    #[test]
    fn ascii_is_utf8() {
        let d = decode(b"title: hello\n\nworld\n").unwrap();
        assert_eq!(d.text, "title: hello\n\nworld\n");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn short_utf8_chinese_is_never_guessed_as_another_encoding() {
        // Short strings are where a detector is weakest; valid UTF-8 must win every time.
        for s in [
            "青云",
            "中",
            "云计算",
            "阿里云们的十字路口",
            "首发| 青云QingCloud",
            "é",
        ] {
            let d = decode(s.as_bytes()).unwrap();
            assert_eq!(d.text, s);
            assert_eq!(d.encoding, "UTF-8");
        }
    }

    #[test]
    fn utf8_with_literal_replacement_character_is_kept() {
        // The seeds were cut mid-character by a scraper and carry U+FFFD as valid UTF-8.
        let s = "未来\u{FFFD}\n";
        assert_eq!(decode(s.as_bytes()).unwrap().text, s);
    }

    #[test]
    fn utf16_le_with_bom() {
        let text = format!("title: 测试\r\n\r\n{CHINESE}\r\n");
        let d = decode(&utf16(&text, false)).unwrap();
        assert_eq!(d.encoding, "UTF-16LE");
        assert_eq!(d.text, format!("title: 测试\n\n{CHINESE}\n"));
    }

    #[test]
    fn utf16_be_with_bom() {
        let d = decode(&utf16(CHINESE, true)).unwrap();
        assert_eq!(d.encoding, "UTF-16BE");
        assert_eq!(d.text, CHINESE);
    }

    #[test]
    fn utf16_with_astral_characters() {
        let s = "𠮷野家 and 😀";
        assert_eq!(decode(&utf16(s, false)).unwrap().text, s);
        assert_eq!(decode(&utf16(s, true)).unwrap().text, s);
    }

    #[test]
    fn utf16_with_lone_surrogate_is_not_text() {
        // A high surrogate followed by an ordinary character.
        assert!(is_not_text(&[0xFF, 0xFE, 0x3D, 0xD8, 0x41, 0x00]));
    }

    #[test]
    fn utf16_with_odd_length_is_not_text() {
        assert!(is_not_text(&[0xFF, 0xFE, 0x41, 0x00, 0x42]));
    }

    #[test]
    fn utf32_is_not_text_rather_than_mojibake() {
        // UTF-32LE starts like UTF-16LE but is full of NUL characters.
        let bytes = [0xFF, 0xFE, 0, 0, 0x41, 0, 0, 0, 0x42, 0, 0, 0];
        assert!(is_not_text(&bytes));
    }

    #[test]
    fn gbk_is_detected() {
        let bytes = encode(GBK, CHINESE);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert_eq!(d.text, CHINESE);
    }

    #[test]
    fn gbk_with_front_matter_and_crlf() {
        let text =
            format!("---\r\ntitle: 青云科技2021年报\r\ndate: 2022-04-28\r\n---\r\n{CHINESE}\r\n");
        let d = decode(&encode(GBK, &text)).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert_eq!(
            d.text,
            format!("---\ntitle: 青云科技2021年报\ndate: 2022-04-28\n---\n{CHINESE}\n")
        );
    }

    #[test]
    fn gb18030_four_byte_characters_decode() {
        // 𠮷 is outside GBK and takes a four-byte GB18030 sequence.
        let text = format!("{CHINESE}𠮷");
        let bytes = encode(encoding_rs::GB18030, &text);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert_eq!(d.text, text);
    }

    #[test]
    fn short_gbk_is_decoded_or_refused_never_mojibake() {
        for s in [
            "青云科技2021年报：深耕技术研发 服务数字中国",
            "阿里云们的十字路口",
            "云计算发展研究",
        ] {
            match decode(&encode(GBK, s)) {
                Ok(d) => assert_eq!(d.text, s),
                Err(DecodeError::NotText(_)) => {}
            }
        }
    }

    #[test]
    fn large_gbk_input_decodes_in_one_pass() {
        // Guards against accidental quadratic work in the heuristics: 200 KB must be quick.
        let text = CHINESE.repeat(1000);
        let bytes = encode(GBK, &text);
        assert!(bytes.len() > 200_000);
        let started = std::time::Instant::now();
        assert_eq!(decode(&bytes).unwrap().text, text);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn big5_is_detected() {
        let bytes = encode(BIG5, TRADITIONAL);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "Big5");
        assert_eq!(d.text, TRADITIONAL);
    }

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        let d = decode(b"a\r\nb\rc\n\r\nd\r").unwrap();
        assert_eq!(d.text, "a\nb\nc\n\nd\n");
        assert_eq!(decode(b"\r\r\n").unwrap().text, "\n\n");
    }

    #[test]
    fn tabs_and_form_feeds_are_text() {
        assert_eq!(decode(b"a\tb\x0Cc").unwrap().text, "a\tb\x0Cc");
    }

    #[test]
    fn png_header_is_not_text() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00";
        assert!(is_not_text(png));
    }

    #[test]
    fn nul_bytes_are_not_text() {
        assert!(is_not_text(b"hello\0world"));
        assert!(is_not_text(b"\0"));
    }

    #[test]
    fn utf16_without_bom_is_refused_with_advice() {
        let mut bytes = utf16("title: hello world", false);
        bytes.drain(..2);
        match decode(&bytes) {
            Err(DecodeError::NotText(reason)) => assert!(reason.contains("UTF-16"), "{reason}"),
            other => panic!("expected NotText, got {other:?}"),
        }
    }

    #[test]
    fn many_control_characters_are_not_text() {
        assert!(is_not_text(b"\x01\x02\x03\x04 some text"));
        assert!(is_not_text(b"\x1b"));
    }

    #[test]
    fn one_stray_control_character_in_a_long_post_is_text() {
        let text = format!("{CHINESE}\x1b{CHINESE}");
        assert!(decode(text.as_bytes()).is_ok());
    }

    #[test]
    fn random_bytes_are_not_text() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for len in [16, 64, 256, 4096] {
            for _ in 0..20 {
                let bytes = rng.bytes(len);
                assert!(is_not_text(&bytes), "random {len} bytes were taken as text");
            }
        }
    }

    #[test]
    fn random_high_bytes_are_not_text() {
        // No NUL and no control characters: only the decoders can refuse these.
        let mut rng = XorShift(42);
        for _ in 0..20 {
            let bytes: Vec<u8> = rng.bytes(2048).into_iter().map(|b| b | 0x80).collect();
            assert!(is_not_text(&bytes));
        }
    }

    #[test]
    fn damaged_utf8_is_not_guessed_as_gbk() {
        // A UTF-8 post with one byte cut out of a character must not become mojibake.
        let mut bytes = CHINESE.as_bytes().to_vec();
        bytes.remove(10);
        match decode(&bytes) {
            Err(DecodeError::NotText(reason)) => assert!(reason.contains("UTF-8"), "{reason}"),
            other => panic!("expected NotText, got {other:?}"),
        }
    }

    #[test]
    fn invalid_utf8_after_a_utf8_bom_is_not_text() {
        assert!(is_not_text(b"\xEF\xBB\xBFabc\xFF"));
    }

    #[test]
    fn latin1_is_refused_with_advice() {
        let bytes =
            b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade, r\xe9sum\xe9 \xe0 la carte.";
        match decode(bytes) {
            Err(DecodeError::NotText(reason)) => assert!(reason.contains("UTF-8"), "{reason}"),
            other => panic!("expected NotText, got {other:?}"),
        }
    }

    #[test]
    fn error_message_says_not_a_text_file() {
        let e = decode(b"\0").unwrap_err();
        assert!(e.to_string().starts_with("not a text file: "));
    }

    #[test]
    fn decode_never_panics_on_pseudo_random_input() {
        let mut rng = XorShift(0xDEAD_BEEF_CAFE_F00D);
        let prefixes: [&[u8]; 5] = [
            b"",
            b"\xEF\xBB\xBF",
            b"\xFF\xFE",
            b"\xFE\xFF",
            "中文".as_bytes(),
        ];
        for i in 0..3000 {
            let len = (rng.next() % 200) as usize;
            let mut bytes = prefixes[i % prefixes.len()].to_vec();
            bytes.extend(rng.bytes(len));
            if i % 3 == 0 {
                // Mostly text with a few random bytes: the hardest case for the heuristics.
                let take = (rng.next() % 60) as usize;
                let prefix: String = CHINESE.chars().take(take).collect();
                let mut text = encode(GBK, &prefix);
                text.extend(&bytes[..bytes.len().min(3)]);
                bytes = text;
            }
            if let Ok(d) = decode(&bytes) {
                assert!(!d.text.contains('\r'));
                assert!(!d.text.contains('\0'));
            }
        }
    }
}
