//! Problems found while building, collected rather than thrown.
//!
//! A build reads every post before it stops, so an editor sees all of a build's problems
//! at once, sorted by file, each naming the file, the line and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How bad a problem is: errors fail the build, warnings only fail it under `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site is built, but something in the input is probably not what the editor meant.
    Warning,
}

/// One problem, located as precisely as the input allows. Serializable: the build cache
/// keeps each source's diagnostics, to show them again on every build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column (in characters), when the problem has one.
    pub column: Option<usize>,
    /// What is wrong and what was expected, as a short lower-case phrase.
    pub message: String,
    /// The offending line of the input, shown under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            source_line: None,
        }
    }

    /// A warning about a whole file.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    /// Points the diagnostic at a line (and column) of `text`, copying that line for display.
    pub fn at(mut self, text: &str, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.chars().take(200).collect());
        self
    }

    /// Points the diagnostic at a line whose text the caller already has, so a caller that
    /// reports on many lines of one file does not rescan the file for each.
    pub fn at_line(mut self, line: usize, column: Option<usize>, source_line: &str) -> Self {
        self.line = Some(line);
        self.column = column;
        self.source_line = Some(source_line.chars().take(200).collect());
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Replaces the file with its path relative to `root`, for shorter messages.
    pub fn relative_to(mut self, root: &Path) -> Self {
        if let Ok(rel) = self.file.strip_prefix(root) {
            self.file = rel.to_path_buf();
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: {}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let (Some(line), Some(src)) = (self.line, &self.source_line) {
            let gutter = line.to_string().len();
            write!(f, "\n{:gutter$} |\n{line} | {src}", "")?;
            if let Some(col) = self.column {
                let pad: usize = src
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(display_width)
                    .sum();
                write!(f, "\n{:gutter$} | {:pad$}^", "", "")?;
            }
        }
        Ok(())
    }
}

/// Terminal columns a character takes: CJK and full-width forms take two.
fn display_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Sorts diagnostics the way they are shown: by file, then line, errors first.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_points_at_the_column_under_wide_characters() {
        let d = Diagnostic::error("content/a.md", "date: expected a date, found '2022-13-45'").at(
            "---\n日期: 2022-13-45\n",
            2,
            Some(5),
        );
        let shown = d.to_string();
        assert!(shown.starts_with("error: content/a.md:2:5: date: expected"));
        assert!(shown.contains("2 | 日期: 2022-13-45"));
        // two wide characters and ": " put the caret under the '2' at display column 7
        assert!(shown.ends_with("  |       ^"), "{shown}");
    }
}
