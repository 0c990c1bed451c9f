//! Tab-separated records: `title TAB summary TAB body`, one post a line.

/// One TSV line, as a post-to-be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// 1-based line of the record in the file.
    pub line: usize,
    /// Column 1.
    pub title: &'a str,
    /// Column 2.
    pub summary: &'a str,
    /// Column 3: paragraphs marked by full-width indents.
    pub body: &'a str,
    /// The whole line, for messages.
    pub text: &'a str,
}

/// A line that is not a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError<'a> {
    /// 1-based line.
    pub line: usize,
    /// The line, for messages.
    pub text: &'a str,
    /// What was expected.
    pub message: String,
}

fn is_header(fields: &[&str]) -> bool {
    let names: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
    names == ["title", "summary", "body"] || names == ["标题", "摘要", "正文"]
}

/// Reads every record of a TSV body; `first_line` is the file line the body starts on.
/// Lines with the wrong number of fields are errors; blank lines are skipped.
pub fn parse(body: &str, first_line: usize) -> (Vec<Record<'_>>, Vec<RecordError<'_>>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let line_no = first_line + i;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 3 {
            errors.push(RecordError {
                line: line_no,
                text: line,
                message: format!(
                    "expected 3 tab-separated fields (title, summary, body), found {}",
                    fields.len()
                ),
            });
            continue;
        }
        if records.is_empty() && errors.is_empty() && is_header(&fields) {
            continue;
        }
        if fields[0].trim().is_empty() {
            errors.push(RecordError {
                line: line_no,
                text: line,
                message: "expected a title in the first field, found nothing".into(),
            });
            continue;
        }
        records.push(Record {
            line: line_no,
            title: fields[0].trim(),
            summary: fields[1].trim(),
            body: fields[2],
            text: line,
        });
    }
    (records, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_records() {
        let (r, e) = parse("title\tsummary\tbody\n甲\t摘要\t正文\n\n乙\t\t正文二\n", 1);
        assert!(e.is_empty());
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].line, 2);
        assert_eq!(r[1].title, "乙");
    }

    #[test]
    fn wrong_field_count_names_the_line() {
        let (r, e) = parse("甲\t摘要\t正文\n乙\t只有两列\n", 1);
        assert_eq!(r.len(), 1);
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.contains("found 2"));
    }
}
