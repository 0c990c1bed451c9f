//! Dates in every form editors and feeds write them, read in the site's timezone.
//!
//! Front matter dates come from Jekyll (`2022-04-28 13:44:07 +0800`), Hexo feeds (RFC 2822),
//! hand-written posts (`2022年4月28日`, `2022/4/28`) and scripts (Unix seconds). They are all
//! read by one small hand-written scanner rather than a list of format strings, so that every
//! accepted form is visible in one place and an impossible date (`2022-13-45`) is an error
//! instead of being skipped by one format and half-read by another.
//!
//! A date without an offset is a wall-clock time in the site's timezone; a date with an
//! offset keeps it. Nothing here reads the clock or the file system: the same text always
//! gives the same date, which keeps builds reproducible.

use chrono::{
    DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
};
use chrono_tz::Tz;

/// Why a date string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a date such as 2022-04-28 or 2022-04-28 13:44:07 +0800, found '{found}'")]
pub struct DateError {
    /// The text that was not a date.
    pub found: String,
}

/// How many non-empty lines at the top of a post [`find_date_in_text`] looks at.
///
/// A byline or issue date sits at the top; a date further down is about something else.
pub const DATE_SEARCH_LINES: usize = 10;

/// The longest line, in characters, that [`find_date_in_text`] searches throughout.
///
/// A byline (`来源：新华网 2022-04-28`) or a report cover (`2017年5月第5期(总第25期)`) is
/// short. Plain-text posts often hold a whole paragraph on one line, and a date inside a
/// paragraph (`该项目开发较早。2009年11月,Eucalyptus推出1.6版本`) is the date of an event the
/// post reports, not the post's own date; so in a longer line only a date that starts the
/// line counts.
pub const DATE_LINE_MAX_CHARS: usize = 60;

/// The years [`find_date_in_text`] believes are a post's date; others are history or noise.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1970..=2100;

/// Parses a front matter date (any accepted form); dates without an offset are in `tz`.
///
/// Accepted: RFC 3339 (`T` or a space, seconds and fraction optional, `Z` or an offset),
/// `YYYY-MM-DD HH:MM[:SS] [+0800|+08:00]`, the same with `/` or `.` between the date's
/// parts, `YYYY年M月D日 [HH:MM[:SS]]`, date only, RFC 2822 (`Sun, 19 Jun 2022 04:35:46 GMT`),
/// and Unix seconds (9 to 11 digits). Surrounding quotes are ignored, so `"2022-04-28"` and
/// `2022-04-28` are the same date. Full-width digits and colons are read as ASCII ones.
pub fn parse_date(s: &str, tz: Tz) -> Result<DateTime<FixedOffset>, DateError> {
    let found = s.trim();
    let err = || DateError {
        found: found.to_string(),
    };
    let inner = strip_quotes(found).trim();
    if inner.is_empty() {
        return Err(err());
    }
    if let Some(d) = parse_unix_seconds(inner, tz) {
        return Ok(d);
    }
    let chars = normalise_chars(inner);
    if let Some(parsed) = parse_numeric(&chars) {
        return parsed.resolve(tz).ok_or_else(err);
    }
    parse_rfc2822(inner).ok_or_else(err)
}

/// Whether a front matter date value holds no date at all: empty, only quotes, only an
/// offset or zone (`date:  +0800`, as a feed converter writes when its source had no date),
/// or no digit anywhere (`TBD`, `待定`).
///
/// Such a value is a missing date (a warning), not a wrong one: nothing in it could be
/// corrected by the editor except by adding a date. `2022-13-45` does hold a date, an
/// impossible one, and stays an error.
pub fn holds_no_date(s: &str) -> bool {
    let chars = normalise_chars(strip_quotes(s.trim()).trim());
    if !chars.iter().any(char::is_ascii_digit) {
        return true;
    }
    let mut cur = Cursor::new(&chars);
    cur.skip_spaces();
    if read_offset(&mut cur).is_none() {
        return false;
    }
    cur.skip_spaces();
    cur.at_end()
}

