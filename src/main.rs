use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use signalos::app;
use signalos::cli::{Cli, Command};

// Reading a message makes a score of small allocations (the trace's lines, the levels); glibc's
// allocator spent about an eighth of the parser's time on them (BENCHMARKS.md, "Parser").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = if cli.version {
        app::version(&cli.run.paths)
    } else {
        match cli.command {
            None => app::run(&cli.run),
            Some(Command::Run(args)) => app::run(&args),
            Some(Command::CheckConfig { path }) => app::check_config(path.as_deref()),
            Some(Command::Journal(args)) => app::journal(&args),
            Some(Command::Ctl(args)) => Ok(signalos::ctl::run(&args)),
            Some(Command::View(args)) => app::view(&args),
            Some(Command::Parse {
                score,
                json,
                config,
                ..
            }) if !score.is_empty() => app::score(&score, json, config.as_deref()),
            Some(Command::Parse {
                text,
                config,
                source,
                chat,
                ..
            }) => app::parse(
                text.as_deref(),
                config.as_deref(),
                source.as_deref(),
                chat.as_deref(),
            ),
            Some(Command::SimMt5(args)) => app::sim_mt5(&args),
        }
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            // Not eprintln: it panics when stderr is a terminal that has gone.
            let _ = writeln!(std::io::stderr(), "signalos: {e:#}");
            ExitCode::FAILURE
        }
    }
}
