//! Unix: signal hygiene for a library living in someone else's process, staying loaded
//! (done at link time: `pin_library` has nothing to do), and opening a file the host names
//! without blocking.
//!
//! TLS records go to the socket with `writev`, which (unlike `send` with `MSG_NOSIGNAL`)
//! raises SIGPIPE when the gateway has closed the connection; with SIGPIPE at its default
//! that kills the host. Linux has no per-socket switch, and the host's signal dispositions
//! are not ours to change. So the thread signal mask is used instead: the library's own
//! threads block SIGPIPE for good, and a host thread blocks it for the duration of each
//! ccgw call, consumes any SIGPIPE raised meanwhile, and gets its old mask back.

use std::mem::MaybeUninit;

fn sigpipe_set() -> libc::sigset_t {
    let mut set = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: sigemptyset initialises the set it is given.
    unsafe {
        libc::sigemptyset(set.as_mut_ptr());
        libc::sigaddset(set.as_mut_ptr(), libc::SIGPIPE);
        set.assume_init()
    }
}

/// SIGPIPE blocked on this thread until dropped (then any pending one is consumed and
/// the previous mask restored).
pub struct SigpipeBlocked {
    old: libc::sigset_t,
    was_blocked: bool,
}

pub fn block_sigpipe() -> SigpipeBlocked {
    let set = sigpipe_set();
    let mut old = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: valid sets; pthread_sigmask fills `old`.
    unsafe {
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, old.as_mut_ptr());
        let old = old.assume_init();
        let was_blocked = libc::sigismember(&old, libc::SIGPIPE) == 1;
        SigpipeBlocked { old, was_blocked }
    }
}

impl Drop for SigpipeBlocked {
    fn drop(&mut self) {
        if self.was_blocked {
            return;
        }
        let set = sigpipe_set();
        let zero = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: valid sets and timespec; consumes SIGPIPEs pending on this thread,
        // then restores the mask the thread had.
        unsafe {
            loop {
                let mut pending = MaybeUninit::<libc::sigset_t>::uninit();
                libc::sigpending(pending.as_mut_ptr());
                if libc::sigismember(pending.as_ptr(), libc::SIGPIPE) != 1 {
                    break;
                }
                if libc::sigtimedwait(&set, std::ptr::null_mut(), &zero) < 0 {
                    break;
                }
            }
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.old, std::ptr::null_mut());
        }
    }
}

/// Blocks SIGPIPE on this (library-owned) thread for good.
pub fn block_sigpipe_for_good() {
    std::mem::forget(block_sigpipe());
}

/// The function the fork handler calls in the child ([`watch_forks`]).
static CHILD: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

extern "C" fn after_fork_in_child() {
    if let Some(f) = CHILD.get() {
        f();
    }
}

/// Registers `child` to run in the child of every later `fork()` (`pthread_atfork`; the
/// shared object is never unloaded, so the handler's code stays mapped). Returns whether it
/// is registered. A child made without the fork handlers (`vfork`, `posix_spawn`, glibc's
/// `_Fork`, a raw `clone`) is not seen; such a child may only exec (or, for `_Fork`, call
/// async-signal-safe functions), never call into a library.
pub fn watch_forks(child: fn()) -> bool {
    if CHILD.set(child).is_err() {
        return true;
    }
    // SAFETY: registers a handler that only reads a OnceLock already set and stores atomics.
    unsafe { libc::pthread_atfork(None, None, Some(after_fork_in_child)) == 0 }
}

/// The shared object is linked with `-z nodelete` (build.rs): `dlclose()` never unmaps
/// it, so there is nothing to do at run time.
pub fn pin_library() -> std::io::Result<()> {
    Ok(())
}

/// Opens `path` for reading without blocking (`O_NONBLOCK`: opening a FIFO would
/// otherwise wait for a writer; `O_NOCTTY`: a terminal never becomes the controlling
/// one), then refuses anything but a regular file, judged on the open descriptor
/// (`fstat`), so the file checked is the file read.
pub fn open_regular(path: &str) -> Result<std::fs::File, String> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| format!("cannot be opened: {e}"))?;
    let t = file.metadata().map_err(|e| format!("cannot be examined: {e}"))?.file_type();
    let kind = if t.is_file() {
        return Ok(file);
    } else if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a file"
    };
    Err(format!("is {kind}, not a regular file"))
}