/// Finds a full date in the first lines of a post's text (`2017年5月`, `2022年4月28日`, `2022-04-28`).
///
/// Used for posts with no front matter, such as text exported from a PDF report whose cover
/// says `2017年5月第5期`. Only the first [`DATE_SEARCH_LINES`] non-empty lines are searched:
/// the whole line when it is short (up to [`DATE_LINE_MAX_CHARS`]), only its start when it is
/// a paragraph. The first date found wins.
/// A year and month alone (`2017年5月`) means the 1st of that month; a year alone
/// (`2021年总营收`) or a month and day alone (`4月28日`) is not a date. The result is midnight
/// in `tz`.
pub fn find_date_in_text(text: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .take(DATE_SEARCH_LINES)
        .find_map(|line| {
            let chars = normalise_chars(line.trim());
            if chars.len() <= DATE_LINE_MAX_CHARS {
                (0..chars.len()).find_map(|start| date_at(&chars, start))
            } else {
                date_at(&chars, 0)
            }
        })
        .and_then(|date| localize(date.and_time(NaiveTime::MIN), tz))
}

/// Reads a Jekyll-style `YYYY-MM-DD-` prefix of a file stem: the date and the rest of the stem.
///
/// Jekyll and Hexo name posts `2022-04-28-some-title.md`; the prefix is the post's date when
/// its front matter has none. The date must be followed by the end of the stem or by `-`,
/// `_` or a space, so that `2022-04-281` is not read as the 28th.
pub fn date_from_file_stem(stem: &str, tz: Tz) -> Option<(DateTime<FixedOffset>, &str)> {
    let prefix = stem.get(..10)?;
    let rest = stem.get(10..)?;
    if !(rest.is_empty() || rest.starts_with(['-', '_', ' '])) {
        return None;
    }
    let chars: Vec<char> = prefix.chars().collect();
    let mut cur = Cursor::new(&chars);
    let year = cur.digits(4, 4)?;
    let month = cur.eat('-').then(|| cur.digits(2, 2))??;
    let day = cur.eat('-').then(|| cur.digits(2, 2))??;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let rest = rest.trim_start_matches(['-', '_', ' ']);
    Some((localize(date.and_time(NaiveTime::MIN), tz)?, rest))
}

/// Puts a wall-clock time into `tz`, taking the earlier instant when the clock repeats.
///
/// When the clock skips (the hour lost to daylight saving time), the time is read with the
/// offset in force before the skip, as most calendars do, so that such a date is not an error.
pub fn localize(n: NaiveDateTime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    if let Some(d) = tz.from_local_datetime(&n).earliest() {
        return Some(d.fixed_offset());
    }
    // In a gap: the offset just before it, applied to the wall-clock time.
    let before = n.checked_sub_signed(Duration::days(1))?;
    let offset = tz.from_local_datetime(&before).earliest()?.offset().fix();
    let utc = n.checked_sub_signed(Duration::seconds(i64::from(offset.local_minus_utc())))?;
    Some(tz.from_utc_datetime(&utc).fixed_offset())
}

/// Removes one pair of matching quotes around a value (`"…"`, `'…'`, `“…”`, `‘…’`).
///
/// Front matter written by hand quotes dates as often as not, and TOML or a careless YAML
/// block scalar can hand them over with the quotes still on.
fn strip_quotes(s: &str) -> &str {
    for (open, close) in [('"', '"'), ('\'', '\''), ('“', '”'), ('‘', '’')] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return inner;
        }
    }
    s
}

