//! Bytes to text: detects the encoding (BOM, UTF-16, GBK/GB18030, Big5) and normalises line ends.
//!
//! STUB: UTF-8 only for now; issue 3 fills in detection.

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

/// Decodes a post's bytes into normalised text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text =
        std::str::from_utf8(bytes).map_err(|_| DecodeError::NotText("invalid UTF-8".into()))?;
    Ok(Decoded {
        text: text.replace("\r\n", "\n").replace('\r', "\n"),
        encoding: "UTF-8",
    })
}
