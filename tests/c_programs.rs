//! Drives the C side: the header compiles alone as C99 and C++17, the shared library
//! exports exactly the header's functions under a soname carrying the ABI version, and
//! the C programs in tests/c/ and examples/ run against the simulator.
//!
//! Environment knobs (used by the hardening runs in scripts/test):
//! * `CCGW_TEST_CFLAGS`: extra compiler flags (e.g. `-fsanitize=address,undefined`).
//! * `CCGW_TEST_RUNNER`: a command prefix for running the programs (e.g. valgrind).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the library (the test build leaves the cdylib in deps/ only) and returns the
/// directory holding `libccgw.so` and its soname link. `CCGW_TEST_LIB_DIR` names a directory
/// with an already built library instead (the glibc 2.17 release build: scripts/test runs
/// the C programs against it too).
fn lib_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Ok(dir) = std::env::var("CCGW_TEST_LIB_DIR") {
            let dir = PathBuf::from(dir);
            assert!(dir.join("libccgw.so").is_file(), "CCGW_TEST_LIB_DIR={} has no libccgw.so", dir.display());
            let link = dir.join(format!("libccgw.so.{}", ccgw::ffi::common::CCGW_ABI_VERSION));
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink("libccgw.so", &link).expect("soname link");
            return dir;
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let release = !cfg!(debug_assertions);
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "-p", "ccgw", "--lib"]).current_dir(root());
        if release {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "building libccgw failed");
        let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root().join("target"));
        let dir = target.join(if release { "release" } else { "debug" });
        let link = dir.join(format!("libccgw.so.{}", ccgw::ffi::common::CCGW_ABI_VERSION));
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("libccgw.so", &link).expect("soname link");
        dir
    })
}

fn out_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("ccgw-c-tests-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn extra_cflags() -> Vec<String> {
    std::env::var("CCGW_TEST_CFLAGS").unwrap_or_default().split_whitespace().map(str::to_string).collect()
}

/// Compiles `src` (C99, or C++17 for .cpp) with warnings as errors, linked with libccgw.
fn compile(src: &str, link: bool) -> PathBuf {
    compile_with(src, if link { Link::Ccgw } else { Link::SyntaxOnly })
}

#[derive(PartialEq)]
enum Link {
    /// Check the syntax only.
    SyntaxOnly,
    /// Link with libccgw (and pthread).
    Ccgw,
    /// Link with libdl only: the program loads libccgw itself.
    DlOnly,
}

fn compile_with(src: &str, link: Link) -> PathBuf {
    let src = root().join(src);
    let cpp = src.extension().is_some_and(|e| e == "cpp");
    let exe = out_dir().join(src.file_stem().unwrap());
    let mut cmd = Command::new(if cpp { "g++" } else { "gcc" });
    cmd.arg(if cpp { "-std=c++17" } else { "-std=c99" })
        .args(["-Wall", "-Wextra", "-Werror", "-pedantic", "-D_POSIX_C_SOURCE=200809L"])
        .arg("-I")
        .arg(root().join("include"))
        .arg("-I")
        .arg(root().join("tests/c"))
        .args(extra_cflags());
    match link {
        Link::Ccgw => {
            let dir = lib_dir();
            cmd.arg(&src)
                .arg("-o")
                .arg(&exe)
                .arg("-L")
                .arg(dir)
                .arg(format!("-Wl,-rpath,{}", dir.display()))
                .args(["-lccgw", "-lpthread"]);
        }
        Link::DlOnly => {
            cmd.arg(&src).arg("-o").arg(&exe).arg("-ldl");
        }
        Link::SyntaxOnly => {
            cmd.args(["-fsyntax-only"]).arg(&src);
        }
    }
    let out = cmd.output().expect("the C compiler runs");
    assert!(out.status.success(), "compiling {} failed:\n{}", src.display(), String::from_utf8_lossy(&out.stderr));
    if link != Link::SyntaxOnly && extra_cflags().iter().any(|f| f.starts_with("-fsanitize=") && f.contains("address"))
    {
        // Prove the sanitizer is really in the program, not silently dropped.
        let nm = Command::new("nm").arg(&exe).output().expect("nm runs");
        assert!(
            String::from_utf8_lossy(&nm.stdout).contains("__asan_init"),
            "{} was built without AddressSanitizer",
            exe.display()
        );
    }
    exe
}

