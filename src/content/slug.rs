//! URL slugs from titles and taxonomy terms, in the house style: tone-less pinyin for Han.
//!
//! The digest's existing URLs show the house style: the category
//! `zhongguozhengquanbao·zhongzhengwang` is `中国证券报·中证网` with each run of Han characters
//! written as pinyin syllables run together. So a slug is built from *words*:
//!
//! - a run of Han characters is one word, its syllables joined without separators;
//! - a run of Latin letters and digits is one word, ASCII-folded and lower-cased;
//! - other scripts (kana, hangul, Cyrillic, ...) are ASCII-folded with `deunicode` and join
//!   the Latin word they touch;
//! - everything else (spaces, ASCII and full-width punctuation, symbols, emoji) separates words;
//! - words are joined with `-`.
//!
//! A slug becomes a folder name in the output, so whatever the input, the result is a safe
//! single path component: `[a-z0-9-]` only in pinyin style, letters, digits and `-` in unicode
//! style, never `.` or `..`, never a `/`, `\` or NUL. It may be empty; the caller decides what
//! an empty slug becomes.

use crate::config::SlugStyle;
use pinyin::ToPinyin;

/// The longest slug, in bytes, before it is cut on a `-`.
pub const MAX_SLUG_LEN: usize = 60;

/// Turns a title or term into a URL- and file-system-safe slug (may be empty).
///
/// Titles and taxonomy terms go through this one function so that `AWS` and `aws`, or
/// `中国证券报` in a category and in a tag, always land on the same URL.
pub fn slugify(s: &str, style: SlugStyle) -> String {
    let mut slug = SlugBuilder::default();
    match style {
        SlugStyle::Pinyin => {
            let mut han = String::new();
            for c in s.chars() {
                if is_ignorable(c) {
                    // Combining marks and invisible format characters belong to their
                    // neighbours; they neither separate words nor reach the slug.
                    continue;
                }
                if c.to_pinyin().is_some() || is_han(c) {
                    han.push(c);
                    continue;
                }
                flush_han(&mut slug, &mut han);
                push_non_han(&mut slug, c);
            }
            flush_han(&mut slug, &mut han);
        }
        SlugStyle::Unicode => {
            for c in s.chars() {
                push_unicode_style(&mut slug, c);
            }
        }
    }
    not_reserved(cut(slug.out))
}

/// A slug that Windows reserves as a device name (`con`, `nul`, `com1`, ...) gets `-1`, so
/// that a title, category or tag named `CON` still builds a folder every OS can check out.
fn not_reserved(slug: String) -> String {
    let bytes = slug.as_bytes();
    let reserved = ["con", "prn", "aux", "nul"]
        .iter()
        .any(|r| slug.eq_ignore_ascii_case(r))
        || (bytes.len() == 4
            && (bytes[..3].eq_ignore_ascii_case(b"com")
                || bytes[..3].eq_ignore_ascii_case(b"lpt"))
            && bytes[3].is_ascii_digit());
    if reserved {
        format!("{slug}-1")
    } else {
        slug
    }
}