/// Maps full-width digits and punctuation that Chinese input methods produce to ASCII.
fn normalise_chars(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| match c {
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            '：' => ':',
            '－' => '-',
            '／' => '/',
            '．' => '.',
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Unix seconds: 9 to 11 ASCII digits (1973 to 5138), shown in the site's timezone.
fn parse_unix_seconds(s: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    if !(9..=11).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = s.parse().ok()?;
    let utc = DateTime::from_timestamp(secs, 0)?;
    Some(utc.with_timezone(&tz).fixed_offset())
}

/// RFC 2822, as feeds write it; a weekday that does not match the date is ignored.
fn parse_rfc2822(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    // Feeds get the weekday wrong surprisingly often; the date itself is what matters.
    let (weekday, rest) = s.split_once(',')?;
    if weekday.trim().len() == 3 && weekday.trim().chars().all(|c| c.is_ascii_alphabetic()) {
        DateTime::parse_from_rfc2822(rest.trim()).ok()
    } else {
        None
    }
}

/// A date and time as written, before the timezone is applied.
struct Written {
    date: NaiveDate,
    time: NaiveTime,
    offset: Option<FixedOffset>,
}

impl Written {
    /// Applies the written offset, or the site's timezone when there is none.
    fn resolve(&self, tz: Tz) -> Option<DateTime<FixedOffset>> {
        let naive = self.date.and_time(self.time);
        match self.offset {
            Some(offset) => offset.from_local_datetime(&naive).single(),
            None => localize(naive, tz),
        }
    }
}

/// Reads the numeric forms: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYY年M月D日`, each
/// optionally followed by a time and an offset. `None` if the text is not one of these or
/// names an impossible date or time.
fn parse_numeric(chars: &[char]) -> Option<Written> {
    let mut cur = Cursor::new(chars);
    let (date, chinese) = read_date(&mut cur)?;
    if cur.at_end() {
        return Some(Written {
            date,
            time: NaiveTime::MIN,
            offset: None,
        });
    }
    let had_t = cur.eat('T') || cur.eat('t');
    if !had_t && cur.skip_spaces() == 0 && !chinese {
        return None;
    }
    if cur.at_end() && !had_t {
        return Some(Written {
            date,
            time: NaiveTime::MIN,
            offset: None,
        });
    }
    let time = read_time(&mut cur)?;
    cur.skip_spaces();
    let offset = if cur.at_end() {
        None
    } else {
        Some(read_offset(&mut cur)?)
    };
    cur.skip_spaces();
    if !cur.at_end() {
        return None;
    }
    Some(Written { date, time, offset })
}

/// Reads a date in any numeric form; also says whether it was the `年月日` form.
fn read_date(cur: &mut Cursor<'_>) -> Option<(NaiveDate, bool)> {
    let year = cur.digits(4, 4)?;
    let after_year = cur.pos;
    cur.skip_spaces();
    if cur.peek() != Some('年') {
        cur.pos = after_year;
    }
    let sep = cur.next()?;
    let (month_end, chinese) = match sep {
        '-' | '/' | '.' => (sep, false),
        '年' => ('月', true),
        _ => return None,
    };
    cur.skip_spaces_if(chinese);
    let month = cur.digits(1, 2)?;
    cur.skip_spaces_if(chinese);
    if !cur.eat(month_end) {
        return None;
    }
    cur.skip_spaces_if(chinese);
    let day = cur.digits(1, 2)?;
    if chinese {
        cur.skip_spaces();
        if !(cur.eat('日') || cur.eat('号')) {
            return None;
        }
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some((date, chinese))
}

/// Reads `H:MM`, `HH:MM:SS` or `HH:MM:SS.fraction`.
fn read_time(cur: &mut Cursor<'_>) -> Option<NaiveTime> {
    let hour = cur.digits(1, 2)?;
    if !cur.eat(':') {
        return None;
    }
    let minute = cur.digits(2, 2)?;
    let mut second = 0;
    let mut nanos = 0;
    if cur.eat(':') {
        second = cur.digits(2, 2)?;
        if cur.eat('.') || cur.eat(',') {
            nanos = cur.fraction_nanos()?;
        }
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
}

/// Reads `Z`, `UTC`, `GMT`, `+08:00`, `+0800` or `+08`.
fn read_offset(cur: &mut Cursor<'_>) -> Option<FixedOffset> {
    if cur.eat('Z') || cur.eat('z') || cur.eat_word("UTC") || cur.eat_word("GMT") {
        return FixedOffset::east_opt(0);
    }
    let sign = match cur.next()? {
        '+' => 1,
        '-' | '\u{2212}' => -1,
        _ => return None,
    };
    let start = cur.pos;
    let (hours, minutes) = match cur.digits(1, 4)? {
        hhmm if cur.pos - start == 4 => (hhmm / 100, hhmm % 100),
        hh if cur.pos - start == 2 => {
            let mm = if cur.eat(':') { cur.digits(2, 2)? } else { 0 };
            (hh, mm)
        }
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    let secs = i32::try_from(hours * 3600 + minutes * 60).ok()?;
    FixedOffset::east_opt(sign * secs)
}

/// A full date (or year and month) starting exactly at `start`, for [`find_date_in_text`].
fn date_at(chars: &[char], start: usize) -> Option<NaiveDate> {
    let before = start.checked_sub(1).and_then(|i| chars.get(i));
    if before.is_some_and(char::is_ascii_digit) {
        return None;
    }
    let mut cur = Cursor::new(chars);
    cur.pos = start;
    let year = i32::try_from(cur.digits(4, 4)?).ok()?;
    if !PLAUSIBLE_YEARS.contains(&year) {
        return None;
    }
    match cur.next()? {
        '年' => {
            let month = cur.digits(1, 2)?;
            if !cur.eat('月') {
                return None;
            }
            let mut day_cur = cur.clone();
            let day = day_cur
                .digits(1, 2)
                .filter(|_| day_cur.eat('日') || day_cur.eat('号'));
            match day {
                Some(day) => NaiveDate::from_ymd_opt(year, month, day),
                None => NaiveDate::from_ymd_opt(year, month, 1),
            }
        }
        sep @ ('-' | '/') => {
            let month = cur.digits(1, 2)?;
            if !cur.eat(sep) {
                return None;
            }
            let day = cur.digits(1, 2)?;
            NaiveDate::from_ymd_opt(year, month, day)
        }
        _ => None,
    }
}

/// A position in a slice of characters, with the few reads the date forms need.
///
/// Every read is bounds-checked, so no input can make the scanner panic, and every read moves
/// forward, so scanning is linear.
#[derive(Clone)]
struct Cursor<'a> {
    chars: &'a [char],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(chars: &'a [char]) -> Self {
        Cursor { chars, pos: 0 }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn eat(&mut self, want: char) -> bool {
        if self.peek() == Some(want) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Eats `word` (ASCII, case-insensitive).
    fn eat_word(&mut self, word: &str) -> bool {
        let len = word.chars().count();
        let Some(found) = self.chars.get(self.pos..self.pos + len) else {
            return false;
        };
        if found
            .iter()
            .zip(word.chars())
            .all(|(a, b)| a.eq_ignore_ascii_case(&b))
        {
            self.pos += len;
            true
        } else {
            false
        }
    }

    /// Skips spaces and tabs; returns how many.
    fn skip_spaces(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn skip_spaces_if(&mut self, yes: bool) {
        if yes {
            self.skip_spaces();
        }
    }

    /// Reads a run of ASCII digits of `min..=max` length; a longer run is not a match.
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.pos;
        let mut value: u32 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            if self.pos - start >= max {
                return None;
            }
            value = value * 10 + d;
            self.pos += 1;
        }
        (self.pos - start >= min).then_some(value)
    }

    /// Reads the digits of a fraction of a second as nanoseconds (digits past 9 are dropped).
    fn fraction_nanos(&mut self) -> Option<u32> {
        let mut nanos: u32 = 0;
        let mut count = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            if count < 9 {
                nanos = nanos * 10 + d;
            }
            count += 1;
            self.pos += 1;
        }
        if count == 0 {
            return None;
        }
        for _ in count..9 {
            nanos *= 10;
        }
        Some(nanos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SH: Tz = chrono_tz::Asia::Shanghai;

    fn rfc(s: &str) -> String {
        parse_date(s, SH).unwrap().to_rfc3339()
    }

    fn is_err(s: &str) -> bool {
        parse_date(s, SH).is_err()
    }

    /// Regression: finews writes `date:  +0800` when its source had no date; that is a
    /// missing date, not an impossible one.
    #[test]
    fn values_without_a_date_are_told_apart_from_impossible_dates() {
        for blank in [
            "", "  ", "+0800", " +08:00 ", "\"\"", "'Z'", "GMT", "TBD", "待定",
        ] {
            assert!(holds_no_date(blank), "{blank:?}");
        }
        for wrong in [
            "2022-13-45",
            "2022",
            "13:44",
            "+0800 2022-04-28",
            "1651124647x",
        ] {
            assert!(!holds_no_date(wrong), "{wrong:?}");
        }
    }

    #[test]
    fn rfc3339_forms() {
        assert_eq!(
            rfc("2022-04-28T13:44:07+08:00"),
            "2022-04-28T13:44:07+08:00"
        );
        assert_eq!(rfc("2022-04-28T05:44:07Z"), "2022-04-28T05:44:07+00:00");
        assert_eq!(rfc("2022-04-28t05:44:07z"), "2022-04-28T05:44:07+00:00");
        assert_eq!(
            rfc("2022-04-28T13:44:07.5+08:00"),
            "2022-04-28T13:44:07.500+08:00"
        );
        assert_eq!(
            rfc("2022-04-28T13:44:07.123456789-05:00"),
            "2022-04-28T13:44:07.123456789-05:00"
        );
        assert_eq!(rfc("2022-04-28T13:44+08:00"), "2022-04-28T13:44:00+08:00");
        assert_eq!(
            rfc("2022-04-28 13:44:07+08:00"),
            "2022-04-28T13:44:07+08:00"
        );
        assert_eq!(rfc("2022-04-28 13:44:07Z"), "2022-04-28T13:44:07+00:00");
        assert_eq!(rfc("2022-04-28T13:44:07"), "2022-04-28T13:44:07+08:00");
    }

    #[test]
    fn rfc2822_forms() {
        // Seed 003: a Hexo feed date, in UTC.
        assert_eq!(
            rfc("Sun, 19 Jun 2022 04:35:46 GMT"),
            "2022-06-19T04:35:46+00:00"
        );
        assert_eq!(
            rfc("Sun, 19 Jun 2022 04:35:46 +0000"),
            "2022-06-19T04:35:46+00:00"
        );
        assert_eq!(
            rfc("Sun, 19 Jun 2022 12:35:46 +0800"),
            "2022-06-19T12:35:46+08:00"
        );
        assert_eq!(rfc("19 Jun 2022 04:35:46 GMT"), "2022-06-19T04:35:46+00:00");
    }

    #[test]
    fn rfc2822_with_wrong_weekday_keeps_the_date() {
        assert_eq!(
            rfc("Mon, 19 Jun 2022 04:35:46 GMT"),
            "2022-06-19T04:35:46+00:00"
        );
    }

    #[test]
    fn jekyll_forms_with_offset() {
        // Seed 001.
        assert_eq!(
            rfc("2022-04-28 13:44:07 +0800"),
            "2022-04-28T13:44:07+08:00"
        );
        assert_eq!(
            rfc("2022-04-28 13:44:07 +08:00"),
            "2022-04-28T13:44:07+08:00"
        );
        assert_eq!(
            rfc("2022-04-28 13:44:07 -0500"),
            "2022-04-28T13:44:07-05:00"
        );
        assert_eq!(rfc("2022-04-28 13:44:07 +08"), "2022-04-28T13:44:07+08:00");
        assert_eq!(rfc("2022-04-28 13:44:07 UTC"), "2022-04-28T13:44:07+00:00");
        assert_eq!(rfc("2022-04-28 13:44 +0530"), "2022-04-28T13:44:00+05:30");
    }

    #[test]
    fn forms_without_offset_are_in_the_site_timezone() {
        assert_eq!(rfc("2022-04-28 13:44:07"), "2022-04-28T13:44:07+08:00");
        assert_eq!(rfc("2022-04-28 13:44"), "2022-04-28T13:44:00+08:00");
        assert_eq!(rfc("2022-04-28 9:05"), "2022-04-28T09:05:00+08:00");
        assert_eq!(rfc("2022-04-28"), "2022-04-28T00:00:00+08:00");
        assert_eq!(rfc("2022-4-8"), "2022-04-08T00:00:00+08:00");
    }

    #[test]
    fn another_site_timezone() {
        let ny = chrono_tz::America::New_York;
        let d = parse_date("2022-04-28 13:44", ny).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-04-28T13:44:00-04:00");
        let d = parse_date("2022-01-28", ny).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-01-28T00:00:00-05:00");
        let d = parse_date("2022-04-28", chrono_tz::UTC).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-04-28T00:00:00+00:00");
    }

    #[test]
    fn slash_and_dot_forms() {
        assert_eq!(rfc("2022/04/28"), "2022-04-28T00:00:00+08:00");
        assert_eq!(rfc("2022/4/28"), "2022-04-28T00:00:00+08:00");
        assert_eq!(rfc("2022/04/28 13:44"), "2022-04-28T13:44:00+08:00");
        assert_eq!(rfc("2022/04/28 13:44:07"), "2022-04-28T13:44:07+08:00");
        assert_eq!(
            rfc("2022/04/28 13:44:07 +0000"),
            "2022-04-28T13:44:07+00:00"
        );
        assert_eq!(rfc("2022.04.28"), "2022-04-28T00:00:00+08:00");
        assert_eq!(rfc("2022.4.28 08:00"), "2022-04-28T08:00:00+08:00");
    }

    #[test]
    fn chinese_forms() {
        assert_eq!(rfc("2022年4月28日"), "2022-04-28T00:00:00+08:00");
        assert_eq!(rfc("2022年04月28日"), "2022-04-28T00:00:00+08:00");
        assert_eq!(rfc("2022年4月28日 13:44"), "2022-04-28T13:44:00+08:00");
        assert_eq!(rfc("2022年4月28日 13:44:07"), "2022-04-28T13:44:07+08:00");
        assert_eq!(rfc("2022年4月28日13:44"), "2022-04-28T13:44:00+08:00");
        assert_eq!(rfc("2022 年 4 月 28 日"), "2022-04-28T00:00:00+08:00");
        assert_eq!(
            rfc("２０２２年４月２８日 １３：４４"),
            "2022-04-28T13:44:00+08:00"
        );
        assert_eq!(rfc("2022年4月28号"), "2022-04-28T00:00:00+08:00");
    }

    #[test]
    fn unix_seconds() {
        assert_eq!(rfc("1651124647"), "2022-04-28T13:44:07+08:00");
        assert_eq!(rfc("999999999"), "2001-09-09T09:46:39+08:00");
        assert_eq!(rfc("10000000000"), "2286-11-21T01:46:40+08:00");
        assert!(is_err("12345678"));
        assert!(is_err("123456789012"));
    }

    #[test]
    fn quoted_and_unquoted_are_the_same() {
        for s in [
            "2022-04-28 13:44:07 +0800",
            "2022-04-28",
            "Sun, 19 Jun 2022 04:35:46 GMT",
            "2022年4月28日",
            "1651124647",
        ] {
            let plain = parse_date(s, SH).unwrap();
            assert_eq!(parse_date(&format!("\"{s}\""), SH).unwrap(), plain);
            assert_eq!(parse_date(&format!("'{s}'"), SH).unwrap(), plain);
            assert_eq!(parse_date(&format!("“{s}”"), SH).unwrap(), plain);
            assert_eq!(parse_date(&format!("  {s} \n"), SH).unwrap(), plain);
        }
    }

    #[test]
    fn impossible_dates_are_errors_naming_the_text() {
        for s in [
            "2022-13-45",
            "2022-02-30",
            "2021-02-29",
            "2022-04-31",
            "2022-00-10",
            "2022-04-00",
            "2022年13月1日",
            "2022/4/31",
            "2022-04-28 24:00",
            "2022-04-28 13:60",
            "2022-04-28 13:44:61",
            "2022-04-28 13:44:07 +2500",
            "2022-04-28 13:44:07 +0860",
            "Sun, 31 Jun 2022 04:35:46 GMT",
        ] {
            let e = parse_date(s, SH).unwrap_err();
            assert_eq!(e.found, s);
            assert!(e.to_string().contains(s));
        }
        assert_eq!(
            parse_date(" \"2022-13-45\" ", SH).unwrap_err().found,
            "\"2022-13-45\""
        );
    }

    #[test]
    fn leap_day_is_fine() {
        assert_eq!(rfc("2024-02-29"), "2024-02-29T00:00:00+08:00");
    }

    #[test]
    fn malformed_text_is_an_error() {
        for s in [
            "",
            "   ",
            "\"\"",
            "yesterday",
            "2022",
            "2022-04",
            "2017年5月",
            "22-04-28",
            "2022-04-28T",
            "2022-04-28x",
            "2022-04/28",
            "2022-04-28 13",
            "2022-04-28 13:4",
            "2022-04-28 13:44:07 +8",
            "2022-04-28 13:44:07 +08:0",
            "2022-04-28 13:44:07 +0800 extra",
            "2022-04-28 13:44:07.",
            "20220-04-28",
            "2022-004-28",
            "2022年4月28",
            "4月28日",
            "Sun, 19 Jun",
        ] {
            assert!(is_err(s), "{s:?} should not be a date");
        }
    }

    #[test]
    fn daylight_saving_gap_is_not_an_error() {
        // 2022-03-13 02:30 does not exist in New York; read it with the offset before the gap.
        let ny = chrono_tz::America::New_York;
        let d = parse_date("2022-03-13 02:30", ny).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-03-13T03:30:00-04:00");
        // A repeated hour takes the earlier instant.
        let d = parse_date("2022-11-06 01:30", ny).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-11-06T01:30:00-04:00");
    }

    #[test]
    fn finds_year_and_month_in_a_report_cover() {
        // Seed 002: the cover of a PDF report, with blank lines first.
        let text = "\n\n政府领导及企业高管参阅\n\n云计算发展研究\n\n(内部资料 妥善保管)\n\n\
                    2017年5月第5期(总第25期)\n\n目录\n";
        let d = find_date_in_text(text, SH).unwrap();
        assert_eq!(d.to_rfc3339(), "2017-05-01T00:00:00+08:00");
    }

    #[test]
    fn finds_full_dates() {
        let cases = [
            ("发布时间：2022年4月28日 13:44", "2022-04-28T00:00:00+08:00"),
            ("来源：新华网 2022-04-28", "2022-04-28T00:00:00+08:00"),
            ("2022/4/28 记者报道", "2022-04-28T00:00:00+08:00"),
            ("２０２２年４月２８日", "2022-04-28T00:00:00+08:00"),
            ("2022年4月28号讯", "2022-04-28T00:00:00+08:00"),
        ];
        for (text, want) in cases {
            assert_eq!(
                find_date_in_text(text, SH).unwrap().to_rfc3339(),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn prefers_the_first_date() {
        let text = "标题\n2022年4月28日 发布，更新于 2022-05-01\n2023-01-01\n";
        let d = find_date_in_text(text, SH).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-04-28T00:00:00+08:00");
        let text = "2017年5月，2022-04-28";
        let d = find_date_in_text(text, SH).unwrap();
        assert_eq!(d.to_rfc3339(), "2017-05-01T00:00:00+08:00");
    }

    #[test]
    fn ignores_years_alone_and_month_days_alone() {
        // Seed 001's body and seed 004's first line.
        for text in [
            "财报显示，2021年总营收达4.24 亿元，2022年第一季度营收7963.05万元",
            "4月28日“中国混合云第一股”青云科技发布2021全年及2022年第一季度财报。",
            "如果从2010年OpenStack基金会成立算起,如今已过去了12年时间。",
            "投资界（微信ID：pedaily2012）6月12日消息",
            "2017中国云计算技术大会",
            "版本 12022-04-28 不是日期",
            "2022-04-281",
            "2022-13-45 与 2022年13月",
            "1959年5月 第一篇虚拟化论文",
        ] {
            assert_eq!(find_date_in_text(text, SH), None, "{text}");
        }
    }

    #[test]
    fn skips_an_impossible_date_and_finds_a_later_one() {
        let d = find_date_in_text("2022-13-45 then 2022-04-28", SH).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-04-28T00:00:00+08:00");
    }

    #[test]
    fn looks_only_at_the_first_ten_non_empty_lines() {
        let mut text = String::new();
        for i in 0..10 {
            text.push_str(&format!("第{i}行\n\n"));
        }
        text.push_str("2022-04-28\n");
        assert_eq!(find_date_in_text(&text, SH), None);
        let text = "\n\n\n一\n二\n三\n四\n五\n六\n七\n八\n九\n2022-04-28\n";
        assert!(find_date_in_text(text, SH).is_some());
    }

    #[test]
    fn looks_only_at_the_start_of_a_long_line() {
        // Seed 004, line 9: a paragraph that mentions an event's date is not dated by it.
        let paragraph =
            "Eucalyptus:源于美国加州大学圣芭芭拉分校计算机科学系RichWolski领导的项目组。\
                         该项目开发和应用较早。2009年11月,开源云计算平台Eucalyptus推出1.6版本。";
        assert_eq!(find_date_in_text(paragraph, SH), None);
        let lede = format!("2022年4月28日，{}", "青云科技发布财报。".repeat(10));
        let d = find_date_in_text(&lede, SH).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-04-28T00:00:00+08:00");
        let short = format!("{}2022年4月28日", "云".repeat(DATE_LINE_MAX_CHARS - 10));
        assert!(find_date_in_text(&short, SH).is_some());
        let long = format!("{}2022年4月28日", "云".repeat(DATE_LINE_MAX_CHARS));
        assert_eq!(find_date_in_text(&long, SH), None);
    }

    #[test]
    fn empty_text_has_no_date() {
        assert_eq!(find_date_in_text("", SH), None);
        assert_eq!(find_date_in_text("\n\n  \n", SH), None);
    }

    #[test]
    fn jekyll_file_stem() {
        let (d, rest) = date_from_file_stem("2022-04-28-qingyun-nianbao", SH).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-04-28T00:00:00+08:00");
        assert_eq!(rest, "qingyun-nianbao");
        let (d, rest) = date_from_file_stem("2022-04-28", SH).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-04-28T00:00:00+08:00");
        assert_eq!(rest, "");
        let (_, rest) = date_from_file_stem("2022-04-28_青云", SH).unwrap();
        assert_eq!(rest, "青云");
        let (_, rest) = date_from_file_stem("2022-04-28 --title", SH).unwrap();
        assert_eq!(rest, "title");
    }

    #[test]
    fn jekyll_file_stem_refuses_non_dates() {
        for stem in [
            "",
            "2022-04",
            "2022-13-45-slug",
            "2022-02-30-slug",
            "2022-4-28-slug",
            "2022-04-281-slug",
            "2022/04/28-slug",
            "青云科技2021年报",
            "000_9abda99dbc491797",
            "２０２２-04-28-x",
            "2022-04-2é",
        ] {
            assert_eq!(date_from_file_stem(stem, SH), None, "{stem}");
        }
    }

    #[test]
    fn localize_takes_the_earlier_of_a_repeated_time() {
        let n = NaiveDate::from_ymd_opt(2022, 11, 6)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        let d = localize(n, chrono_tz::America::New_York).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-11-06T01:30:00-04:00");
    }

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
    }

    #[test]
    fn never_panics_on_pseudo_random_input() {
        // Pieces of real dates, shuffled, are far more likely to reach deep into the
        // scanner than random characters are.
        const PIECES: [&str; 24] = [
            "2022", "-", "/", ".", "年", "月", "日", "04", "4", "28", "99", ":", " ", "T", "Z",
            "+", "08", "0800", "GMT", "Sun,", "Jun", "9", "１", "\"",
        ];
        let mut rng = XorShift(0x0123_4567_89AB_CDEF);
        let zones = [SH, chrono_tz::UTC, chrono_tz::America::New_York];
        for i in 0..4000 {
            let mut s = String::new();
            for _ in 0..rng.next() % 12 {
                let r = rng.next();
                if r % 5 == 0 {
                    s.push(char::from_u32((r >> 8) as u32 % 0x11_0000).unwrap_or('?'));
                } else {
                    s.push_str(PIECES[(r >> 8) as usize % PIECES.len()]);
                }
            }
            let tz = zones[i % zones.len()];
            if let Ok(d) = parse_date(&s, tz) {
                // Whatever is accepted must print and read back as the same instant.
                assert_eq!(DateTime::parse_from_rfc3339(&d.to_rfc3339()).unwrap(), d);
            }
            let _ = find_date_in_text(&s, tz);
            let _ = date_from_file_stem(&s, tz);
        }
    }
}
