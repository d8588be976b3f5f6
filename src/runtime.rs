//! The one process-wide tokio runtime behind every blocking call: built on first use,
//! rebuilt on the next use after [`shutdown`], never touched again in a forked child.

use crate::error::{Error, Result};
use crate::status::*;
use once_cell::sync::Lazy;
use std::future::Future;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Duration;
use tokio::runtime::{Handle, Runtime};

/// Worker threads of the runtime: I/O, timers and connection tasks. Blocking calls run
/// their request on the caller's own thread, so two workers serve many callers.
const WORKERS: usize = 2;

static RUNTIME: Mutex<Option<Runtime>> = Mutex::new(None);
static HANDLE: Lazy<RwLock<Option<Handle>>> = Lazy::new(|| RwLock::new(None));
/// Process id of the process that built the runtime (0: none built yet).
static OWNER_PID: AtomicU32 = AtomicU32::new(0);

/// Live objects (sessions, event pumps) that need the runtime; shutdown refuses while any live.
pub static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Whether this process is a fork of the one that started the runtime: its threads did
/// not survive the fork, so the child must never touch it.
pub fn forked() -> bool {
    let owner = OWNER_PID.load(Ordering::SeqCst);
    owner != 0 && owner != std::process::id()
}

/// The runtime's handle, building the runtime if needed.
pub fn handle() -> Result<Handle> {
    if forked() {
        return Err(Error::new(
            CCGW_E_FORKED,
            "the process forked after ccgw started; use ccgw only in the parent, or exec in the child",
        ));
    }
    if let Some(h) = HANDLE.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return Ok(h.clone());
    }
    let mut rt = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    if rt.is_none() {
        let built = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(WORKERS)
            .thread_name("ccgw-runtime")
            .enable_all()
            .build()
            .map_err(|e| Error::new(CCGW_E_INTERNAL, format!("cannot start the runtime: {e}")))?;
        *rt = Some(built);
        OWNER_PID.store(std::process::id(), Ordering::SeqCst);
    }
    let h = rt.as_ref().expect("built above").handle().clone();
    *HANDLE.write().unwrap_or_else(|e| e.into_inner()) = Some(h.clone());
    Ok(h)
}

/// Refuses to block where blocking would deadlock or panic: on a runtime thread (for
/// example inside a log callback run by the runtime) or inside the log sink.
pub fn check_may_block() -> Result<()> {
    if Handle::try_current().is_ok() || crate::log::in_sink() {
        return Err(Error::new(
            CCGW_E_WRONG_THREAD,
            "blocking ccgw calls are not allowed on a ccgw runtime thread or inside a log callback",
        ));
    }
    Ok(())
}

/// Runs `fut` to completion on the calling thread, with the runtime driving I/O.
pub fn block_on<F: Future>(fut: F) -> Result<F::Output> {
    check_may_block()?;
    let h = handle()?;
    Ok(h.block_on(fut))
}

/// Stops the runtime (waiting up to `timeout` for its threads), so a leak checker sees a
/// clean exit. Refused with `CCGW_E_BUSY` while sessions are alive.
pub fn shutdown(timeout: Duration) -> Result<()> {
    check_may_block()?;
    if forked() {
        return Ok(());
    }
    let live = LIVE.load(Ordering::SeqCst);
    if live > 0 {
        return Err(Error::new(CCGW_E_BUSY, format!("{live} session(s) are still alive; free them first")));
    }
    *HANDLE.write().unwrap_or_else(|e| e.into_inner()) = None;
    let rt = RUNTIME.lock().unwrap_or_else(|e| e.into_inner()).take();
    OWNER_PID.store(0, Ordering::SeqCst);
    if let Some(rt) = rt {
        rt.shutdown_timeout(timeout);
    }
    Ok(())
}
