//! Drives the C side, for two targets:
//!
//! * **native** (`native::*`, always run): the header compiles alone as C99 and C++17, the
//!   shared library exports exactly the header's functions under a soname carrying the
//!   ABI version, and the C programs in tests/c/ and examples/ run against the simulator.
//! * **Windows** (`windows::*`, ignored unless asked for: `scripts/test-windows`, or
//!   `cargo test --test c_programs -- --ignored windows::`): the same programs built with
//!   mingw-w64 against `ccgw.dll` (made by `scripts/build-windows`) and run under Wine
//!   against the simulator running natively on loopback; plus the checks that only mean
//!   something there: the export table, `ccgw.def` and the MSVC-format `ccgw.lib`, a link
//!   by lld-link (the MSVC-compatible linker), the C++ example with mingw's default
//!   (win32-thread) g++, and `ccgw-sim.exe` itself.
//!
//! Environment knobs (used by the hardening runs in scripts/test; native only):
//! * `CCGW_TEST_CFLAGS`: extra compiler flags (e.g. `-fsanitize=address,undefined`).
//! * `CCGW_TEST_RUNNER`: a command prefix for running the programs (e.g. valgrind).
//!
//! Under Wine: `WINEPREFIX` defaults to `<target dir>/wine-prefix` (made on first use),
//! `WINEDEBUG` to `-all`. Wine 8 lacks `bcryptprimitives.dll`, which Rust's standard
//! library imports: a test-only stand-in (tests/c/windows/bcryptprimitives.c) is built
//! beside the test programs, never anywhere else.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Target {
    Native,
    Windows,
}

/// The Rust target of the Windows build and its mingw-w64 tool prefix.
const WINDOWS_TRIPLE: &str = "x86_64-pc-windows-gnu";
const MINGW: &str = "x86_64-w64-mingw32";
/// What a program linking libccgw.a statically needs besides it (as `cargo rustc
/// --print native-static-libs` reports; the README gives the same list).
const WINDOWS_STATIC_LIBS: &[&str] =
    &["-lbcrypt", "-ladvapi32", "-lkernel32", "-lntdll", "-luserenv", "-lws2_32", "-ldbghelp"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root().join("target"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// A command that runs cargo (directly or through a script) from inside this test,
/// without the variables cargo sets for running tests: some build scripts (ring's) watch
/// `OUT_DIR`, `CARGO_MANIFEST_DIR` and the like, and seeing them differ from a plain build would
/// rebuild the TLS stack on every run, and again in the next plain build.
fn nested_cargo(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "OUT_DIR",
            ]
            .contains(&name.as_ref())
        {
            cmd.env_remove(name.as_ref());
        }
    }
    cmd.env("CARGO", cargo()).current_dir(root());
    cmd
}

/// Builds the library and returns the directory holding it: `libccgw.so` and its soname
/// link (native; the test build leaves the cdylib in deps/ only), or the Windows
/// deliverables of `scripts/build-windows`. `CCGW_TEST_LIB_DIR` names a directory with an
/// already built native library instead (the glibc 2.17 release build: scripts/test runs the
/// C programs against it too).
fn lib_dir(t: Target) -> &'static Path {
    static NATIVE: OnceLock<PathBuf> = OnceLock::new();
    static WINDOWS: OnceLock<PathBuf> = OnceLock::new();
    match t {
        Target::Native => NATIVE.get_or_init(|| {
            let link_name = format!("libccgw.so.{}", ccgw::ffi::common::CCGW_ABI_VERSION);
            if let Ok(dir) = std::env::var("CCGW_TEST_LIB_DIR") {
                let dir = PathBuf::from(dir);
                assert!(dir.join("libccgw.so").is_file(), "CCGW_TEST_LIB_DIR={} has no libccgw.so", dir.display());
                let _ = std::fs::remove_file(dir.join(&link_name));
                std::os::unix::fs::symlink("libccgw.so", dir.join(&link_name)).expect("soname link");
                return dir;
            }
            let release = !cfg!(debug_assertions);
            let mut cmd = nested_cargo(cargo());
            cmd.args(["build", "-p", "ccgw", "--lib"]);
            if release {
                cmd.arg("--release");
            }
            let status = cmd.status().expect("cargo runs");
            assert!(status.success(), "building libccgw failed");
            let dir = target_dir().join(if release { "release" } else { "debug" });
            let _ = std::fs::remove_file(dir.join(&link_name));
            std::os::unix::fs::symlink("libccgw.so", dir.join(&link_name)).expect("soname link");
            dir
        }),
        Target::Windows => WINDOWS.get_or_init(|| {
            let status = nested_cargo(root().join("scripts/build-windows"))
                .arg(WINDOWS_TRIPLE)
                .status()
                .expect("scripts/build-windows runs");
            assert!(status.success(), "scripts/build-windows failed");
            target_dir().join(WINDOWS_TRIPLE).join("release")
        }),
    }
}

