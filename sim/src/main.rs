//! `ccgw-sim`: the simulator as a program. The first line on stdout is the base URL and
//! nothing else; diagnostics go to stderr. Stops cleanly on SIGINT or SIGTERM.

use ccgw_sim::{Settings, SimConfig, Simulator};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
usage: ccgw-sim [options]

  --port N           port to listen on; 0 (default) picks a free one
  --bind ADDR        address to bind (default 127.0.0.1)
  --http             serve plain HTTP instead of HTTPS
  --ca-out FILE      write the generated CA certificate (PEM) to FILE
  --password PW      password of every agent without its own (default ccgw-sim)
  --config FILE      settings as JSON (see sim/README.md)
  --set KEY=VALUE    one setting; VALUE is JSON, or a string when it is not JSON
  --threads N        worker threads (default 2)
  --help, --version

The first line on stdout is the base URL, e.g. https://127.0.0.1:8043.
The control API is under BASE/sim/ (GET /sim/health, /sim/journal, ...).";

fn parse(args: Vec<String>) -> Result<(SimConfig, Option<String>), String> {
    let mut cfg = SimConfig::default();
    let mut ca_out = None;
    let mut patch = serde_json::Map::new();
    let mut password = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--port" => cfg.port = value("--port")?.parse().map_err(|_| "--port needs a number 0..65535")?,
            "--bind" => cfg.bind = value("--bind")?.parse().map_err(|_| "--bind needs an IP address")?,
            "--http" => cfg.tls = false,
            "--ca-out" => ca_out = Some(value("--ca-out")?),
            "--password" => password = Some(value("--password")?),
            "--threads" => cfg.threads = value("--threads")?.parse().map_err(|_| "--threads needs a number")?,
            "--config" => {
                let path = value("--config")?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
                let obj = v.as_object().ok_or_else(|| format!("{path}: settings must be a JSON object"))?;
                patch.extend(obj.clone());
            }
            "--set" => {
                let kv = value("--set")?;
                let (k, v) = kv.split_once('=').ok_or("--set needs KEY=VALUE")?;
                let v = serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::String(v.to_string()));
                patch.insert(k.to_string(), v);
            }
            "--help" | "-h" => return Err(String::new()),
            "--version" | "-V" => {
                println!("ccgw-sim {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if let Some(pw) = password {
        patch.insert("default_password".into(), pw.into());
    }
    cfg.settings = Settings::default().merged(&serde_json::Value::Object(patch))?;
    Ok((cfg, ca_out))
}

/// SIGINT and SIGTERM handlers, installed before the URL is printed: a script may signal
/// the simulator as soon as it has read the URL, and must still see a clean exit.
struct Signals {
    rt: tokio::runtime::Runtime,
    int: tokio::signal::unix::Signal,
    term: tokio::signal::unix::Signal,
}

fn install_signal_handlers() -> std::io::Result<Signals> {
    use tokio::signal::unix::{signal, SignalKind};
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (int, term) = {
        let _enter = rt.enter();
        (signal(SignalKind::interrupt())?, signal(SignalKind::terminate())?)
    };
    Ok(Signals { rt, int, term })
}

fn wait_for_signal(signals: Signals) {
    let Signals { rt, mut int, mut term } = signals;
    rt.block_on(async {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    });
}

fn main() -> ExitCode {
    let (cfg, ca_out) = match parse(std::env::args().skip(1).collect()) {
        Ok(x) => x,
        Err(msg) if msg.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("ccgw-sim: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sim = match Simulator::start(cfg) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ccgw-sim: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &ca_out {
        let Some(pem) = sim.ca_pem() else {
            eprintln!("ccgw-sim: --ca-out has no effect with --http");
            return ExitCode::from(2);
        };
        if let Err(e) = std::fs::write(path, pem) {
            eprintln!("ccgw-sim: cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    let signals = match install_signal_handlers() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ccgw-sim: cannot handle signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The CA file exists before the URL is printed, so a script may use both at once.
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{}", sim.base_url()).and_then(|_| out.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    drop(out);
    eprintln!("ccgw-sim: serving {} (control API at {}/sim/)", sim.base_url(), sim.base_url());
    wait_for_signal(signals);
    eprintln!("ccgw-sim: stopping");
    sim.stop();
    ExitCode::SUCCESS
}
