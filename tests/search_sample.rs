//! Search over the sample site, through the real pipeline: the index digest writes, queried
//! the way search.js queries it (the Rust mirror `digest::search::search`).

use std::path::Path;

use digest::build::build_in_memory;
use digest::discover;
use digest::search::search;

fn index() -> Vec<(String, Vec<u8>)> {
    let input =
        discover::load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("load the sample site");
    let built = build_in_memory(&input, false).expect("build the sample site");
    built
        .files
        .into_iter()
        .filter(|f| f.path.starts_with("search/"))
        .map(|f| (f.path, f.bytes))
        .collect()
}

fn titles(files: &[(String, Vec<u8>)], q: &str) -> Vec<String> {
    search(files, q)
        .unwrap_or_else(|e| panic!("query {q}: {e}"))
        .into_iter()
        .map(|h| h.title)
        .collect()
}

const T000: &str = "首发| 青云QingCloud宣布完成10.8亿元D轮融资，拆VIE谋求国内上市";
const T001: &str = "青云科技2021年报：深耕技术研发 服务数字中国";
const T002: &str = "政府领导及企业高管参阅";
const T003: &str = "阿里云们的十字路口：自研与出海并进  不再牺牲利润换营收";
const T004: &str = "云计算为中国式创新打开了一扇门";

#[test]
fn sample_queries_find_the_right_posts_first() {
    let files = index();
    assert!(!files.is_empty(), "the build wrote no search index");
    // both 青云 posts have it in the title; the newer one first
    let r = titles(&files, "青云");
    assert_eq!(r[..2], [T001.to_string(), T000.to_string()], "{r:?}");
    assert_eq!(titles(&files, "融资")[0], T000);
    assert_eq!(titles(&files, "阿里云 出海")[0], T003);
    assert_eq!(titles(&files, "OpenStack")[0], T004);
    assert_eq!(
        titles(&files, "openstack")[0],
        T004,
        "Latin is case-insensitive"
    );
    assert_eq!(titles(&files, "蚂蚁金服"), vec![T002.to_string()]);
    assert_eq!(titles(&files, "KubeSphere")[0], T001);
    assert_eq!(titles(&files, "东数西算"), vec![T001.to_string()]);
}

#[test]
fn a_query_that_matches_nothing_returns_nothing() {
    let files = index();
    assert!(titles(&files, "区块链游戏元宇宙").is_empty());
    assert!(titles(&files, "zzzyxw").is_empty());
}
