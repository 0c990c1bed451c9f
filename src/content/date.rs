//! Dates in every form editors and feeds write them, read in the site's timezone.
//!
//! STUB: a few forms only; issue 3 fills in the rest.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// Why a date string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a date such as 2022-04-28 or 2022-04-28 13:44:07 +0800, found '{found}'")]
pub struct DateError {
    /// The text that was not a date.
    pub found: String,
}

/// Parses a front matter date (any accepted form); dates without an offset are in `tz`.
pub fn parse_date(s: &str, tz: Tz) -> Result<DateTime<FixedOffset>, DateError> {
    let s = s.trim();
    let err = || DateError {
        found: s.to_string(),
    };
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Ok(d);
    }
    if let Ok(d) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z") {
        return Ok(d);
    }
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return localize(n, tz).ok_or_else(err);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return localize(d.and_hms_opt(0, 0, 0).ok_or_else(err)?, tz).ok_or_else(err);
    }
    Err(err())
}

/// Finds a full date in the first lines of a post's text (`2017年5月`, `2022年4月28日`, `2022-04-28`).
pub fn find_date_in_text(_text: &str, _tz: Tz) -> Option<DateTime<FixedOffset>> {
    None
}

/// Reads a Jekyll-style `YYYY-MM-DD-` prefix of a file stem: the date and the rest of the stem.
pub fn date_from_file_stem(stem: &str, tz: Tz) -> Option<(DateTime<FixedOffset>, &str)> {
    let prefix = stem.get(..10)?;
    let date = NaiveDate::parse_from_str(prefix, "%Y-%m-%d").ok()?;
    let rest = stem[10..].trim_start_matches(['-', '_', ' ']);
    Some((localize(date.and_hms_opt(0, 0, 0)?, tz)?, rest))
}

/// Puts a wall-clock time into `tz`, taking the earlier instant when the clock repeats.
pub fn localize(n: NaiveDateTime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    tz.from_local_datetime(&n)
        .earliest()
        .map(|d| d.fixed_offset())
}