/// Where the programs go. For Windows this is also where they run: `ccgw.dll` and the
/// test-only `bcryptprimitives.dll` stand-in sit beside them, as a Windows application
/// ships its DLLs, and the Wine prefix is ready.
fn out_dir(t: Target) -> &'static Path {
    static NATIVE: OnceLock<PathBuf> = OnceLock::new();
    static WINDOWS: OnceLock<PathBuf> = OnceLock::new();
    let base = || std::env::temp_dir().join(format!("ccgw-c-tests-{}", std::process::id()));
    match t {
        Target::Native => NATIVE.get_or_init(|| {
            let d = base();
            std::fs::create_dir_all(&d).unwrap();
            d
        }),
        Target::Windows => WINDOWS.get_or_init(|| {
            let d = base().join("windows");
            std::fs::create_dir_all(&d).unwrap();
            std::fs::copy(lib_dir(t).join("ccgw.dll"), d.join("ccgw.dll")).expect("ccgw.dll copied");
            let out = Command::new(format!("{MINGW}-gcc"))
                .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-shared", "-o"])
                .arg(d.join("bcryptprimitives.dll"))
                .arg(root().join("tests/c/windows/bcryptprimitives.c"))
                .arg("-lbcrypt")
                .output()
                .expect("mingw gcc runs");
            assert!(out.status.success(), "the bcryptprimitives stand-in: {}", String::from_utf8_lossy(&out.stderr));
            wine_prefix();
            d
        }),
    }
}

/// The Wine prefix, made once (`wineboot --init` takes a while on first use).
fn wine_prefix() -> &'static Path {
    static PREFIX: OnceLock<PathBuf> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let prefix =
            std::env::var_os("WINEPREFIX").map(PathBuf::from).unwrap_or_else(|| target_dir().join("wine-prefix"));
        if !prefix.join("system.reg").exists() {
            let status =
                wine_env(&mut Command::new("wineboot"), &prefix).arg("--init").status().expect("wineboot runs");
            assert!(status.success(), "wineboot --init failed for {}", prefix.display());
        }
        prefix
    })
}

/// A Wine command's environment: its prefix, 64-bit only, quiet, and without the Mono and
/// Gecko installers a fresh prefix would otherwise offer.
fn wine_env<'c>(cmd: &'c mut Command, prefix: &Path) -> &'c mut Command {
    cmd.env("WINEPREFIX", prefix)
        .env("WINEARCH", "win64")
        .env("WINEDEBUG", std::env::var("WINEDEBUG").unwrap_or_else(|_| "-all".into()))
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
}

/// How a program sees a file: the path itself, or for Wine the same file on drive Z:.
fn host_path(t: Target, p: &Path) -> String {
    match t {
        Target::Native => p.display().to_string(),
        Target::Windows => format!("Z:{}", p.display().to_string().replace('/', "\\")),
    }
}

fn extra_cflags(t: Target) -> Vec<String> {
    if t == Target::Windows {
        return Vec::new();
    }
    std::env::var("CCGW_TEST_CFLAGS").unwrap_or_default().split_whitespace().map(str::to_string).collect()
}

