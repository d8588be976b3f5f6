//! `ccgw-sim`: the simulator as a program. The first line on stdout is the base URL and
//! nothing else (with `--cluster-nodes N`: the N nodes' base URLs, separated by single
//! spaces); diagnostics go to stderr. Stops cleanly on SIGINT or SIGTERM (Unix), or
//! on Ctrl-C, Ctrl-Break, closing its console or system shutdown (Windows).
//!
//! Every option is also an environment variable (`CCGW_SIM_<OPTION>`), and so is every
//! setting (`CCGW_SIM_<KEY>`), for containers and CI services configured by environment;
//! `--help` lists them all.

use ccgw_sim::{Settings, SimConfig, Simulator, TlsIdentity};
use clap::{CommandFactory, FromArgMatches, Parser};
use serde_json::{Map, Value};
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Prefix of every environment variable the program reads.
const ENV_PREFIX: &str = "CCGW_SIM_";

/// A Huawei CC-Gateway (AgentGateway) agent-interface simulator for testing CTI clients.
///
/// The first line on stdout is the base URL (e.g. https://127.0.0.1:8043) and nothing
/// else (with --cluster-nodes N, the N nodes' base URLs separated by single spaces); with --ca-out the CA certificate is written before that line appears. The control
/// API is under BASE/sim/ (GET /sim/health, /sim/journal, ...). SIGINT or SIGTERM (Ctrl-C,
/// Ctrl-Break or closing the console on Windows) stops it with exit status 0; bad options
/// or settings exit with 2.
#[derive(Parser, Debug)]
#[command(name = "ccgw-sim", version)]
struct Cli {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, env = "CCGW_SIM_PORT", value_name = "N", default_value_t = 0)]
    port: u16,

    /// Address to bind (0.0.0.0 or :: to be reachable from other hosts or containers).
    #[arg(long, env = "CCGW_SIM_BIND", value_name = "ADDR", default_value = "127.0.0.1")]
    bind: IpAddr,

    /// Serve plain HTTP instead of HTTPS.
    #[arg(long, env = "CCGW_SIM_HTTP", value_parser = clap::builder::BoolishValueParser::new())]
    http: bool,

    /// Write the generated CA certificate (PEM) to FILE.
    #[arg(long, env = "CCGW_SIM_CA_OUT", value_name = "FILE", conflicts_with_all = ["http", "cert"])]
    ca_out: Option<PathBuf>,

    /// Extra name of the generated server certificate, a DNS name or an IP address, besides
    /// localhost, 127.0.0.1 and ::1 (e.g. the simulator's container name). Repeatable; the
    /// environment variable takes a comma-separated list.
    #[arg(long = "san", env = "CCGW_SIM_SAN", value_name = "NAME", value_delimiter = ',', conflicts_with_all = ["http", "cert"])]
    san: Vec<String>,

    /// Serve this certificate chain (PEM, the server's certificate first) instead of a
    /// generated one.
    #[arg(long, env = "CCGW_SIM_CERT", value_name = "FILE", requires = "key", conflicts_with = "http")]
    cert: Option<PathBuf>,

    /// The private key of --cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "CCGW_SIM_KEY", value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,

    /// Password of every agent without its own (the setting default_password).
    #[arg(long, env = "CCGW_SIM_PASSWORD", value_name = "PW", hide_env_values = true)]
    password: Option<String>,

    /// Settings as a JSON object (see "Settings" below and sim/README.md).
    #[arg(long, env = "CCGW_SIM_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// One setting; VALUE is JSON, or a string when it is not JSON. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,

    /// Worker threads of the simulator's runtime.
    #[arg(long, env = "CCGW_SIM_THREADS", value_name = "N", default_value_t = 2)]
    threads: usize,

    /// Serve N gateway nodes that share nothing (node i issues `.AgentGateway<i>` Guids)
    /// behind a load balancer with a sticky cookie, as a cluster behind an ELB: requests
    /// with the cookie go to the node it names, others round robin, and the answer sets
    /// it. The URL printed (and --port, --bind, --san, --ca-out) is the balancer's; the
    /// nodes listen on loopback, plain HTTP. 0 or 1: a single simulator.
    #[arg(long, env = "CCGW_SIM_STICKY_NODES", value_name = "N", default_value_t = 0, conflicts_with_all = ["http", "cert"])]
    sticky_nodes: usize,

    /// The balancer's cookie name (--sticky-nodes), e.g. SERVERID, AWSALB.
    #[arg(long, env = "CCGW_SIM_STICKY_COOKIE", value_name = "NAME", default_value = ccgw_sim::balancer::DEFAULT_COOKIE)]
    sticky_cookie: String,

    /// Serve N gateway nodes for fail-over drills, each on its own port (--port P puts
    /// node i on P+i; 0 picks free ports), every certificate signed by one CA (--ca-out).
    /// The first line on stdout is then the nodes' base URLs in node order, separated by
    /// single spaces. Drive them with POST BASE/sim/cluster/nodes/I/switchover, .../stop
    /// and .../restart on any node that is up (sim/README.md, "Cluster mode"). 0 or 1: a
    /// single simulator.
    #[arg(
        long,
        env = "CCGW_SIM_CLUSTER_NODES",
        value_name = "N",
        default_value_t = 0,
        conflicts_with = "sticky_nodes"
    )]
    cluster_nodes: usize,

    /// With --cluster-nodes: the nodes serve one world (a Guid valid on every node, one
    /// event queue per agent) instead of one world each.
    #[arg(long, env = "CCGW_SIM_CLUSTER_SHARED_STATE", value_parser = clap::builder::BoolishValueParser::new())]
    cluster_shared_state: bool,

    /// With --cluster-nodes: a switchover keeps the events queued at that moment (by
    /// default they are lost, as in a real switchover).
    #[arg(long, env = "CCGW_SIM_CLUSTER_KEEP_EVENTS", value_parser = clap::builder::BoolishValueParser::new())]
    cluster_keep_events: bool,
}

