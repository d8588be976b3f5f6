//! The process-wide runtimes behind every blocking call: built on first use, rebuilt on
//! the next use after [`shutdown`], never touched again in a forked child.
//!
//! A blocking call on a multi-thread runtime pays cross-thread hand-offs (the caller parks
//! while a worker drives the socket, then wakes it). So there are two kinds of runtime:
//!
//! * **lanes**: [`LANES`] current-thread runtimes. A blocking caller takes a free lane and
//!   drives it itself for the duration of its call, doing its own I/O with no hand-off.
//!   Concurrent callers take different lanes.
//! * a **multi-thread** runtime (two workers) for callers that find every lane busy, and
//!   for background work such as the event pump.
//!
//! Connections belong to the runtime that opened them, so a session keeps one connection
//! pool per lane it has used and one for the multi-thread runtime (see
//! `transport::Transport`). A lane only runs while driven, so work left behind by a call
//! (a timed-out request's connection closing, a freed session's pool) would wait for the
//! lane's next caller: a call that abandoned a request drives its lane a few more ticks
//! before returning, and a janitor thread drives idle lanes twice a second. BENCHMARKS.md has the measurements
//! behind this design.

use crate::error::{Error, Result};
use crate::platform;
use crate::status::*;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, RwLock, TryLockError};
use std::time::Duration;
use tokio::runtime::{Handle, Runtime};

/// Worker threads of the multi-thread runtime: I/O, timers, connection tasks, pumps.
const WORKERS: usize = 2;

/// The multi-thread runtime (owned here so shutdown can stop it) and its handle.
static MULTI: Mutex<Option<Runtime>> = Mutex::new(None);
static MULTI_HANDLE: RwLock<Option<Handle>> = RwLock::new(None);
/// Number of lanes: concurrent blocking callers served without hand-offs.
pub const LANES: usize = 16;

/// The lanes; holding a lane's lock is the right to drive it.
static LANE_RUNTIMES: [Mutex<Option<Runtime>>; LANES] = [const { Mutex::new(None) }; LANES];