#[derive(PartialEq)]
enum Link {
    /// Check the syntax only.
    SyntaxOnly,
    /// Link with libccgw: libccgw.so, or for Windows the mingw import library
    /// libccgw.dll.a (statically linking the C and C++ runtimes' helpers, so the programs
    /// need no DLL but ccgw.dll).
    Ccgw,
    /// Windows: link with the MSVC-format import library ccgw.lib (mingw's ld reads it).
    CcgwMsvcImportLib,
    /// Windows: link libccgw.a statically (`CCGW_STATIC`) with the system libraries the
    /// README lists.
    CcgwStatic,
    /// Link with the platform's loader only: the program loads libccgw itself.
    LoaderOnly,
}

/// Compiles `src` (C99, or C++17 for .cpp) with warnings as errors.
fn compile(t: Target, src: &str, link: Link) -> PathBuf {
    let src = root().join(src);
    let cpp = src.extension().is_some_and(|e| e == "cpp");
    let stem = src.file_stem().unwrap().to_string_lossy().into_owned();
    let exe = out_dir(t).join(if t == Target::Windows { format!("{stem}.exe") } else { stem });
    let driver = if cpp { "g++" } else { "gcc" };
    let mut cmd = Command::new(if t == Target::Windows { format!("{MINGW}-{driver}") } else { driver.to_string() });
    cmd.arg(if cpp { "-std=c++17" } else { "-std=c99" })
        .args(["-Wall", "-Wextra", "-Werror", "-pedantic", "-D_POSIX_C_SOURCE=200809L"])
        .arg("-I")
        .arg(root().join("include"))
        .arg("-I")
        .arg(root().join("tests/c"))
        .args(extra_cflags(t));
    if link == Link::SyntaxOnly {
        cmd.args(["-fsyntax-only"]).arg(&src);
    } else {
        cmd.arg(&src).arg("-o").arg(&exe);
    }
    match (t, &link) {
        (_, Link::SyntaxOnly) => {}
        (Target::Native, Link::Ccgw) => {
            let dir = lib_dir(t);
            cmd.arg("-L").arg(dir).arg(format!("-Wl,-rpath,{}", dir.display())).args(["-lccgw", "-lpthread"]);
        }
        (Target::Native, Link::LoaderOnly) => {
            cmd.arg("-ldl");
        }
        (Target::Native, Link::CcgwMsvcImportLib | Link::CcgwStatic) => panic!("a Windows-only link"),
        (Target::Windows, Link::Ccgw | Link::CcgwMsvcImportLib) => {
            let import = if link == Link::Ccgw { "libccgw.dll.a" } else { "ccgw.lib" };
            cmd.arg(lib_dir(t).join(import)).args(["-static", "-lpthread", "-lversion"]);
        }
        (Target::Windows, Link::CcgwStatic) => {
            cmd.arg("-DCCGW_STATIC").arg(lib_dir(t).join("libccgw.a")).args(WINDOWS_STATIC_LIBS).arg("-static");
        }
        (Target::Windows, Link::LoaderOnly) => {
            cmd.arg("-static");
        }
    }
    let out = cmd.output().expect("the C compiler runs");
    assert!(out.status.success(), "compiling {} failed:\n{}", src.display(), String::from_utf8_lossy(&out.stderr));
    if link != Link::SyntaxOnly && extra_cflags(t).iter().any(|f| f.starts_with("-fsanitize=") && f.contains("address"))
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

/// The command running `exe`: directly, under `CCGW_TEST_RUNNER` (native), or under Wine
/// in the program's own directory.
fn program(t: Target, exe: &Path) -> Command {
    match t {
        Target::Native => {
            let runner = std::env::var("CCGW_TEST_RUNNER").unwrap_or_default();
            let mut parts: Vec<String> = runner.split_whitespace().map(str::to_string).collect();
            parts.push(exe.display().to_string());
            let mut cmd = Command::new(&parts[0]);
            if runner.contains("valgrind") {
                cmd.env("CCGW_TEST_VALGRIND", "1");
            }
            cmd.args(&parts[1..]);
            cmd
        }
        Target::Windows => {
            let mut cmd = Command::new("wine");
            wine_env(&mut cmd, wine_prefix()).arg(exe).current_dir(exe.parent().unwrap());
            cmd
        }
    }
}

/// Writes the simulator's CA where the program can read it; returns its path as the
/// program sees it.
fn ca_file(t: Target, sim: &ccgw_sim::Simulator) -> String {
    let ca = out_dir(t).join(format!("ca-{}.pem", sim.addr().port()));
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();
    host_path(t, &ca)
}

/// The command running a compiled program against `sim`.
fn command(t: Target, exe: &Path, sim: &ccgw_sim::Simulator, extra_env: &[(&str, &str)]) -> Command {
    let mut cmd = program(t, exe);
    cmd.env("CCGW_TEST_URL", sim.base_url())
        .env("CCGW_TEST_CA", ca_file(t, sim))
        .env("CCGW_TEST_PASSWORD", common::PASSWORD)
        .envs(extra_env.iter().copied());
    cmd
}

/// Runs a compiled program against `sim`; returns (success, stdout, stderr).
fn run(t: Target, exe: &Path, sim: &ccgw_sim::Simulator, extra_env: &[(&str, &str)]) -> (bool, String, String) {
    let out = command(t, exe, sim, extra_env).output().expect("the program runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

// ---- the tests, each for the targets it applies to ---------------------------------

/// Declares `native::NAME` and `windows::NAME` (ignored by default) tests calling
/// `NAME(Target)`, for the scenarios of both targets and of one target.
macro_rules! tests {
    (both: [$($both:ident),* $(,)?], native: [$($native:ident),* $(,)?], windows: [$($windows:ident),* $(,)?] $(,)?) => {
        mod native {
            $( #[test] fn $both() { super::$both(super::Target::Native) } )*
            $( #[test] fn $native() { super::$native(super::Target::Native) } )*
        }
        mod windows {
            $(
                #[test]
                #[ignore = "the Windows build under Wine: scripts/test-windows"]
                fn $both() { super::$both(super::Target::Windows) }
            )*
            $(
                #[test]
                #[ignore = "the Windows build under Wine: scripts/test-windows"]
                fn $windows() { super::$windows(super::Target::Windows) }
            )*
        }
    };
}

tests! {
    both: [
        header_compiles_alone_as_c99_and_cpp17,
        the_library_exports_exactly_the_header_functions,
        c_version_macros_match_the_library,
        c_bad_arguments_get_their_statuses_and_send_nothing,
        c_one_session_from_eight_threads,
        the_conference_example_runs_its_scenario,
        c_unload_leaves_the_library_loaded_under_its_threads,
        c_bad_input_matrix_for_every_exported_function,
    ],
    native: [
        the_soname_carries_the_abi_version,
        c_host_survives_dropped_connections_and_forks,
    ],
    windows: [
        the_import_libraries_and_def_name_exactly_the_header_functions,
        ccgw_lib_links_with_the_msvc_compatible_linker,
        the_cpp_example_builds_with_win32_thread_gpp_and_runs,
        c_static_library_links_with_the_listed_system_libraries,
        the_simulator_exe_serves_windows_programs_and_stops_on_ctrl_c,
    ],
}

fn header_compiles_alone_as_c99_and_cpp17(t: Target) {
    compile(t, "tests/c/header_c99.c", Link::SyntaxOnly);
    compile(t, "tests/c/header_cpp17.cpp", Link::SyntaxOnly);
}

/// The names in the DLL's export table (`objdump -p`: "[Ordinal/Name Pointer] Table").
fn dll_exports(dll: &Path) -> Vec<String> {
    let out = Command::new(format!("{MINGW}-objdump")).arg("-p").arg(dll).output().expect("objdump runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let table = text.split("[Ordinal/Name Pointer] Table").nth(1).expect("the DLL has an export table");
    table
        .lines()
        .skip(1)
        .take_while(|l| l.trim_start().starts_with('['))
        .filter_map(|l| l.split(']').nth(1))
        .map(|s| s.trim().to_string())
        .collect()
}

fn the_library_exports_exactly_the_header_functions(t: Target) {
    let exported = match t {
        Target::Native => {
            let lib = lib_dir(t).join("libccgw.so");
            let out = Command::new("nm").args(["-D", "--defined-only"]).arg(&lib).output().expect("nm runs");
            assert!(out.status.success());
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|l| l.split_whitespace().nth(2))
                .map(|s| s.split('@').next().unwrap().to_string())
                .collect()
        }
        Target::Windows => dll_exports(&lib_dir(t).join("ccgw.dll")),
    };
    let declared = header_functions();
    assert!(declared.len() > 20, "header functions found: {declared:?}");
    assert_eq!(sorted(exported), declared, "exported symbols (left) differ from the header's functions (right)");
}

fn the_soname_carries_the_abi_version(t: Target) {
    let lib = lib_dir(t).join("libccgw.so");
    let out = Command::new("readelf").arg("-d").arg(&lib).output().expect("readelf runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let soname = format!("[libccgw.so.{}]", ccgw::ffi::common::ccgw_abi_version());
    assert!(text.contains(&soname), "no {soname} in:\n{text}");
    assert!(text.contains("NODELETE"), "the library must be linked with -z nodelete:\n{text}");
}

fn c_version_macros_match_the_library(t: Target) {
    let sim = common::sim(serde_json::json!({}));
    // On Windows the program also reads ccgw.dll's VERSIONINFO resource.
    let (ok, out, err) = run(t, &compile(t, "tests/c/test_version.c", Link::Ccgw), &sim, &[]);
    assert!(ok, "{out}{err}");
}

fn c_bad_arguments_get_their_statuses_and_send_nothing(t: Target) {
    let sim = common::sim(serde_json::json!({}));
    let (ok, out, err) = run(t, &compile(t, "tests/c/test_args.c", Link::Ccgw), &sim, &[]);
    assert!(ok, "{out}{err}");
    let routes: Vec<String> = sim.journal().into_iter().map(|e| e.route).collect();
    assert_eq!(routes, ["onlineagent"], "only the sign-in reached the gateway");
}

fn c_one_session_from_eight_threads(t: Target) {
    let sim = common::sim(serde_json::json!({"reject_duplicates": false}));
    let (ok, out, err) = run(t, &compile(t, "tests/c/test_threads.c", Link::Ccgw), &sim, &[]);
    assert!(ok, "{out}{err}");
    let calls = sim.journal().len();
    assert!(calls >= 8 * 25 * 2, "{calls} requests reached the gateway");
}

/// Runs a conference example (C or C++) and checks its scenario in its output and in the
/// simulator's journal.
fn conference_scenario(t: Target, exe: &Path) {
    let sim = common::sim(serde_json::json!({}));
    let ca = ca_file(t, &sim);
    let env = [("CCGW_URL", sim.base_url()), ("CCGW_CA", ca.as_str()), ("CCGW_PASSWORD", common::PASSWORD)];
    let (ok, out, err) = run(t, exe, &sim, &env);
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

fn the_conference_example_runs_its_scenario(t: Target) {
    // On Windows through the MSVC-format import library, which mingw's ld reads too.
    let link = if t == Target::Windows { Link::CcgwMsvcImportLib } else { Link::Ccgw };
    conference_scenario(t, &compile(t, "examples/conference.c", link));
}

fn the_cpp_example_builds_with_win32_thread_gpp_and_runs(t: Target) {
    // Debian's default x86_64-w64-mingw32-g++ is the win32 thread model (no std::mutex
    // before GCC 13); the example and ccgw.hpp need nothing it lacks.
    let version = Command::new(format!("{MINGW}-g++")).arg("-v").output().expect("mingw g++ runs");
    let text = String::from_utf8_lossy(&version.stderr);
    assert!(text.contains("Thread model: win32"), "the default mingw g++ is not the win32 thread model:\n{text}");
    conference_scenario(t, &compile(t, "examples/conference.cpp", Link::Ccgw));
}

fn c_static_library_links_with_the_listed_system_libraries(t: Target) {
    let sim = common::sim(serde_json::json!({}));
    let exe = compile(t, "tests/c/test_args.c", Link::CcgwStatic);
    let imports = Command::new(format!("{MINGW}-objdump")).arg("-p").arg(&exe).output().expect("objdump runs");
    assert!(!String::from_utf8_lossy(&imports.stdout).contains("ccgw.dll"), "linked statically, not with ccgw.dll");
    let (ok, out, err) = run(t, &exe, &sim, &[]);
    assert!(ok, "{out}{err}");
    let routes: Vec<String> = sim.journal().into_iter().map(|e| e.route).collect();
    assert_eq!(routes, ["onlineagent"], "only the sign-in reached the gateway");
}

fn c_host_survives_dropped_connections_and_forks(t: Target) {
    // 60 MB of request bodies take minutes under valgrind on a busy machine: longer than
    // the gateway's 2 minutes without a poll (this program runs no pump) or a dynamic
    // Guid's lifetime, neither of which this test is about.
    let sim = common::sim(serde_json::json!({"idle_signout_ms": 3_600_000, "auth_mode": "static"}));
    let route = "agentconf/requestagentconf";
    sim.add_fault(ccgw_sim::FaultSpec::new(route, ccgw_sim::FaultKind::ResetBefore).times(3)).unwrap();
    let (ok, out, err) = run(t, &compile(t, "tests/c/test_process.c", Link::Ccgw), &sim, &[]);
    assert!(ok, "{out}{err}");
    let resets = sim.journal().into_iter().filter(|e| e.route == route && e.outcome == "reset").count();
    assert_eq!(resets, 3, "the gateway dropped the connection three times");
}

fn c_unload_leaves_the_library_loaded_under_its_threads(t: Target) {
    let sim = common::sim(serde_json::json!({}));
    let lib = match t {
        Target::Native => lib_dir(t).join("libccgw.so"),
        Target::Windows => out_dir(t).join("ccgw.dll"),
    };
    let exe = compile(t, "tests/c/test_unload.c", Link::LoaderOnly);
    let (ok, out, err) = run(t, &exe, &sim, &[("CCGW_TEST_LIB", &host_path(t, &lib))]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("test_unload: ok"), "{out}{err}");
    // Both loads signed in and polled: the library really ran its threads before unloading.
    let journal = sim.journal();
    for agent in ["153", "154"] {
        assert!(journal.iter().any(|e| e.route == "onlineagent" && e.agent.as_deref() == Some(agent)), "{agent}");
        assert!(journal.iter().any(|e| e.route == "agentevent" && e.agent.as_deref() == Some(agent)), "{agent}");
    }
}

fn c_bad_input_matrix_for_every_exported_function(t: Target) {
    let sim = common::sim(serde_json::json!({}));
    let (ok, out, err) = run(t, &compile(t, "tests/c/test_matrix.c", Link::Ccgw), &sim, &[]);
    assert!(ok, "{out}{err}");
    let cases: usize =
        out.lines().find_map(|l| l.strip_prefix("test_matrix: ")?.strip_suffix(" cases")?.parse().ok()).unwrap_or(0);
    assert!(cases >= 70, "the matrix ran {cases} cases:\n{out}");
    let routes: Vec<String> = sim.journal().into_iter().map(|e| e.route).collect();
    assert_eq!(routes, ["onlineagent"], "only the sign-in reached the gateway");
}

/// One member of a COFF short import library (`ccgw.lib`): the import object header of
/// the PE format specification ("Import Library Format"): Sig1 0, Sig2 0xFFFF, version,
/// machine, time stamp, size, ordinal/hint, type, then the symbol and DLL names.
struct ShortImport {
    machine: u16,
    kind: u16,
    name_type: u16,
    symbol: String,
    dll: String,
}

/// The short import objects of an `ar` archive, and the number of other (regular COFF)
/// members, symbol tables and the long-name table excluded.
fn short_imports(archive: &[u8]) -> (Vec<ShortImport>, usize) {
    assert!(archive.starts_with(b"!<arch>\n"), "not an ar archive");
    let (mut imports, mut others, mut at) = (Vec::new(), 0, 8);
    while at + 60 <= archive.len() {
        let head = &archive[at..at + 60];
        let name = String::from_utf8_lossy(&head[..16]).trim_end().to_string();
        let size: usize = String::from_utf8_lossy(&head[48..58]).trim().parse().expect("member size");
        let data = &archive[at + 60..at + 60 + size];
        at += 60 + size + size % 2;
        if name == "/" || name == "//" {
            continue;
        }
        if data.len() >= 20 && data[..4] == [0, 0, 0xFF, 0xFF] {
            let u16_at = |i: usize| u16::from_le_bytes([data[i], data[i + 1]]);
            let mut names = data[20..].split(|b| *b == 0).map(|s| String::from_utf8_lossy(s).into_owned());
            let ty = u16_at(18);
            imports.push(ShortImport {
                machine: u16_at(6),
                kind: ty & 0x3,
                name_type: (ty >> 2) & 0x7,
                symbol: names.next().unwrap_or_default(),
                dll: names.next().unwrap_or_default(),
            });
        } else {
            others += 1;
        }
    }
    (imports, others)
}

fn the_import_libraries_and_def_name_exactly_the_header_functions(t: Target) {
    let dir = lib_dir(t);
    let declared = header_functions();
    // ccgw.def: LIBRARY ccgw.dll, then EXPORTS and exactly the header's functions.
    let def = std::fs::read_to_string(dir.join("ccgw.def")).unwrap();
    let mut lines = def.lines();
    assert_eq!(lines.next(), Some("LIBRARY ccgw.dll"));
    assert_eq!(lines.next(), Some("EXPORTS"));
    assert_eq!(sorted(lines.map(|l| l.trim().to_string()).collect()), declared, "ccgw.def");

    // ccgw.lib: the MSVC format (as lib.exe writes it): one short import object per
    // function, x64, by name, code, from ccgw.dll; plus the import descriptor objects.
    let (imports, others) = short_imports(&std::fs::read(dir.join("ccgw.lib")).unwrap());
    for i in &imports {
        assert_eq!((i.machine, i.kind, i.name_type, i.dll.as_str()), (0x8664, 0, 1, "ccgw.dll"), "{}", i.symbol);
    }
    assert_eq!(sorted(imports.into_iter().map(|i| i.symbol).collect()), declared, "ccgw.lib");
    assert_eq!(others, 3, "import descriptor, null import descriptor and null thunk");

    // libccgw.dll.a (mingw): an import stub and __imp_ pointer per function, nothing else.
    let out = Command::new(format!("{MINGW}-nm")).arg(dir.join("libccgw.dll.a")).output().expect("nm runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let imp: Vec<String> = text
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2)?.strip_prefix("__imp_").map(str::to_string))
        .filter(|s| !s.starts_with("__"))
        .collect();
    assert_eq!(sorted(imp), declared, "libccgw.dll.a");
}

fn ccgw_lib_links_with_the_msvc_compatible_linker(t: Target) {
    // Compiled to a COFF object by mingw gcc, linked by lld-link with MSVC's options and
    // no C runtime, against ccgw.lib (and kernel32's import library) only.
    let dir = out_dir(t);
    let obj = dir.join("msvc_link.o");
    let out = Command::new(format!("{MINGW}-gcc"))
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-ffreestanding"])
        .args(["-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-c", "-I"])
        .arg(root().join("include"))
        .arg(root().join("tests/c/windows/msvc_link.c"))
        .arg("-o")
        .arg(&obj)
        .output()
        .expect("mingw gcc runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kernel32 = Command::new(format!("{MINGW}-gcc")).arg("-print-file-name=libkernel32.a").output().unwrap();
    let kernel32 = String::from_utf8_lossy(&kernel32.stdout).trim().to_string();
    let exe = dir.join("msvc_link.exe");
    let out = Command::new("lld-link")
        .args(["/nologo", "/entry:msvc_link_entry", "/subsystem:console", "/nodefaultlib"])
        .arg(format!("/out:{}", exe.display()))
        .arg(&obj)
        .arg(lib_dir(t).join("ccgw.lib"))
        .arg(&kernel32)
        .output()
        .expect("lld-link runs");
    assert!(
        out.status.success(),
        "lld-link: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = program(t, &exe).output().expect("the program runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains(&format!("ccgw {} ok", env!("CARGO_PKG_VERSION"))), "{text}");
}

/// Reads the first line of a child's stdout within `limit`.
fn first_line(child: &mut std::process::Child, limit: Duration) -> String {
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    rx.recv_timeout(limit).unwrap_or_default()
}

fn the_simulator_exe_serves_windows_programs_and_stops_on_ctrl_c(t: Target) {
    // The Windows simulator under Wine, the Windows test program under Wine against it.
    let dir = out_dir(t);
    let ca = dir.join("sim-exe-ca.pem");
    // Beside the stand-in for bcryptprimitives.dll, which it imports too.
    let exe = dir.join("ccgw-sim.exe");
    std::fs::copy(lib_dir(t).join("ccgw-sim.exe"), &exe).expect("ccgw-sim.exe copied");
    let mut sim = program(t, &exe)
        .args(["--port", "0", "--password", common::PASSWORD, "--ca-out"])
        .arg(host_path(t, &ca))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wine ccgw-sim.exe starts");
    let url = first_line(&mut sim, Duration::from_secs(60)).trim().to_string();
    if !url.starts_with("https://127.0.0.1:") {
        let _ = sim.kill();
        let out = sim.wait_with_output().expect("ccgw-sim.exe ends");
        panic!("ccgw-sim.exe printed {url:?} instead of its URL: {}", String::from_utf8_lossy(&out.stderr));
    }
    let exe = compile(t, "tests/c/test_args.c", Link::Ccgw);
    let out = program(t, &exe)
        .env("CCGW_TEST_URL", &url)
        .env("CCGW_TEST_CA", host_path(t, &ca))
        .env("CCGW_TEST_PASSWORD", common::PASSWORD)
        .output()
        .expect("the program runs");
    let client_ok = out.status.success();

    // Wine turns SIGINT into the console's Ctrl-C event.
    // SAFETY: kill(2) on the pid of our own child.
    let rc = unsafe { libc::kill(sim.id() as libc::pid_t, libc::SIGINT) };
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = sim.try_wait().expect("try_wait") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = sim.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        client_ok,
        "test_args.exe against ccgw-sim.exe:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(rc, 0);
    assert_eq!(status.and_then(|s| s.code()), Some(0), "ccgw-sim.exe did not exit 0 on Ctrl-C");
}

/// Not a `c_` test: it measures the process's peak memory, which valgrind and the
/// sanitizers change, so the hardening runs leave it out. Native only.
#[test]
fn event_queue_memory_stays_bounded_in_a_host_process() {
    const BIG: usize = 48;
    const HUGE: usize = 2;
    let t = Target::Native;
    let sim = common::sim(serde_json::json!({"poll_wait_ms": 200}));
    let ready = out_dir(t).join("events-memory.ready");
    let drained = out_dir(t).join("events-memory.drained");
    let _ = std::fs::remove_file(&ready);
    let _ = std::fs::remove_file(&drained);
    let exe = compile(t, "tests/c/test_events_memory.c", Link::Ccgw);
    let env = [
        ("CCGW_TEST_BIG", BIG.to_string()),
        ("CCGW_TEST_HUGE", HUGE.to_string()),
        ("CCGW_TEST_READY", ready.display().to_string()),
        ("CCGW_TEST_DRAINED", drained.display().to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let child = command(t, &exe, &sim, &env)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the program runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !ready.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(ready.exists(), "the program never became ready");
    let half = "x".repeat(512 << 10);
    for i in 0..BIG {
        sim.inject_event(820, "Big", serde_json::json!({"i": i, "pad": &half})).unwrap();
        if i == BIG / 2 {
            for _ in 0..HUGE {
                sim.inject_event(820, "Huge", serde_json::json!({"pad": half.repeat(3)})).unwrap();
            }
        }
    }
    sim.inject_event(820, "End", serde_json::json!({})).unwrap();
    // The consumer starts only once the pump has fetched everything (the queue stays full
    // meanwhile: the pump stalls, then drops the oldest events).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while sim.agent_state(820)["queued"] != 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::fs::write(&drained, b"").unwrap();
    let out = child.wait_with_output().expect("the program ends");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    println!("{stdout}");
}