/// The cluster options (--cluster-nodes and its companions).
#[derive(Clone, Copy, Debug)]
struct ClusterOptions {
    nodes: usize,
    shared_state: bool,
    keep_events: bool,
}

/// What the program serves: one simulator, or nodes behind a sticky-cookie balancer.
enum Served {
    One(Simulator),
    Cluster(Vec<Simulator>, ccgw_sim::Balancer),
    /// Nodes on their own ports for fail-over drills.
    Nodes(ccgw_sim::Cluster),
}

impl Served {
    fn start(cfg: SimConfig, sticky_nodes: usize, cookie: &str, cluster: ClusterOptions) -> std::io::Result<Served> {
        if cluster.nodes >= 2 {
            return ccgw_sim::Cluster::start(ccgw_sim::ClusterConfig {
                nodes: cluster.nodes,
                shared_state: cluster.shared_state,
                switchover_loses_events: !cluster.keep_events,
                sim: cfg,
            })
            .map(Served::Nodes);
        }
        if sticky_nodes < 2 {
            return Simulator::start(cfg).map(Served::One);
        }
        let mut nodes = Vec::new();
        for i in 0..sticky_nodes {
            let mut settings = cfg.settings.clone();
            settings.node = i as u32;
            nodes.push(Simulator::start(SimConfig {
                bind: std::net::Ipv4Addr::LOCALHOST.into(),
                port: 0,
                tls: false,
                tls_names: Vec::new(),
                tls_identity: None,
                threads: cfg.threads,
                settings,
            })?);
        }
        let lb = ccgw_sim::Balancer::start_on(
            nodes.iter().map(Simulator::addr).collect(),
            cookie,
            std::net::SocketAddr::new(cfg.bind, cfg.port),
            &cfg.tls_names,
        )?;
        Ok(Served::Cluster(nodes, lb))
    }

    fn base_url(&self) -> String {
        match self {
            Served::One(s) => s.base_url().to_string(),
            Served::Cluster(_, lb) => lb.base_url(),
            Served::Nodes(c) => c.base_urls().join(" "),
        }
    }

    fn ca_pem(&self) -> Option<&str> {
        match self {
            Served::One(s) => s.ca_pem(),
            Served::Cluster(_, lb) => Some(lb.ca_pem()),
            Served::Nodes(c) => c.ca_pem(),
        }
    }

    fn stop(self) {
        match self {
            Served::One(s) => s.stop(),
            Served::Cluster(nodes, lb) => {
                drop(lb);
                nodes.into_iter().for_each(Simulator::stop);
            }
            Served::Nodes(c) => drop(c),
        }
    }
}

