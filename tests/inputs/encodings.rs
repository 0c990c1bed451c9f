//! UTF-8 with and without BOM, UTF-16 with BOM, GBK/GB18030 and Big5, and files that are
//! not text at all.

use encoding_rs::{BIG5, GB18030, GBK};

use super::{date, parse_bytes};

const POST: &str = "---\ntitle: 云计算动态\ndate: 2022-04-28\ntags: 阿里云，腾讯云\n---\n青云科技发布2021全年及2022年第一季度财报。财报显示，多项云产品、服务取得稳步增长。得益于公司主动进行战略调整和业务优化，云服务同比毛利率亏损收窄。\n";

const TRADITIONAL: &str = "雲端運算動態\n\n雲端運算為中國式創新打開了一扇門。開發者、社群、創新公司為之瘋狂，希望藉助開源的力量與國際大廠同台論道，平起平坐，共謀未來趨勢。臺灣的資料中心業者也積極佈局雲端服務市場。\n";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

fn check(bytes: &[u8], encoding: &str) {
    let p = parse_bytes("a.md", bytes);
    assert!(p.diagnostics.is_empty(), "{encoding}: {:?}", p.diagnostics);
    let post = &p.posts[0];
    assert_eq!(post.encoding, encoding);
    assert_eq!(post.title, "云计算动态");
    assert_eq!(date(post), "2022-04-28T00:00:00+08:00");
    assert_eq!(post.tags, vec!["阿里云", "腾讯云"]);
    assert!(
        post.body_text.contains("云服务同比毛利率亏损收窄"),
        "{encoding}"
    );
}

#[test]
fn utf8_with_and_without_bom() {
    check(POST.as_bytes(), "UTF-8");
    check(
        &[b"\xEF\xBB\xBF".as_slice(), POST.as_bytes()].concat(),
        "UTF-8",
    );
}

#[test]
fn utf16_with_bom_both_byte_orders_and_crlf() {
    let crlf = POST.replace('\n', "\r\n");
    check(&utf16(&crlf, false), "UTF-16LE");
    check(&utf16(&crlf, true), "UTF-16BE");
}

#[test]
fn gbk_and_gb18030() {
    check(&GBK.encode(POST).0, "GBK");
    // GB18030 adds four-byte sequences; encoding_rs's GBK decoder reads them
    let text = POST.replace("云计算动态", "云计算动态€");
    let (bytes, _, errors) = GB18030.encode(&text);
    assert!(!errors);
    let p = parse_bytes("a.md", &bytes);
    assert!(p.posts[0].title.starts_with("云计算动态"));
}

#[test]
fn big5() {
    let (bytes, _, errors) = BIG5.encode(TRADITIONAL);
    assert!(!errors);
    let p = parse_bytes("a.txt", &bytes);
    assert!(
        p.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        p.diagnostics
    );
    let post = &p.posts[0];
    assert_eq!(post.encoding, "Big5");
    assert_eq!(post.title, "雲端運算動態");
    assert!(post.body_text.contains("臺灣的資料中心業者"));
}

#[test]
fn a_file_that_is_not_text_is_reported_and_skipped() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
    let p = parse_bytes("图片.txt", png);
    assert!(p.posts.is_empty());
    assert_eq!(p.diagnostics.len(), 1);
    let d = &p.diagnostics[0];
    assert!(!d.is_error());
    assert_eq!(d.file.to_str(), Some("content/图片.txt"));
    assert!(d.message.starts_with("not a text file"), "{}", d.message);
    assert!(d.message.ends_with("the file is skipped"), "{}", d.message);
}

#[test]
fn damaged_utf8_is_refused_not_turned_into_mojibake() {
    let mut bytes = POST.as_bytes().to_vec();
    let at = bytes.len() - 10;
    bytes[at] = 0xFF;
    let p = parse_bytes("a.md", &bytes);
    assert!(p.posts.is_empty());
    assert!(
        p.diagnostics[0].message.contains("invalid UTF-8"),
        "{:?}",
        p.diagnostics
    );
}
