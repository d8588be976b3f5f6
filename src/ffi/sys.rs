//! The platform-specific parts of the C boundary: signal hygiene, and reading a file the
//! host names (the CA file) without letting it block or flood the process.
//!
//! Signal hygiene for a library living in someone else's process.
//!
//! TLS records go to the socket with `writev`, which (unlike `send` with `MSG_NOSIGNAL`)
//! raises SIGPIPE when the gateway has closed the connection; with SIGPIPE at its default
//! that kills the host. Linux has no per-socket switch, and the host's signal dispositions
//! are not ours to change. So the thread signal mask is used instead: the library's own
//! threads block SIGPIPE for good, and a host thread blocks it for the duration of each
//! ccgw call, consumes any SIGPIPE raised meanwhile, and gets its old mask back.

#[cfg(unix)]
mod imp {
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
}

#[cfg(not(unix))]
mod imp {
    pub struct SigpipeBlocked;
    pub fn block_sigpipe() -> SigpipeBlocked {
        SigpipeBlocked
    }
    pub fn block_sigpipe_for_good() {}

    /// Opens `path` for reading and refuses anything but a regular file.
    pub fn open_regular(path: &str) -> Result<std::fs::File, String> {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot be opened: {e}"))?;
        let t = file.metadata().map_err(|e| format!("cannot be examined: {e}"))?.file_type();
        if t.is_file() {
            Ok(file)
        } else if t.is_dir() {
            Err("is a directory, not a regular file".into())
        } else {
            Err("is not a regular file (a device or pipe?)".into())
        }
    }
}

pub(crate) use imp::{block_sigpipe, block_sigpipe_for_good};

/// Reads the regular file `path` of at most `max` bytes (see `open_regular`); the limit
/// holds while reading too (a file growing meanwhile). `Err` is the reason, to follow the
/// file's name in a message.
pub(crate) fn read_regular_file(path: &str, max: u64) -> Result<Vec<u8>, String> {
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