/// Readings of common words whose characters the pinyin table reads wrongly on their own.
///
/// The `pinyin` crate gives each character its most frequent reading, without context, so
/// `银行` would be `yinxing` and `重庆` `zhongqing`. These words are frequent in finance and
/// cloud-industry news, and a wrong reading in a URL is there for good, so they are fixed
/// here. Longer entries win over shorter ones at the same position. Keep the list small and
/// limited to words whose reading does not depend on the sentence.
const PHRASES: &[(&str, &str)] = &[
    ("银行", "yinhang"),
    ("行业", "hangye"),
    ("行长", "hangzhang"),
    ("分行", "fenhang"),
    ("支行", "zhihang"),
    ("总行", "zonghang"),
    ("央行", "yanghang"),
    ("投行", "touhang"),
    ("重庆", "chongqing"),
    ("重新", "chongxin"),
    ("重组", "chongzu"),
    ("重启", "chongqi"),
    ("重构", "chonggou"),
    ("重复", "chongfu"),
    ("重建", "chongjian"),
    ("重塑", "chongsu"),
    ("长期", "changqi"),
    ("长城", "changcheng"),
    ("长沙", "changsha"),
    ("长安", "changan"),
    ("长春", "changchun"),
    ("长江", "changjiang"),
    ("长三角", "changsanjiao"),
    ("长远", "changyuan"),
    ("长足", "changzu"),
    ("长度", "changdu"),
    ("长尾", "changwei"),
    ("长达", "changda"),
    ("延长", "yanchang"),
    ("擅长", "shanchang"),
    ("成都", "chengdu"),
    ("首都", "shoudu"),
    ("都市", "dushi"),
    ("厦门", "xiamen"),
    ("调整", "tiaozheng"),
    ("调控", "tiaokong"),
    ("调节", "tiaojie"),
    ("调试", "tiaoshi"),
    ("调优", "tiaoyou"),
    ("上调", "shangtiao"),
    ("下调", "xiatiao"),
    ("协调", "xietiao"),
    ("空调", "kongtiao"),
    ("音乐", "yinyue"),
    ("率先", "shuaixian"),
    ("了解", "liaojie"),
    ("会计", "kuaiji"),
    ("着力", "zhuoli"),
    ("着陆", "zhuolu"),
    ("着手", "zhuoshou"),
    ("着眼", "zhuoyan"),
    ("的确", "dique"),
    ("目的", "mudi"),
    ("弹性", "tanxing"),
    ("角色", "juese"),
    ("西藏", "xizang"),
    ("便宜", "pianyi"),
    ("还款", "huankuan"),
    ("偿还", "changhuan"),
    ("供给", "gongji"),
    ("给予", "jiyu"),
];

/// Writes a run of Han characters as one word of pinyin syllables.
fn flush_han(slug: &mut SlugBuilder, han: &mut String) {
    if han.is_empty() {
        return;
    }
    let mut word = String::new();
    let mut rest = han.as_str();
    while let Some(c) = rest.chars().next() {
        let phrase = PHRASES
            .iter()
            .filter_map(|(p, reading)| rest.strip_prefix(p).map(|after| (after, *reading)))
            .min_by_key(|(after, _)| after.len());
        if let Some((after, reading)) = phrase {
            word.push_str(reading);
            rest = after;
            continue;
        }
        match c.to_pinyin() {
            Some(p) => word.push_str(&ascii_word(p.plain())),
            // A rare Han character the pinyin table lacks: deunicode still knows a reading.
            None => word.push_str(&ascii_word(deunicode::deunicode_char(c).unwrap_or(""))),
        }
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    slug.push(&word, WordKind::Han);
    han.clear();
}

/// What kind of word a piece of a slug belongs to; a change of kind starts a new word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordKind {
    /// Pinyin of Han characters.
    Han,
    /// Latin letters, digits, and other scripts folded to ASCII.
    Latin,
}

/// Collects words and puts exactly one `-` between neighbouring words, none at the ends.
#[derive(Debug, Default)]
struct SlugBuilder {
    out: String,
    last: Option<WordKind>,
    separator_pending: bool,
}

impl SlugBuilder {
    /// Appends `piece` to the current word, or starts a new word after a separator or a
    /// change of word kind.
    fn push(&mut self, piece: &str, kind: WordKind) {
        if piece.is_empty() {
            return;
        }
        if !self.out.is_empty() && (self.separator_pending || self.last != Some(kind)) {
            self.out.push('-');
        }
        self.out.push_str(piece);
        self.last = Some(kind);
        self.separator_pending = false;
    }

    /// Ends the current word.
    fn separate(&mut self) {
        self.separator_pending = true;
    }
}

/// Adds one character that is not Han, in the pinyin house style.
fn push_non_han(slug: &mut SlugBuilder, c: char) {
    if c.is_ascii_alphanumeric() {
        slug.push(
            c.to_ascii_lowercase().encode_utf8(&mut [0; 4]),
            WordKind::Latin,
        );
    } else if !c.is_ascii() && c.is_alphanumeric() {
        // Other scripts, accented Latin, full-width letters and digits: fold to ASCII, and
        // let anything that folds to punctuation or space separate words.
        for f in deunicode::deunicode_char(c).unwrap_or(" ").chars() {
            if f.is_ascii_alphanumeric() {
                slug.push(
                    f.to_ascii_lowercase().encode_utf8(&mut [0; 4]),
                    WordKind::Latin,
                );
            } else {
                slug.separate();
            }
        }
    } else {
        slug.separate();
    }
}

