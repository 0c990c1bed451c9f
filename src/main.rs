//! The `digest` command line: parses arguments, runs the library, reports problems.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use digest::build::{build_with, BuildOptions};
use digest::report::Reporter;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
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
    let reporter = Reporter::new(args.quiet);
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
