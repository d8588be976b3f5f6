//! Everything that differs by operating system, in one place below the core: the rest of
//! the library calls these functions and has no `cfg(unix)` / `cfg(windows)` of its own.
//!
//! * **SIGPIPE hygiene** (Unix): a dead socket must not kill the host; see `unix.rs`.
//!   Windows has no SIGPIPE, so there the guards do nothing.
//! * **Staying loaded**: the library's runtime threads and thread-locals must never
//!   outlive its code. On Linux and the BSDs the shared object is linked with
//!   `-z nodelete` (build.rs), so `dlclose()` leaves it mapped (macOS never unloads an
//!   image with thread-local variables, which this one has); PE has no linker
//!   equivalent, so on Windows the DLL pins itself with
//!   `GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_PIN)` on first use and `FreeLibrary()`
//!   leaves it loaded ([`pin_library`]).
//! * **Reading a file the host names** (the CA file) without letting it block or flood
//!   the process: only regular files, opened without blocking, size-limited
//!   ([`read_regular_file`]).
//! * **Fork detection**: the runtimes' threads do not survive `fork()`. Before the first
//!   library thread starts, a `pthread_atfork` child handler is registered; it marks the
//!   child of any later `fork()` as forked, so each call checks an atomic flag ([`forked`])
//!   instead of asking the kernel for its process id (a `getpid` system call per call).
//!   If the handler cannot be registered, the process id that started the threads is
//!   compared on each call instead. Windows has no fork, and the check is never true
//!   there.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

#[cfg(not(any(unix, windows)))]
mod imp {
    pub struct SigpipeBlocked;
    pub fn block_sigpipe() -> SigpipeBlocked {
        SigpipeBlocked
    }
    pub fn block_sigpipe_for_good() {}
    pub fn watch_forks(_child: fn()) -> bool {
        false
    }
    pub fn pin_library() -> std::io::Result<()> {
        Ok(())
    }
    pub fn open_regular(path: &str) -> Result<std::fs::File, String> {
        super::open_checked(std::fs::File::open(path))
    }
}

/// SIGPIPE blocked on the calling thread until the returned guard is dropped (then any
/// SIGPIPE raised meanwhile is consumed and the thread's mask restored). Nothing on
/// Windows.
pub use imp::block_sigpipe;
/// Blocks SIGPIPE for good on a thread the library owns. Nothing on Windows.
pub use imp::block_sigpipe_for_good;
/// Keeps the library loaded for the rest of the process's life. Idempotent and cheap
/// after the first call (one atomic load). On Windows the first call pins the module
/// that holds this code; elsewhere the link settings already do it and this returns
/// `Ok`. An error carries the operating system's reason.
pub use imp::pin_library;

/// Process id of the process that started the library's threads (0: none started, or
/// stopped).
static OWNER_PID: AtomicU32 = AtomicU32::new(0);

/// Set in the child of a `fork()` made while library threads ran (by the fork handler).
static FORKED: AtomicBool = AtomicBool::new(false);

/// Whether the fork handler is registered (then [`FORKED`] is the answer; otherwise the
/// process ids are compared).
static WATCHING_FORKS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Runs in the child of every `fork()` (async-signal-safe: atomics only).
fn in_forked_child() {
    if OWNER_PID.load(Ordering::SeqCst) != 0 {
        FORKED.store(true, Ordering::SeqCst);
    }
}

/// Records that this process is about to start library threads (the runtimes, the event
/// callback pool); the first claim wins, so a forked child never claims its parent's.
/// The fork handler is registered first, so no fork after the claim goes unseen.
pub fn claim_process() {
    WATCHING_FORKS.get_or_init(|| imp::watch_forks(in_forked_child));
    let _ = OWNER_PID.compare_exchange(0, std::process::id(), Ordering::SeqCst, Ordering::SeqCst);
}

/// Records that the runtimes were stopped (a later start is a fresh owner).
pub fn runtime_stopped() {
    OWNER_PID.store(0, Ordering::SeqCst);
}

/// Whether this process is a fork of the one that started the library's threads: they did
/// not survive the fork, so the child must never touch them. Never true on Windows.
pub fn forked() -> bool {
    match WATCHING_FORKS.get() {
        // No library thread was ever started: nothing to lose in a fork.
        None => false,
        Some(true) => FORKED.load(Ordering::Relaxed),
        Some(false) => {
            let owner = OWNER_PID.load(Ordering::SeqCst);
            owner != 0 && owner != std::process::id()
        }
    }
}

/// Refuses an opened file that is not a regular file (the platforms without a
/// non-blocking open use it).
#[cfg_attr(unix, allow(dead_code))]
fn open_checked(opened: std::io::Result<std::fs::File>) -> Result<std::fs::File, String> {
    let file = opened.map_err(|e| format!("cannot be opened: {e}"))?;
    let t = file.metadata().map_err(|e| format!("cannot be examined: {e}"))?.file_type();
    if t.is_file() {
        Ok(file)
    } else if t.is_dir() {
        Err("is a directory, not a regular file".into())
    } else {
        Err("is not a regular file (a device or pipe?)".into())
    }
}

/// Reads the regular file `path` of at most `max` bytes (opened without blocking, and
/// refused unless it is a regular file); the limit holds while reading too (a file growing
/// meanwhile). `Err` is the reason, to follow the file's name in a message.
pub fn read_regular_file(path: &str, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let limit = if max % (1 << 20) == 0 { format!("{} MiB", max >> 20) } else { format!("{max} bytes") };
    let too_large = |n: u64| format!("is larger than {limit} ({n} bytes or more)");
    let file = imp::open_regular(path)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        return Err(too_large(len));
    }
    let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max + 1).read_to_end(&mut buf).map_err(|e| format!("cannot be read: {e}"))?;
    if buf.len() as u64 > max {
        return Err(too_large(buf.len() as u64));
    }
    Ok(buf)
}