/// Adds one character in the unicode style: letters and digits of every script are kept.
fn push_unicode_style(slug: &mut SlugBuilder, c: char) {
    if c.is_alphanumeric() {
        // `İ` lower-cases to `i` and a combining dot; only the letter is kept.
        let lower: String = c.to_lowercase().filter(|l| l.is_alphanumeric()).collect();
        slug.push(&lower, WordKind::Latin);
    } else if !is_ignorable(c) {
        slug.separate();
    }
}

/// Lower-case ASCII letters and digits of `s`, dropping everything else (tone marks fold away).
fn ascii_word(s: &str) -> String {
    let folded = if s.is_ascii() {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(s))
    };
    folded
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Han ideographs: the CJK Unified Ideographs blocks and their extensions, and `〇`.
fn is_han(c: char) -> bool {
    matches!(
        u32::from(c),
        0x3007
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0x2_0000..=0x2_FA1F
            | 0x3_0000..=0x3_134F
    )
}

/// Characters that are neither letters nor separators: combining marks, zero-width and
/// direction controls, variation selectors, soft hyphens. They are dropped, so that a
/// decomposed `é` does not split its word and nothing invisible reaches a URL.
fn is_ignorable(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x0300..=0x036F
            | 0x1AB0..=0x1AFF
            | 0x1DC0..=0x1DFF
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x2069
            | 0x20D0..=0x20FF
            | 0x3099..=0x309A
            | 0xFE00..=0xFE0F
            | 0xFE20..=0xFE2F
            | 0xFEFF
            | 0xE_0100..=0xE_01EF
    )
}

