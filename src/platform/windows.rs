//! Windows: the DLL pins itself, since PE has no `-z nodelete`; files the host names are
//! opened and checked to be regular files.
//!
//! `FreeLibrary()` on the last reference unmaps `ccgw.dll`, but the runtime's worker
//! threads, the lane janitor and any session's event pump or callback thread keep running
//! its code: the host would die with an access violation the next time one of them wakes.
//! The threads cannot be stopped from `DllMain` (the loader lock is held there), so the
//! library makes itself permanent instead: on first use it takes a pinned reference to
//! its own module, after which `FreeLibrary()` leaves it loaded until the process exits
//! (the behaviour `-z nodelete` gives on Linux).
//!
//! There is no SIGPIPE on Windows (a write to a reset socket fails with WSAECONNRESET),
//! so the signal guards are empty.

use std::sync::OnceLock;
use windows_sys::Win32::System::LibraryLoader::{
    GetModuleHandleExW, GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, GET_MODULE_HANDLE_EX_FLAG_PIN,
};

pub struct SigpipeBlocked;

pub fn block_sigpipe() -> SigpipeBlocked {
    SigpipeBlocked
}

pub fn block_sigpipe_for_good() {}

/// No fork on Windows: nothing to watch, and the flag the handler would set stays false.
pub fn watch_forks(_child: fn()) -> bool {
    true
}

pub fn pin_library() -> std::io::Result<()> {
    // The outcome of the one attempt: None when pinned, else the Win32 error code.
    static OUTCOME: OnceLock<Option<i32>> = OnceLock::new();
    let outcome = OUTCOME.get_or_init(|| {
        let mut module = std::ptr::null_mut();
        // Any address inside this module names it when FROM_ADDRESS is given; this
        // function's own code certainly is.
        let address = pin_library as *const () as *const u16;
        // SAFETY: with GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS the second argument is an
        // address, not a string, and is only compared against module ranges; `module` is
        // a valid place for the handle. A pinned handle needs no FreeLibrary.
        let ok = unsafe {
            GetModuleHandleExW(
                GET_MODULE_HANDLE_EX_FLAG_PIN | GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                address,
                &mut module,
            )
        };
        if ok != 0 {
            None
        } else {
            Some(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
        }
    });
    match outcome {
        None => Ok(()),
        Some(code) => Err(std::io::Error::from_raw_os_error(*code)),
    }
}

/// Opens `path` for reading and refuses anything but a regular file (Windows has no FIFO
/// that blocks an open for reading).
pub fn open_regular(path: &str) -> Result<std::fs::File, String> {
    super::open_checked(std::fs::File::open(path))
}
