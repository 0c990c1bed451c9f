//! Bounds: a 50 MB post, HTML nested 100,000 levels deep, a YAML alias bomb, a 10 MB single
//! line and a file of random bytes each end with a built page or a clear error.
//!
//! Each case runs in a child process (this same test binary, re-run for one case), so its
//! peak memory (VmHWM) is its own; the parent prints time and peak RSS for every case. No
//! timing is asserted: timing targets belong in benchmarks. The parent only guards against
//! a hang, with a limit far above any honest run.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::TestSite;

const CASE_ENV: &str = "DIGEST_BOUND_CASE";

/// Far above any honest run of a case (seconds, debug build, busy machine): only a hang
/// gets here.
const HANG_GUARD: Duration = Duration::from_secs(900);

const CASES: &[&str] = &[
    "post_50mb",
    "line_10mb",
    "nested_100k",
    "nested_front_matter",
    "yaml_alias_bomb",
    "random_bytes",
    "random_text",
];

/// Deterministic pseudo-random bytes (xorshift64).
fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(&seed.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// The site for one case: the files of content/ it holds.
fn case_site(case: &str) -> TestSite {
    let site = TestSite::new();
    match case {
        "post_50mb" => {
            let para = "青云科技发布财报，混合云业务收入同比增长，<a href=\"https://example.com/x?a=1&b=2\">链接</a> and some **bold** text.\n\n";
            let body = para.repeat(50_000_000 / para.len() + 1);
            site.file(
                "content/huge.md",
                format!("---\ntitle: 五十兆\ndate: 2022-04-28\n---\n{body}"),
            )
        }
        "nested_100k" => {
            let n = 100_000;
            site.file(
                "content/fragment.html",
                format!("{}深<script>alert(1)</script>{}", "<div>".repeat(n), "</div>".repeat(n)),
            )
            .file(
                "content/document.html",
                format!(
                    "<!doctype html><html><head><title>深文档</title></head><body>{}深{}</body></html>",
                    "<div>".repeat(n),
                    "</div>".repeat(n)
                ),
            )
            .file(
                "content/quotes.md",
                format!("---\ntitle: 引用\n---\n{}深\n", "> ".repeat(n)),
            )
            .file(
                "content/brackets.md",
                format!("---\ntitle: 括号\n---\n{}深{}\n", "[".repeat(n), "](x)".repeat(n)),
            )
            .file(
                "content/emphasis.md",
                format!("---\ntitle: 强调\n---\n{}深{}\n", "*_".repeat(n), "_*".repeat(n)),
            )
            .file(
                "content/list.md",
                format!("---\ntitle: 列表\n---\n{}深\n", "- ".repeat(n)),
            )
        }
        // Front matter nested as deep: refused with a clear error, quickly.
        "nested_front_matter" => {
            let n = 100_000;
            site.file(
                "content/yaml-deep.md",
                format!(
                    "---\ntitle: 深YAML\nx: {}1{}\n---\n正文\n",
                    "[".repeat(n),
                    "]".repeat(n)
                ),
            )
            .file(
                "content/toml-deep.md",
                format!(
                    "+++\ntitle = \"深TOML\"\nx = {}1{}\n+++\n正文\n",
                    "[".repeat(n),
                    "]".repeat(n)
                ),
            )
        }
        "yaml_alias_bomb" => {
            // The classic: nine levels of nine aliases, 9^9 = 387 million leaves.
            let mut laughs = String::from("---\ntitle: 笑\na0: &a0 \"lol\"\n");
            for level in 1..=9 {
                let refs = vec![format!("*a{}", level - 1); 9].join(", ");
                laughs.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
            }
            laughs.push_str("---\n正文\n");
            // Wide instead of deep: one big anchor, aliased many times (few jumps each).
            let items = (0..20_000)
                .map(|i| format!("\"item{i}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let refs = vec!["*big"; 20_000].join(", ");
            let wide = format!("---\ntitle: 宽\nbig: &big [{items}]\nmany: [{refs}]\n---\n正文\n");
            site.file("content/laughs.md", laughs)
                .file("content/wide.md", wide)
        }
        "line_10mb" => {
            let unit = "云计算市场持续增长，AWS 和阿里云领先 <b>x</b> [链接](https://example.com) ";
            let line = unit.repeat(10_000_000 / unit.len() + 1);
            site.file("content/line.txt", &line)
                .file("content/line.md", &line)
                .file("content/line.html", format!("<p>{line}</p>"))
                .file(
                    "content/line-fm.md",
                    format!("---\ntitle: 一行\n---\n{line}"),
                )
        }
        "random_bytes" => site
            .file(
                "content/random.md",
                random_bytes(4 << 20, 0x9E37_79B9_7F4A_7C15),
            )
            .file(
                "content/random.txt",
                random_bytes(4 << 20, 0x2545_F491_4F6C_DD1D),
            )
            .file(
                "content/random.html",
                random_bytes(1 << 20, 0x1234_5678_9ABC_DEF1),
            )
            .file(
                "content/random-fm.md",
                [
                    b"---\ntitle: x\n".as_slice(),
                    &random_bytes(1 << 20, 7),
                    b"\n---\nbody\n",
                ]
                .concat(),
            ),
        // Without NUL bytes the decoder may take noise for some encoding: a page of noise,
        // or an error, but an end.
        "random_text" => {
            let noise = |seed| {
                random_bytes(4 << 20, seed)
                    .into_iter()
                    .map(|b| if b == 0 { b' ' } else { b })
                    .collect::<Vec<u8>>()
            };
            site.file("content/noise.txt", noise(0xDEAD_BEEF_0BAD_F00D))
                .file("content/noise.md", noise(0x0123_4567_89AB_CDEF))
                .file("content/noise.html", noise(0x0F1E_2D3C_4B5A_6978))
        }
        other => panic!("unknown case {other}"),
    }
}

/// Peak resident memory of this process so far, in MB (Linux), or 0 where unknown.
fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// Runs one case in this process: build, then check the outcome is a page or a clear
/// error, and print one `BOUND` line for the parent.
fn run_case(case: &str) {
    let site = case_site(case);
    let start = Instant::now();
    let result = site.build();
    let elapsed = start.elapsed();
    let outcome = match &result {
        Ok(report) if report.posts == 0 => {
            // a file that is not text is skipped with a warning that names it (issue 3)
            let warned = report
                .diagnostics
                .iter()
                .any(|d| d.file.starts_with("content") && d.message.contains("not a text file"));
            assert!(
                warned,
                "{case}: no post built and no warning: {:?}",
                report.diagnostics
            );
            "skipped with a warning".to_string()
        }
        Ok(report) => {
            let pages = site
                .files()
                .into_iter()
                .filter(|f| f.starts_with("posts/") && f.ends_with("index.html"))
                .count();
            assert_eq!(pages, report.posts, "{case}: a post without a page");
            format!("built {} posts", report.posts)
        }
        Err(failure) => {
            // A clear error: it names a content file and says what is wrong.
            let errors: Vec<_> = failure
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .collect();
            assert!(!errors.is_empty(), "{case}: failed without an error");
            for e in &errors {
                assert!(
                    e.file.starts_with("content") && !e.message.is_empty(),
                    "{case}: unclear error {e}"
                );
            }
            format!(
                "error: {}",
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.file.display(), e.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    };
    // Whatever happened, no output was half-written.
    if result.is_err() {
        assert!(
            !site.public().exists(),
            "{case}: public/ written by a failed build"
        );
    }
    println!(
        "BOUND {case}: {:.1} s, peak RSS {} MB, {}",
        elapsed.as_secs_f64(),
        peak_rss_mb(),
        outcome.chars().take(300).collect::<String>()
    );
}

/// The child side: does nothing unless the parent named a case.
#[test]
fn bound_case_child() {
    if let Ok(case) = std::env::var(CASE_ENV) {
        run_case(&case);
    }
}

/// Runs one case in a child process and returns its `BOUND` line.
fn run_child(case: &'static str) -> String {
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(&exe)
        .args([
            "--exact",
            "bounds::bound_case_child",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CASE_ENV, case)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the case");
    // Read both pipes while the child runs, so a chatty child cannot block on them.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{case}: still running after {HANG_GUARD:?}: digest hangs on this input");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    // The harness may print `test ... ` before it on the same line.
    let line = out
        .lines()
        .find_map(|l| l.find("BOUND ").map(|at| l[at..].to_owned()));
    match line {
        Some(line) if status.success() => line,
        _ => panic!("{case} failed ({status}):\n{out}\n{err}"),
    }
}

#[test]
fn hostile_inputs_end_with_a_page_or_a_clear_error() {
    // Two cases at a time (the machine has two cores); the two big ones first.
    let mut lines = Vec::new();
    for pair in CASES.chunks(2) {
        let handles: Vec<_> = pair
            .iter()
            .map(|&case| std::thread::spawn(move || run_child(case)))
            .collect();
        for h in handles {
            match h.join() {
                Ok(line) => lines.push(line),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    }
    // The closing note: time and peak memory of each case (debug build).
    eprintln!("{}", lines.join("\n"));
}
