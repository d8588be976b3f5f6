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
//! * **Fork detection**: the runtimes' threads do not survive `fork()`, so the process id
//!   that built them is remembered and compared on each call ([`forked`]); no
//!   `pthread_atfork` handler is needed. Windows has no fork, and the check is never true
//!   there.

use std::sync::atomic::{AtomicU32, Ordering};

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
    pub fn pin_library() -> std::io::Result<()> {
        Ok(())
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

/// Process id of the process that built the runtimes (0: none built, or stopped).
static OWNER_PID: AtomicU32 = AtomicU32::new(0);

/// Records that this process has just built the runtimes.
pub fn runtime_started() {
    OWNER_PID.store(std::process::id(), Ordering::SeqCst);
}

/// Records that the runtimes were stopped (a later start is a fresh owner).
pub fn runtime_stopped() {
    OWNER_PID.store(0, Ordering::SeqCst);
}

/// Whether this process is a fork of the one that built the runtimes: their threads did
/// not survive the fork, so the child must never touch them. Never true on Windows.
pub fn forked() -> bool {
    let owner = OWNER_PID.load(Ordering::SeqCst);
    owner != 0 && owner != std::process::id()
}