/// The settings' names with their defaults, in the order `Settings` declares them.
fn setting_defaults() -> Map<String, Value> {
    match serde_json::to_value(Settings::default()) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// `CCGW_SIM_<KEY>` for a setting.
fn setting_env(key: &str) -> String {
    format!("{ENV_PREFIX}{}", key.to_ascii_uppercase())
}

/// The environment variables of the options (from the option definitions).
fn option_envs() -> Vec<String> {
    Cli::command().get_arguments().filter_map(|a| a.get_env()).map(|e| e.to_string_lossy().into_owned()).collect()
}

/// The "Settings" part of --help: every setting with its variable and default.
fn settings_help() -> String {
    let mut text = String::from(
        "Settings (sim/README.md explains each): from --config FILE, --set KEY=VALUE or the\n\
         environment variable CCGW_SIM_<KEY>; a value is JSON, or a string when it is not JSON.\n\
         --set wins over the environment, which wins over --config.\n\n",
    );
    for (key, default) in setting_defaults() {
        text.push_str(&format!("  {key:<31} {:<40} default {default}\n", setting_env(&key)));
    }
    text
}

/// A setting's value as written on the command line or in the environment.
fn setting_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// The simulator's configuration from the parsed options and the environment's setting
/// variables (`env`: every variable, as the process got them). Returns the configuration,
/// the --ca-out path, and warnings (unknown `CCGW_SIM_*` variables).
fn build_config(
    cli: Cli,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<(SimConfig, Option<PathBuf>, Vec<String>), String> {
    let defaults = setting_defaults();
    let options = option_envs();
    let mut patch = Map::new();
    if let Some(path) = &cli.config {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("{shown}: {e}"))?;
        let obj = v.as_object().ok_or_else(|| format!("{shown}: settings must be a JSON object"))?;
        patch.extend(obj.clone());
    }
    let mut warnings = Vec::new();
    let mut from_env: Vec<(String, String)> = env.into_iter().filter(|(k, _)| k.starts_with(ENV_PREFIX)).collect();
    from_env.sort();
    for (name, text) in from_env {
        if options.contains(&name) {
            continue;
        }
        match defaults.keys().find(|key| setting_env(key) == name) {
            Some(key) => {
                patch.insert(key.clone(), setting_value(&text));
            }
            None => warnings.push(format!("ignoring {name}: no option or setting has that name (see --help)")),
        }
    }
    for kv in &cli.set {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("--set {kv:?}: expected KEY=VALUE"))?;
        patch.insert(k.to_string(), setting_value(v));
    }
    if let Some(pw) = cli.password {
        patch.insert("default_password".into(), pw.into());
    }
    let settings = Settings::default().merged(&Value::Object(patch))?;
    let tls_identity = match (cli.cert, cli.key) {
        (Some(cert_file), Some(key_file)) => Some(TlsIdentity { cert_file, key_file }),
        _ => None,
    };
    let config = SimConfig {
        bind: cli.bind,
        port: cli.port,
        tls: !cli.http,
        tls_names: cli.san,
        tls_identity,
        threads: cli.threads,
        settings,
    };
    Ok((config, cli.ca_out, warnings))
}

/// What stops the program, installed before the URL is printed: a script may signal the
/// simulator as soon as it has read the URL, and must still see a clean exit.
#[cfg(unix)]
mod stop {
    use tokio::signal::unix::{signal, Signal, SignalKind};

    pub struct Signals(Signal, Signal);

    /// SIGINT and SIGTERM.
    pub fn install() -> std::io::Result<Signals> {
        Ok(Signals(signal(SignalKind::interrupt())?, signal(SignalKind::terminate())?))
    }

    pub async fn wait(signals: Signals) {
        let Signals(mut int, mut term) = signals;
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    }
}

#[cfg(windows)]
mod stop {
    use tokio::signal::windows::{
        ctrl_break, ctrl_c, ctrl_close, ctrl_shutdown, CtrlBreak, CtrlC, CtrlClose, CtrlShutdown,
    };

    pub struct Signals(CtrlC, CtrlBreak, CtrlClose, CtrlShutdown);

    /// Ctrl-C, Ctrl-Break, the console closing, and system shutdown (the console control
    /// events a console program receives; Windows allows a few seconds to stop after a
    /// close or shutdown event, far more than stopping takes).
    pub fn install() -> std::io::Result<Signals> {
        Ok(Signals(ctrl_c()?, ctrl_break()?, ctrl_close()?, ctrl_shutdown()?))
    }

    pub async fn wait(signals: Signals) {
        let Signals(mut c, mut brk, mut close, mut shutdown) = signals;
        tokio::select! {
            _ = c.recv() => {}
            _ = brk.recv() => {}
            _ = close.recv() => {}
            _ = shutdown.recv() => {}
        }
    }
}

