//! The `digest` command line: parses arguments, runs the library, reports problems.

use std::fs;
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};

use digest::build::{build_with, BuildOptions};
use digest::config::Config;
use digest::diagnostics::Diagnostic;
use digest::new::{plan, NewPostRequest};
use digest::report::Reporter;
use digest::serve::{Notice, ServeOptions};

/// A static site generator for a Chinese-language news digest.
#[derive(Debug, Parser)]
#[command(name = "digest", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site from content/ into the output folder (public/ by default).
    Build(BuildArgs),
    /// Start a new post: content/<category or posts>/YYYY-MM-DD-<slug>.md, as a draft.
    New(NewArgs),
    /// Preview the site at http://127.0.0.1:1111/, rebuilt and reloaded on every change.
    Serve(ServeArgs),
    /// Check the site (content, configuration, templates, links and images) without writing.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct NewArgs {
    /// The post's title.
    title: String,
    /// The post's category, which is also its folder under content/.
    #[arg(long, short)]
    category: Option<String>,
    /// Tags, separated by commas: --tags 云计算,青云
    #[arg(long, short)]
    tags: Option<String>,
    /// The site folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// The port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// The address to listen on; the default only this computer can reach.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    bind: IpAddr,
    /// Include posts marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// The site folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The site folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// The site folder, holding content/ and an optional digest.yaml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Where to write the site; relative paths are taken from the site folder.
    #[arg(long, short, default_value = "public", value_name = "DIR")]
    output: PathBuf,
    /// The URL the site is served from, overriding digest.yaml (e.g. https://org.github.io/digest/).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include posts marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Fail the build on warnings too.
    #[arg(long)]
    strict: bool,
    /// Print only problems, not the closing summary.
    #[arg(long, short)]
    quiet: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::New(args) => report_failure(run_new(args)),
        Command::Serve(args) => report_failure(run_serve(args)),
        Command::Check(args) => run_check(args),
    }
}

fn report_failure(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_new(args: NewArgs) -> anyhow::Result<()> {
    if !args.root.is_dir() {
        anyhow::bail!(
            "{} is not a folder; give the site folder with --root",
            args.root.display()
        );
    }
    let config = Config::load(&args.root).map_err(|d| anyhow::anyhow!("{d}"))?;
    let now = chrono::Utc::now()
        .with_timezone(&config.timezone)
        .fixed_offset();
    let request = NewPostRequest {
        title: args.title,
        category: args.category,
        tags: args.tags,
    };
    let post = plan(&request, &config, now)?;
    let path = args.root.join(&post.path);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => anyhow::bail!(
            "{} already exists; edit it, or choose another title",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(post.text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}

fn run_serve(args: ServeArgs) -> anyhow::Result<()> {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other computers on the network can see the site, drafts included if --drafts",
            args.bind
        );
    }
    let opts = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
    };
    digest::serve::run(&opts, Arc::new(print_notice))?;
    eprintln!("stopped");
    Ok(())
}

/// How `digest serve` talks: the address on stdout (scripts read it), the rest on stderr.
fn print_notice(notice: &Notice<'_>) {
    match notice {
        Notice::Serving { url } => {
            println!("serving {url}");
            let _ = std::io::stdout().flush();
            eprintln!(
                "watching content/, templates/, themes/, static/ and digest.yaml; Ctrl-C to stop"
            );
        }
        Notice::Built {
            posts,
            pages,
            elapsed,
            warnings,
            changed,
        } => {
            print_diagnostics(warnings);
            eprintln!(
                "{}built {posts} posts into {pages} pages in {:.2} s",
                changed_prefix(changed),
                elapsed.as_secs_f64()
            );
        }
        Notice::Failed {
            diagnostics,
            changed,
        } => {
            print_diagnostics(diagnostics);
            eprintln!(
                "{}error: the site does not build; the browser shows the errors over the last good site",
                changed_prefix(changed)
            );
        }
        Notice::Stopping => eprintln!("stopping"),
    }
}

fn changed_prefix(changed: &[PathBuf]) -> String {
    match changed {
        [] => String::new(),
        [one] => format!("{} changed: ", one.display()),
        [first, rest @ ..] => format!("{} and {} more changed: ", first.display(), rest.len()),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let start = Instant::now();
    let input = match digest::discover::load(&args.root) {
        Ok(input) => input,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!("error: the site cannot be read");
            return ExitCode::FAILURE;
        }
    };
    let report = digest::check::check_site(&input, false);
    print_diagnostics(&report.diagnostics);
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = report.diagnostics.len() - errors;
    if report.built {
        eprintln!(
            "checked {} pages and {} links and images in {:.2} s: {errors} errors, {warnings} warnings",
            report.pages,
            report.references,
            start.elapsed().as_secs_f64()
        );
    } else {
        eprintln!(
            "the site does not build ({errors} errors, {warnings} warnings); links and images are checked once it does"
        );
    }
    if report.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let output = if args.output.is_absolute() {
        args.output.clone()
    } else {
        args.root.join(&args.output)
    };
    let opts = BuildOptions {
        root: args.root,
        output,
        base_url: args.base_url,
        drafts: args.drafts,
        strict: args.strict,
    };
    let mut reporter = Reporter::new(args.quiet);
    if args.timings {
        reporter = reporter.with_timings();
    }
    match build_with(&opts, &reporter) {
        Ok(report) => {
            reporter.finished(&report);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            reporter.failed(&failure, &opts.output);
            ExitCode::FAILURE
        }
    }
}