/// Cuts a slug to at most [`MAX_SLUG_LEN`] bytes, at the last `-` that fits, or hard at the
/// limit (on a character boundary) when no `-` does.
fn cut(mut slug: String) -> String {
    if slug.len() <= MAX_SLUG_LEN {
        return slug;
    }
    // A `-` right after the limit is a clean cut too, hence `..=`.
    let window = slug.as_bytes().get(..=MAX_SLUG_LEN).unwrap_or_default();
    let at = match window.iter().rposition(|&b| b == b'-') {
        Some(dash) if dash > 0 => dash,
        _ => {
            let mut end = MAX_SLUG_LEN;
            while !slug.is_char_boundary(end) {
                end -= 1;
            }
            end
        }
    };
    slug.truncate(at);
    let trimmed = slug.trim_end_matches('-').len();
    slug.truncate(trimmed);
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(s: &str) -> String {
        slugify(s, SlugStyle::Pinyin)
    }

    fn uni(s: &str) -> String {
        slugify(s, SlugStyle::Unicode)
    }

    #[test]
    fn windows_device_names_are_not_slugs() {
        // Regression: a tag `CON` made the build refuse to write `tags/con/index.html`.
        assert_eq!(py("CON"), "con-1");
        assert_eq!(py("Aux"), "aux-1");
        assert_eq!(py("COM1"), "com1-1");
        assert_eq!(uni("lpt9"), "lpt9-1");
        assert_eq!(py("con-1"), "con-1");
        assert_eq!(py("console"), "console");
        assert_eq!(py("com10"), "com10");
    }

    #[test]
    fn han_runs_become_joined_pinyin() {
        assert_eq!(py("中国证券报"), "zhongguozhengquanbao");
        assert_eq!(py("青云"), "qingyun");
        assert_eq!(py("云计算"), "yunjisuan");
    }

    #[test]
    fn han_latin_boundary_is_a_dash() {
        assert_eq!(py("青云QingCloud宣布"), "qingyun-qingcloud-xuanbu");
        assert_eq!(py("2022年报"), "2022-nianbao");
        assert_eq!(py("阿里云ECS"), "aliyun-ecs");
    }

    #[test]
    fn house_style_category_of_seed_001_is_stable() {
        // The category was written by an earlier tool; slugifying it again must not change it.
        assert_eq!(
            py("zhongguozhengquanbao·zhongzhengwang"),
            "zhongguozhengquanbao-zhongzhengwang"
        );
        assert_eq!(
            py("中国证券报·中证网"),
            "zhongguozhengquanbao-zhongzhengwang"
        );
        assert_eq!(
            py("中国证券报·中证网新闻"),
            "zhongguozhengquanbao-zhongzhengwangxinwen"
        );
    }

    #[test]
    fn case_and_width_are_folded() {
        assert_eq!(py("AWS"), "aws");
        assert_eq!(py("aws"), "aws");
        assert_eq!(py("ＡＷＳ"), "aws");
        assert_eq!(py("１０亿"), "10-yi");
    }

    #[test]
    fn full_width_punctuation_separates() {
        assert_eq!(
            py("金融，财联社｜深度、观察"),
            "jinrong-cailianshe-shendu-guancha"
        );
        assert_eq!(py("《科创板日报》"), "kechuangbanribao");
        assert_eq!(py("云\u{3000}计算"), "yun-jisuan");
        assert_eq!(py("“新技术、新场景”"), "xinjishu-xinchangjing");
    }

    #[test]
    fn seed_000_title_is_cut_on_a_dash() {
        let s = py("首发| 青云QingCloud宣布完成10.8亿元D轮融资，拆VIE谋求国内上市");
        assert_eq!(s, "shoufa-qingyun-qingcloud-xuanbuwancheng-10-8-yiyuan-d");
        assert!(s.len() <= MAX_SLUG_LEN);
    }

    #[test]
    fn common_words_get_their_reading_in_context() {
        assert_eq!(py("招商银行"), "zhaoshangyinhang");
        assert_eq!(py("云计算行业"), "yunjisuanhangye");
        assert_eq!(py("重庆"), "chongqing");
        assert_eq!(py("长期战略调整"), "changqizhanluetiaozheng");
        assert_eq!(py("成都长三角"), "chengduchangsanjiao");
        // Characters outside those words keep their usual reading.
        assert_eq!(py("增长"), "zengzhang");
        assert_eq!(py("董事长"), "dongshizhang");
        assert_eq!(py("重要"), "zhongyao");
        assert_eq!(py("运行"), "yunxing");
    }

    #[test]
    fn tone_marks_and_u_umlaut_fold_to_ascii() {
        assert_eq!(py("绿色"), "luse");
        assert_eq!(py("毛利率"), "maolilu");
    }

    #[test]
    fn rare_han_characters_still_get_a_reading() {
        assert_eq!(py("𠮷野家"), "jiyejia");
        assert_eq!(py("〇"), "ling");
    }

    #[test]
    fn invisible_characters_inside_a_han_run_do_not_split_it() {
        assert_eq!(py("青\u{200B}云"), "qingyun");
    }

    #[test]
    fn seed_003_title() {
        assert_eq!(
            py("阿里云们的十字路口：自研与出海并进  不再牺牲利润换营收"),
            "aliyunmendeshizilukou-ziyanyuchuhaibingjin"
        );
    }

    #[test]
    fn runs_of_separators_become_one_dash_and_ends_are_trimmed() {
        assert_eq!(py("  --Hello,   World!--  "), "hello-world");
        assert_eq!(py("a - b"), "a-b");
        assert_eq!(py("【首发】"), "shoufa");
    }

    #[test]
    fn accented_latin_is_folded() {
        assert_eq!(py("Crème Brûlée"), "creme-brulee");
        assert_eq!(py("Straße"), "strasse");
        // Decomposed: e followed by a combining acute accent.
        assert_eq!(py("Cafe\u{301} Noir"), "cafe-noir");
    }

    #[test]
    fn other_scripts_are_folded() {
        assert_eq!(py("한국어"), "hangugeo");
        assert_eq!(py("カタカナ"), "katakana");
        assert_eq!(py("Москва"), "moskva");
    }

    #[test]
    fn symbols_and_emoji_separate() {
        assert_eq!(py("🚀Launch✨Day"), "launch-day");
        assert_eq!(py("C++ & C#"), "c-c");
        assert_eq!(py("100%"), "100");
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(py("Qing\u{200B}Cloud"), "qingcloud");
        assert_eq!(py("\u{FEFF}青云\u{200D}"), "qingyun");
        assert_eq!(uni("Qing\u{202E}Cloud"), "qingcloud");
    }

    #[test]
    fn empty_and_separator_only_inputs_give_empty_slugs() {
        for s in ["", " ", "---", "。，、", "🚀", ".", "..", "/", "\0"] {
            assert_eq!(py(s), "", "{s:?}");
            assert_eq!(uni(s), "", "{s:?}");
        }
    }

    #[test]
    fn path_tricks_become_harmless() {
        assert_eq!(py("../../etc/passwd"), "etc-passwd");
        assert_eq!(py("a\\b\0c"), "a-b-c");
        assert_eq!(uni("../../etc/passwd"), "etc-passwd");
        assert_eq!(uni("a\\b\0c/d"), "a-b-c-d");
        assert_eq!(py("C:\\Windows"), "c-windows");
    }

    #[test]
    fn long_slugs_are_cut_on_a_dash() {
        let words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda";
        let s = py(words);
        assert_eq!(
            s,
            "alpha-beta-gamma-delta-epsilon-zeta-eta-theta-iota-kappa"
        );
        assert!(s.len() <= MAX_SLUG_LEN);
    }

    #[test]
    fn a_dash_just_past_the_limit_is_a_clean_cut() {
        let s = format!("{} tail", "a".repeat(MAX_SLUG_LEN));
        assert_eq!(py(&s), "a".repeat(MAX_SLUG_LEN));
        let s = format!("{} tail", "a".repeat(MAX_SLUG_LEN - 1));
        assert_eq!(py(&s), "a".repeat(MAX_SLUG_LEN - 1));
    }

    #[test]
    fn long_slug_without_a_dash_is_cut_hard() {
        assert_eq!(py(&"a".repeat(100)), "a".repeat(MAX_SLUG_LEN));
        assert_eq!(py(&"云".repeat(40)), "yun".repeat(20));
        assert_eq!(
            py(&format!("-{}", "b".repeat(100))),
            "b".repeat(MAX_SLUG_LEN)
        );
    }

    #[test]
    fn unicode_style_keeps_letters_of_every_script() {
        assert_eq!(uni("青云QingCloud宣布"), "青云qingcloud宣布");
        assert_eq!(uni("中国证券报·中证网"), "中国证券报-中证网");
        assert_eq!(uni("Crème Brûlée"), "crème-brûlée");
        assert_eq!(uni("AWS"), "aws");
        assert_eq!(uni("首发| 青云QingCloud"), "首发-青云qingcloud");
    }

    #[test]
    fn unicode_style_cuts_on_a_char_boundary() {
        // 30 Han characters are 90 bytes; no dash, so a hard cut at 60 bytes = 20 characters.
        assert_eq!(uni(&"云".repeat(30)), "云".repeat(20));
        // 61 bytes of 2-byte letters: the cut must fall back to 60 bytes, not split a letter.
        let s = uni(&format!("a{}", "é".repeat(40)));
        assert!(s.len() <= MAX_SLUG_LEN);
        assert_eq!(s, format!("a{}", "é".repeat(29)));
        let s = uni("青云科技 2021年报 深耕技术研发 服务数字中国 云计算 混合云 第一股");
        assert_eq!(s, "青云科技-2021年报-深耕技术研发");
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

    fn assert_safe_component(slug: &str, pinyin: bool, input: &str) {
        assert!(slug.len() <= MAX_SLUG_LEN, "{input:?} -> {slug:?}");
        assert!(
            !slug.starts_with('-') && !slug.ends_with('-'),
            "{input:?} -> {slug:?}"
        );
        assert!(!slug.contains("--"), "{input:?} -> {slug:?}");
        assert!(slug != "." && slug != "..");
        assert!(
            !slug.contains(['/', '\\', '\0', '.']),
            "{input:?} -> {slug:?}"
        );
        if pinyin {
            assert!(
                slug.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{input:?} -> {slug:?}"
            );
        } else {
            assert!(
                slug.chars().all(|c| c == '-' || c.is_alphanumeric()),
                "{input:?} -> {slug:?}"
            );
        }
    }

    #[test]
    fn never_panics_and_always_safe_on_pseudo_random_input() {
        let mut rng = XorShift(0x5EED_1234_ABCD_0042);
        // Mostly from the ranges that matter, sometimes anything at all.
        let ranges: [(u32, u32); 6] = [
            (0x20, 0x7F),
            (0x4E00, 0x9FFF),
            (0x3000, 0x303F),
            (0xFF00, 0xFFEF),
            (0x0300, 0x036F),
            (0, 0x11_0000),
        ];
        for _ in 0..4000 {
            let len = rng.next() % 50;
            let mut s = String::new();
            for _ in 0..len {
                let r = rng.next();
                let (lo, hi) = ranges[(r % ranges.len() as u64) as usize];
                let code = lo + ((r >> 16) as u32) % (hi - lo);
                s.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            assert_safe_component(&py(&s), true, &s);
            assert_safe_component(&uni(&s), false, &s);
            // Slugs are stable: a slug slugifies to itself.
            let once = py(&s);
            assert_eq!(py(&once), once);
        }
    }
}