fn main() -> ExitCode {
    let matches = Cli::command().after_help(settings_help()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let (sticky_nodes, sticky_cookie) = (cli.sticky_nodes, cli.sticky_cookie.clone());
    let cluster = ClusterOptions {
        nodes: cli.cluster_nodes,
        shared_state: cli.cluster_shared_state,
        keep_events: cli.cluster_keep_events,
    };
    let (cfg, ca_out, warnings) = match build_config(
        cli,
        std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
    ) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("ccgw-sim: {msg}");
            return ExitCode::from(2);
        }
    };
    for w in warnings {
        eprintln!("ccgw-sim: {w}");
    }
    let sim = match Served::start(cfg, sticky_nodes, &sticky_cookie, cluster) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            eprintln!("ccgw-sim: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("ccgw-sim: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let (Some(path), Some(pem)) = (&ca_out, sim.ca_pem()) {
        if let Err(e) = std::fs::write(path, pem) {
            eprintln!("ccgw-sim: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ccgw-sim: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let signals = match runtime.block_on(async { stop::install() }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ccgw-sim: cannot handle stop signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The CA file exists before the URL is printed, so a script may use both at once.
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{}", sim.base_url()).and_then(|_| out.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    drop(out);
    match &sim {
        Served::One(_) => eprintln!("ccgw-sim: serving {} (control API at {}/sim/)", sim.base_url(), sim.base_url()),
        Served::Cluster(nodes, _) => {
            for (i, n) in nodes.iter().enumerate() {
                eprintln!("ccgw-sim: node {i} at {} (control API at {}/sim/)", n.base_url(), n.base_url());
            }
            eprintln!("ccgw-sim: serving {} (sticky-cookie balancer over {} nodes)", sim.base_url(), nodes.len());
        }
        Served::Nodes(c) => {
            for (i, url) in c.base_urls().iter().enumerate() {
                eprintln!("ccgw-sim: node {i} at {url} (control API at {url}/sim/, cluster at {url}/sim/cluster)");
            }
        }
    }
    runtime.block_on(stop::wait(signals));
    eprintln!("ccgw-sim: stopping");
    sim.stop();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("ccgw-sim").chain(args.iter().copied())).expect("valid arguments")
    }

    fn env(vars: &[(&str, &str)]) -> Vec<(String, String)> {
        vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn no_setting_variable_collides_with_an_option_variable() {
        let options = option_envs();
        assert!(options.len() >= 10, "{options:?}");
        for key in setting_defaults().keys() {
            assert!(!options.contains(&setting_env(key)), "{key} collides with an option");
        }
    }

    #[test]
    fn settings_come_from_the_environment_and_set_wins() {
        let vars = env(&[
            ("CCGW_SIM_POLL_WAIT_MS", "1234"),
            ("CCGW_SIM_AUTH_MODE", "static"),
            ("CCGW_SIM_IDLE_SIGNOUT_MS", "5000"),
            ("CCGW_SIM_PORT", "99"),
            ("PATH", "/bin"),
        ]);
        let (cfg, _, warnings) = build_config(cli(&["--set", "idle_signout_ms=7000"]), vars).unwrap();
        assert_eq!(cfg.settings.poll_wait_ms, 1234);
        assert_eq!(cfg.settings.auth_mode, ccgw_sim::AuthMode::Static);
        assert_eq!(cfg.settings.idle_signout_ms, 7000, "--set wins over the environment");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn unknown_variables_are_reported_and_bad_values_refused() {
        let (_, _, warnings) = build_config(cli(&[]), env(&[("CCGW_SIM_POLL_WAIT", "5")])).unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("CCGW_SIM_POLL_WAIT"), "{warnings:?}");
        let err = build_config(cli(&[]), env(&[("CCGW_SIM_POLL_WAIT_MS", "soon")])).unwrap_err();
        assert!(err.contains("poll_wait_ms") || err.contains("invalid type"), "{err}");
    }

    #[test]
    fn password_option_sets_default_password() {
        let (cfg, _, _) =
            build_config(cli(&["--password", "pw1"]), env(&[("CCGW_SIM_DEFAULT_PASSWORD", "pw0")])).unwrap();
        assert_eq!(cfg.settings.default_password, "pw1");
    }

    #[test]
    fn help_lists_every_setting_and_option_variable() {
        let help = Cli::command().after_help(settings_help()).render_help().to_string();
        for key in setting_defaults().keys() {
            assert!(help.contains(key.as_str()) && help.contains(&setting_env(key)), "{key} missing:\n{help}");
        }
        for var in option_envs() {
            assert!(help.contains(&var), "{var} missing:\n{help}");
        }
    }

    #[test]
    fn tls_options_conflict_where_they_make_no_sense() {
        let parse = |args: &[&str]| Cli::try_parse_from(std::iter::once("ccgw-sim").chain(args.iter().copied()));
        assert!(parse(&["--http", "--ca-out", "x"]).is_err());
        assert!(parse(&["--cert", "c.pem"]).is_err(), "--cert needs --key");
        assert!(parse(&["--cert", "c.pem", "--key", "k.pem", "--san", "x"]).is_err());
        assert!(parse(&["--cert", "c.pem", "--key", "k.pem", "--ca-out", "ca.pem"]).is_err());
        let ok = parse(&["--san", "ccgw-sim,10.0.0.7", "--san", "gw.example"]).unwrap();
        assert_eq!(ok.san, ["ccgw-sim", "10.0.0.7", "gw.example"]);
    }
}
