use std::path::PathBuf;

use super::*;
use crate::content::format::Format;

fn post(path: &str, title: &str, text: &str) -> PostMeta {
    let body = crate::site::post::BodyRef {
        source: [0, 0],
        index: 0,
    };
    PostMeta::split(full_post(path, title, text), body).0
}

fn full_post(path: &str, title: &str, text: &str) -> crate::content::Post {
    crate::content::Post {
        source: PathBuf::from(path),
        source_line: 1,
        format: Format::Text,
        encoding: "UTF-8",
        title: title.to_string(),
        slug: String::new(),
        date: None,
        updated: None,
        categories: Vec::new(),
        tags: Vec::new(),
        summary: String::new(),
        body_html: String::new(),
        body_text: text.to_string(),
        image: None,
        author: None,
        source_url: None,
        draft: false,
        extra: serde_json::Map::new(),
    }
}

/// A pseudo-random Chinese text, so unrelated texts share few shingles.
fn text(seed: u64, chars: usize) -> String {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..chars)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from_u32(0x4e00 + (x % 3000) as u32).unwrap_or('云')
        })
        .collect()
}

#[test]
fn same_title_names_both_files() {
    let d = find(&[
        post("a.md", "阿里云 发布", &text(1, 100)),
        post("b.md", "阿里云  发布", &text(2, 100)),
    ]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].file, PathBuf::from("content/b.md"));
    assert!(d[0].message.contains("content/a.md"), "{}", d[0].message);
}

#[test]
fn syndicated_text_is_found_and_different_text_is_not() {
    let story = text(7, 2000);
    // the second outlet adds its own byline and drops the last sentence
    let copy = format!("来源：新华网 记者 张三{}", &story[..story.len() - 30]);
    let d = find(&[
        post("a.md", "甲", &story),
        post("b.md", "乙", &copy),
        post("c.md", "丙", &text(8, 2000)),
    ]);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].file, PathBuf::from("content/b.md"));
    assert!(
        d[0].message.contains("content/a.md ('甲')"),
        "{}",
        d[0].message
    );
}

#[test]
fn half_the_same_text_is_not_a_duplicate() {
    let a = text(3, 1000);
    let b = format!("{}{}", &a[..a.len() / 2], text(4, 500));
    assert!(jaccard(&normalized(&a), &normalized(&b)) < SIMILARITY);
    assert!(find(&[post("a.md", "甲", &a), post("b.md", "乙", &b)]).is_empty());
}

#[test]
fn short_texts_are_not_compared() {
    let d = find(&[post("a.md", "甲", "快讯。"), post("b.md", "乙", "快讯。")]);
    assert!(d.is_empty());
}

/// Ten thousand posts, a few of them copies: found without comparing all pairs.
#[test]
fn ten_thousand_posts_stay_fast() {
    let mut posts: Vec<PostMeta> = (0..10_000)
        .map(|i| post(&format!("p{i:05}.md"), &format!("标题{i}"), &text(i, 300)))
        .collect();
    for (k, i) in [(0u64, 17usize), (1, 4242), (2, 9999)] {
        let copy = posts[k as usize].text_signature.clone();
        posts[i].text_signature = copy;
    }
    let d = find(&posts);
    assert_eq!(d.len(), 3, "{d:?}");
}