/// Runs a compiled program against `sim`; returns (success, stdout, stderr).
fn run(exe: &Path, sim: &ccgw_sim::Simulator, extra_env: &[(&str, &str)]) -> (bool, String, String) {
    let ca = out_dir().join(format!("ca-{}.pem", sim.addr().port()));
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();
    let runner = std::env::var("CCGW_TEST_RUNNER").unwrap_or_default();
    let mut parts: Vec<String> = runner.split_whitespace().map(str::to_string).collect();
    parts.push(exe.display().to_string());
    let mut cmd = Command::new(&parts[0]);
    if runner.contains("valgrind") {
        cmd.env("CCGW_TEST_VALGRIND", "1");
    }
    cmd.args(&parts[1..])
        .env("CCGW_TEST_URL", sim.base_url())
        .env("CCGW_TEST_CA", &ca)
        .env("CCGW_TEST_PASSWORD", common::PASSWORD)
        .envs(extra_env.iter().copied());
    let out = cmd.output().expect("the program runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn header_compiles_alone_as_c99_and_cpp17() {
    compile("tests/c/header_c99.c", false);
    compile("tests/c/header_cpp17.cpp", false);
}

/// Function names the header declares.
fn header_functions() -> Vec<String> {
    let header = std::fs::read_to_string(root().join("include/ccgw.h")).unwrap();
    let mut names = Vec::new();
    let code: String = header.split("/*").map(|chunk| chunk.split_once("*/").map_or(chunk, |(_, rest)| rest)).collect();
    for (i, _) in code.match_indices("ccgw_") {
        let name: String = code[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        // A declaration `name(`; a function-pointer typedef reads `(*name)(`.
        if code[i + name.len()..].trim_start().starts_with('(') {
            names.push(name);
        }
    }
    names.sort();
    names.dedup();
    names
}

#[test]
fn the_library_exports_exactly_the_header_functions() {
    let lib = lib_dir().join("libccgw.so");
    let out = Command::new("nm").args(["-D", "--defined-only"]).arg(&lib).output().expect("nm runs");
    assert!(out.status.success());
    let mut exported: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .map(|s| s.split('@').next().unwrap().to_string())
        .collect();
    exported.sort();
    exported.dedup();
    let declared = header_functions();
    assert!(declared.len() > 20, "header functions found: {declared:?}");
    assert_eq!(exported, declared, "exported symbols (left) differ from the header's functions (right)");
}

#[test]
fn the_soname_carries_the_abi_version() {
    let lib = lib_dir().join("libccgw.so");
    let out = Command::new("readelf").arg("-d").arg(&lib).output().expect("readelf runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let soname = format!("[libccgw.so.{}]", ccgw::ffi::common::ccgw_abi_version());
    assert!(text.contains(&soname), "no {soname} in:\n{text}");
    assert!(text.contains("NODELETE"), "the library must be linked with -z nodelete:\n{text}");
}

#[test]
fn c_version_macros_match_the_library() {
    let sim = common::sim(serde_json::json!({}));
    let (ok, out, err) = run(&compile("tests/c/test_version.c", true), &sim, &[]);
    assert!(ok, "{out}{err}");
}

#[test]
fn c_bad_arguments_get_their_statuses_and_send_nothing() {
    let sim = common::sim(serde_json::json!({}));
    let (ok, out, err) = run(&compile("tests/c/test_args.c", true), &sim, &[]);
    assert!(ok, "{out}{err}");
    let routes: Vec<String> = sim.journal().into_iter().map(|e| e.route).collect();
    assert_eq!(routes, ["onlineagent"], "only the sign-in reached the gateway");
}

#[test]
fn c_one_session_from_eight_threads() {
    let sim = common::sim(serde_json::json!({"reject_duplicates": false}));
    let (ok, out, err) = run(&compile("tests/c/test_threads.c", true), &sim, &[]);
    assert!(ok, "{out}{err}");
    let calls = sim.journal().len();
    assert!(calls >= 8 * 25 * 2, "{calls} requests reached the gateway");
}

#[test]
fn the_conference_example_runs_its_scenario() {
    let sim = common::sim(serde_json::json!({}));
    let exe = compile("examples/conference.c", true);
    let ca = out_dir().join("example-ca.pem");
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();
    let env = [("CCGW_URL", sim.base_url()), ("CCGW_CA", ca.to_str().unwrap()), ("CCGW_PASSWORD", common::PASSWORD)];
    let (ok, out, err) = run(&exe, &sim, &env);
    assert!(ok, "the example failed:\n{out}{err}");
    assert!(out.contains("done"), "{out}");
    let ops: Vec<String> = sim.journal().into_iter().map(|e| e.route).collect();
    for op in [
        "voicecall/callout",
        "voicecall/hold",
        "voicecall/confjoin",
        "voicecall/thirdPartyConfTransmitNum",
        "voicecall/release",
        "agentconf/requestagentconf",
        "agentconf/batchaddparticipant",
        "agentconf/holdparticipant",
        "agentconf/prolongtime",
        "agentconf/queryconfinfos",
        "agentconf/releaseagentconf",
    ] {
        assert!(ops.iter().any(|r| r == op), "the example never called {op}");
    }
    // The query printed the held supervisor phone and the invited agent.
    assert!(out.contains("70010") && out.contains("held") && out.contains("154"), "{out}");
    // Each invitee's outcome, and the live view with the held phone and its announcement.
    for line in ["invitee 70010: joined", "invitee 154: joined", "live view: conference", "hearing y:/conf/1/hold.V3"] {
        assert!(out.contains(line), "no {line:?} in:\n{out}");
    }
    // Events arrived through both APIs: the pull queue and the second agent's callback.
    for line in ["event AgentConf_RequestSuccess", "three-party call", "[agent 154] event AgentConf_Ringing"] {
        assert!(out.contains(line), "no {line:?} in:\n{out}");
    }
}

#[test]
fn c_host_survives_dropped_connections_and_forks() {
    let sim = common::sim(serde_json::json!({}));
    let route = "agentconf/requestagentconf";
    sim.add_fault(ccgw_sim::FaultSpec::new(route, ccgw_sim::FaultKind::ResetBefore).times(3)).unwrap();
    let (ok, out, err) = run(&compile("tests/c/test_process.c", true), &sim, &[]);
    assert!(ok, "{out}{err}");
    let resets = sim.journal().into_iter().filter(|e| e.route == route && e.outcome == "reset").count();
    assert_eq!(resets, 3, "the gateway dropped the connection three times");
}

#[test]
fn dlclose_leaves_the_library_loaded() {
    let sim = common::sim(serde_json::json!({}));
    let lib = lib_dir().join("libccgw.so");
    let exe = compile_with("tests/c/test_unload.c", Link::DlOnly);
    let (ok, out, err) = run(&exe, &sim, &[("CCGW_TEST_LIB", lib.to_str().unwrap())]);
    assert!(ok, "{out}{err}");
}

#[test]
fn c_bad_input_matrix_for_every_exported_function() {
    let sim = common::sim(serde_json::json!({}));
    let (ok, out, err) = run(&compile("tests/c/test_matrix.c", true), &sim, &[]);
    assert!(ok, "{out}{err}");
    let cases: usize =
        out.lines().find_map(|l| l.strip_prefix("test_matrix: ")?.strip_suffix(" cases")?.parse().ok()).unwrap_or(0);
    assert!(cases >= 70, "the matrix ran {cases} cases:\n{out}");
    let routes: Vec<String> = sim.journal().into_iter().map(|e| e.route).collect();
    assert_eq!(routes, ["onlineagent"], "only the sign-in reached the gateway");
}