std::thread_local! {
    /// The lane this thread is driving right now, if any (read by the transport to pick
    /// the lane's connection pool).
    static LANE: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// The lane the calling thread drives at the moment (inside a blocking call).
pub fn current_lane() -> Option<usize> {
    LANE.with(|l| l.get())
}

std::thread_local! {
    /// Set when a call abandoned work on its lane (a request dropped mid-flight), so the
    /// lane is driven a little longer to let the connection close.
    static ABANDONED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Records that the current call left a request behind (timeout, cancel, close, transport
/// failure); on a lane, the lane then runs its ready tasks before the call returns.
pub fn note_abandoned_request() {
    ABANDONED.with(|a| a.set(true));
}

/// Clears the thread's lane mark however the call ends.
struct LaneMark;

impl Drop for LaneMark {
    fn drop(&mut self) {
        LANE.with(|l| l.set(None));
    }
}
/// Threads the runtimes started that have not ended yet (workers and blocking-pool
/// threads), with a condition variable signalled as each ends: `shutdown` waits on it.
static THREADS: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

/// Lives in each runtime thread's thread-local storage: dropped as the thread exits,
/// after its last tokio and library code.
struct ThreadMark;

impl Drop for ThreadMark {
    fn drop(&mut self) {
        let mut n = THREADS.0.lock().unwrap_or_else(|e| e.into_inner());
        *n = n.saturating_sub(1);
        THREADS.1.notify_all();
    }
}

std::thread_local! {
    static MARK: std::cell::RefCell<Option<ThreadMark>> = const { std::cell::RefCell::new(None) };
}

/// Start hook of every runtime thread: the library-thread set-up, and counted until it ends.
fn thread_started() {
    library_thread_start();
    *THREADS.0.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    MARK.with(|m| *m.borrow_mut() = Some(ThreadMark));
}

fn live_threads() -> usize {
    *THREADS.0.lock().unwrap_or_else(|e| e.into_inner())
}

/// Waits until every runtime thread has ended, or `deadline`; returns how many remain.
fn wait_for_threads(deadline: std::time::Instant) -> usize {
    let mut n = THREADS.0.lock().unwrap_or_else(|e| e.into_inner());
    while *n > 0 {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            break;
        }
        n = THREADS.1.wait_timeout(n, left).unwrap_or_else(|e| e.into_inner()).0;
    }
    *n
}

/// Live objects (sessions, event pumps) that need the runtimes; shutdown refuses while any live.
pub static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Whether this process is a fork of the one that started the library's threads (the
/// runtimes, or the event callback pool): they did not survive the fork, and
/// locks they held stay locked in the child, so the child must never touch them.
pub fn forked() -> bool {
    platform::forked()
}

/// Records that this process now has library threads (before one is started), so a
/// fork from here on is detected. The runtimes call it; so does every other thread start.
pub fn claim_process() {
    platform::claim_process();
}

/// First thing on every thread the library starts: SIGPIPE blocked for good, and panics
/// on it reported through the log rather than on stderr.
pub fn library_thread_start() {
    platform::block_sigpipe_for_good();
    crate::log::mark_library_thread();
}

/// The error of any call in a forked child.
pub fn forked_error() -> Error {
    Error::new(
        CCGW_E_FORKED,
        "the process forked after ccgw started; use ccgw only in the parent, or exec in the child",
    )
}

fn build_error(e: std::io::Error) -> Error {
    Error::new(CCGW_E_INTERNAL, format!("cannot start the runtime: {e}"))
}

/// The multi-thread runtime's handle, building the runtimes if needed.
pub fn handle() -> Result<Handle> {
    if platform::forked() {
        return Err(forked_error());
    }
    if let Some(h) = MULTI_HANDLE.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return Ok(h.clone());
    }
    let mut multi = MULTI.lock().unwrap_or_else(|e| e.into_inner());
    if multi.is_none() {
        // The threads about to start run this library's code: it must stay loaded under
        // them (the FFI guard pins it on first use already; this covers every other way in).
        platform::pin_library()
            .map_err(|e| Error::new(CCGW_E_INTERNAL, format!("cannot keep the library loaded: {e}")))?;
        claim_process();
        let built = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(WORKERS)
            .thread_name("ccgw-runtime")
            .on_thread_start(thread_started)
            .enable_all()
            .build()
            .map_err(build_error)?;
        *multi = Some(built);
    }
    let h = multi.as_ref().expect("built above").handle().clone();
    *MULTI_HANDLE.write().unwrap_or_else(|e| e.into_inner()) = Some(h.clone());
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

/// Lets the lane run what is ready (connection tasks closing or returning to the pool).
fn drive_briefly(rt: &Runtime) {
    // Each yield lets the scheduler run every task that is ready (up to its batch size).
    rt.block_on(async {
        tokio::task::yield_now().await;
        tokio::task::yield_now().await;
    });
}

/// Takes lane `i` if free: (its lock guard, made on first use).
fn try_lane(i: usize) -> Result<Option<std::sync::MutexGuard<'static, Option<Runtime>>>> {
    let mut lane = match LANE_RUNTIMES[i].try_lock() {
        Ok(g) => g,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        Err(TryLockError::WouldBlock) => return Ok(None),
    };
    if lane.is_none() {
        // A lane's own threads are its blocking pool (DNS lookups, for one).
        let rt = tokio::runtime::Builder::new_current_thread()
            .thread_name("ccgw-blocking")
            .on_thread_start(thread_started)
            .enable_all()
            .build()
            .map_err(build_error)?;
        *lane = Some(rt);
        start_janitor();
    }
    Ok(Some(lane))
}

/// Runs `fut` to completion for a blocking caller: on a free lane, driven by this thread,
/// or, when every lane is busy, on the multi-thread runtime.
pub fn block_on<F: Future>(fut: F) -> Result<F::Output> {
    check_may_block()?;
    let multi = handle()?;
    for i in 0..LANES {
        let Some(lane) = try_lane(i)? else { continue };
        let rt = lane.as_ref().expect("made by try_lane");
        LANE.with(|l| l.set(Some(i)));
        let _mark = LaneMark;
        ABANDONED.with(|a| a.set(false));
        let out = rt.block_on(fut);
        if ABANDONED.with(|a| a.replace(false)) {
            drive_briefly(rt);
        }
        return Ok(out);
    }
    Ok(multi.block_on(fut))
}

/// The janitor's stop flag and wake-up.
static JANITOR: (Mutex<Option<std::thread::JoinHandle<()>>>, Mutex<bool>, Condvar) =
    (Mutex::new(None), Mutex::new(false), Condvar::new());

/// Starts the thread that drives idle lanes twice a second (once per process lifetime of
/// the runtimes; `shutdown` stops it).
fn start_janitor() {
    let mut slot = JANITOR.0.lock().unwrap_or_else(|e| e.into_inner());
    if slot.is_some() {
        return;
    }
    *JANITOR.1.lock().unwrap_or_else(|e| e.into_inner()) = false;
    let spawned = std::thread::Builder::new().name("ccgw-lanes".into()).spawn(|| {
        library_thread_start();
        loop {
            let stop = JANITOR.1.lock().unwrap_or_else(|e| e.into_inner());
            let (stop, _) = JANITOR.2.wait_timeout(stop, Duration::from_millis(500)).unwrap_or_else(|e| e.into_inner());
            if *stop {
                return;
            }
            drop(stop);
            for slot in &LANE_RUNTIMES {
                if let Ok(mut lane) = slot.try_lock() {
                    if let Some(rt) = lane.as_mut() {
                        drive_briefly(rt);
                    }
                }
            }
        }
    });
    if let Ok(handle) = spawned {
        *slot = Some(handle);
    }
}

fn stop_janitor() {
    let handle = JANITOR.0.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(h) = handle {
        *JANITOR.1.lock().unwrap_or_else(|e| e.into_inner()) = true;
        JANITOR.2.notify_all();
        let _ = h.join();
    }
}

/// Stops the runtimes and returns `Ok` once every thread they started has exited, joined
/// by tokio (which joins a runtime's threads when all of them end within the time it is
/// given), so a leak checker sees a clean exit. Refused with `CCGW_E_BUSY` while sessions
/// are alive. `CCGW_E_TIMEOUT` when threads were still running at the deadline (stuck in
/// a blocking DNS lookup, say; or a zero timeout): they were told to stop and are left
/// to exit on their own, and a later call waits until they have ended.
pub fn shutdown(timeout: Duration) -> Result<()> {
    check_may_block()?;
    if platform::forked() {
        return Ok(());
    }
    let deadline = std::time::Instant::now() + timeout;
    let live = LIVE.load(Ordering::SeqCst);
    if live > 0 {
        return Err(Error::new(CCGW_E_BUSY, format!("{live} session(s) are still alive; free them first")));
    }
    // The callback pool first (its threads are idle: every session, so every callback,
    // is gone); its threads are joined here.
    let dispatch_left = crate::dispatch::shutdown(deadline);
    *MULTI_HANDLE.write().unwrap_or_else(|e| e.into_inner()) = None;
    let multi = MULTI.lock().unwrap_or_else(|e| e.into_inner()).take();
    platform::runtime_stopped();
    stop_janitor();
    let lanes = LANE_RUNTIMES.iter().filter_map(|slot| slot.lock().unwrap_or_else(|e| e.into_inner()).take());
    // tokio joins a runtime's threads only when they all end before its timeout; a
    // shutdown that used up the time (or had none) while threads were alive joined none.
    let mut unjoined = false;
    for rt in lanes.chain(multi) {
        let threads_alive = live_threads() > 0;
        rt.shutdown_timeout(deadline.saturating_duration_since(std::time::Instant::now()));
        if threads_alive && std::time::Instant::now() >= deadline {
            unjoined = true;
        }
    }
    match wait_for_threads(deadline) + dispatch_left {
        0 if !unjoined => Ok(()),
        n => Err(Error::new(
            CCGW_E_TIMEOUT,
            format!(
                "library threads were still running after {} ms ({n} not yet ended); they were told to stop \
                 and exit on their own (call ccgw_global_shutdown again to wait for them)",
                timeout.as_millis()
            ),
        )),
    }
}
