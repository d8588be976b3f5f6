//! The runtimes behind every blocking call: the multi-thread runtime, built on first use,
//! rebuilt on the next use after [`shutdown`], never touched again in a forked child; and
//! each session's lanes.
//!
//! A blocking call on a multi-thread runtime pays cross-thread hand-offs (the caller parks
//! while a worker drives the socket, then wakes it). So there are two kinds of runtime:
//!
//! * **lanes** ([`Lanes`]): a session's current-thread runtimes, up to [`LANES`], made as
//!   its calls in flight demand, lane 0 first. A blocking caller takes its session's first
//!   free lane and drives it itself for the duration of its call, doing its own I/O with
//!   no hand-off. Sequential calls from any thread land on lane 0 and its connection.
//! * a **multi-thread** runtime (two workers) for sign-in and sign-out, for background
//!   work such as the event pump (which so polls on the sign-in's connection), for name
//!   lookups, and for callers finding every lane of their session busy.
//!
//! Connections belong to the runtime that opened them, so a session keeps one connection
//! pool per lane and one for the multi-thread runtime (see `transport::Transport`). A lane
//! only runs while driven, so work left behind by a call (a timed-out request's connection
//! closing, a connection the server closed) would wait for the lane's next caller: a call
//! that abandoned a request drives its lane a few more ticks before returning, and a
//! janitor thread drives idle lanes twice a second and drops those idle past the pools'
//! idle timeout. ARCHITECTURE.md (lanes and connections) and BENCHMARKS.md have the
//! reasons and the measurements behind this design.

use crate::error::{Error, Result};
use crate::platform;
use crate::status::*;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};
use tokio::runtime::{Handle, Runtime};

/// Worker threads of the multi-thread runtime: I/O, timers, connection tasks, pumps.
const WORKERS: usize = 2;

/// The multi-thread runtime (owned here so shutdown can stop it) and its handle.
static MULTI: Mutex<Option<Runtime>> = Mutex::new(None);
static MULTI_HANDLE: RwLock<Option<Handle>> = RwLock::new(None);

/// Most lanes a session drives at once: its calls in flight beyond this many run on the
/// multi-thread runtime.
pub const LANES: usize = 16;

/// A lane not driven by a call for this long is dropped with its connection pool, by then
/// empty: it is longer than the pools' idle timeout (15 s, `transport::Transport::new`),
/// so every connection it held has expired. A session that makes no call costs no lane.
const LANE_IDLE_DROP: Duration = Duration::from_secs(16);

/// Gives every lane runtime (and every lane set) an identity no other will ever have.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// The lane a thread is driving inside a blocking call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct LaneMark {
    /// The lane set (session) it belongs to.
    set: u64,
    /// Its index in the set.
    index: usize,
    /// The runtime now behind it (a lane dropped when idle gets a new one when needed).
    runtime: u64,
}

std::thread_local! {
    /// The lane this thread is driving right now, if any (read by the transport to pick
    /// the lane's connection pool).
    static LANE: std::cell::Cell<Option<LaneMark>> = const { std::cell::Cell::new(None) };
    /// The lanes of the session whose blocking call this thread is about to make
    /// ([`set_caller`]), taken by [`block_on`].
    static CALLER: std::cell::RefCell<Option<Weak<dyn LaneSet>>> = const { std::cell::RefCell::new(None) };
}

/// The lane the calling thread drives at the moment (inside a blocking call).
fn current_lane() -> Option<LaneMark> {
    LANE.with(|l| l.get())
}

/// Clears the thread's lane mark however the call ends.
struct Driving;

impl Drop for Driving {
    fn drop(&mut self) {
        LANE.with(|l| l.set(None));
    }
}

/// Names the session whose blocking call this thread makes next: [`block_on`] then runs
/// it on one of that session's lanes. The FFI layer calls it as it resolves the session
/// handle of a call.
pub fn set_caller<T: Send + Sync + 'static>(lanes: &Arc<Lanes<T>>) {
    let weak: Weak<dyn LaneSet> = Arc::downgrade(lanes) as Weak<dyn LaneSet>;
    // (`try_with`: a call from a host's thread-local destructor then runs on the
    // multi-thread runtime.)
    let _ = CALLER.try_with(|c| *c.borrow_mut() = Some(weak));
}

/// A running lane: its runtime, and when a call last drove it.
struct Driver {
    runtime: Runtime,
    id: u64,
    last_used: Instant,
}

/// One lane of a session: the runtime (holding the lock is the right to drive it), the
/// thing made for it (the session's connection pool on that runtime), and whether a
/// caller has claimed it.
struct Lane<T> {
    claimed: AtomicBool,
    /// Boxed: a session that never makes a lane keeps 16 empty slots.
    driver: Mutex<Option<Box<Driver>>>,
    attached: Mutex<Option<(u64, Arc<T>)>>,
}

/// A session's lanes: current-thread runtimes made as its calls in flight demand, lane 0
/// first, so sequential calls from any thread land on lane 0 and its connection. `T` is
/// what the session keeps per lane (the transport's connection pool: a connection belongs
/// to the runtime that opened it).
pub struct Lanes<T> {
    id: u64,
    lanes: [Lane<T>; LANES],
    /// Itself, for the janitor's list.
    me: Weak<Lanes<T>>,
    /// Whether it is on the janitor's list (changed under that list's lock).
    listed: AtomicBool,
}

impl<T: Send + Sync + 'static> Lanes<T> {
    /// A session's lanes, none made yet.
    pub fn new() -> Arc<Lanes<T>> {
        Arc::new_cyclic(|me| Lanes {
            id: next_id(),
            lanes: std::array::from_fn(|_| Lane {
                claimed: AtomicBool::new(false),
                driver: Mutex::new(None),
                attached: Mutex::new(None),
            }),
            me: me.clone(),
            listed: AtomicBool::new(false),
        })
    }

    /// What this thread's current lane holds for this set, made by `make` on the lane's
    /// first use (or its first use since it was dropped for idleness); `None` when the
    /// thread drives no lane of this set (a call on the multi-thread runtime, the pump).
    pub fn attached(&self, make: impl FnOnce() -> Result<T>) -> Result<Option<Arc<T>>> {
        let Some(mark) = current_lane().filter(|m| m.set == self.id) else { return Ok(None) };
        let mut slot = self.lanes[mark.index].attached.lock().unwrap_or_else(|e| e.into_inner());
        match slot.as_ref() {
            Some((id, t)) if *id == mark.runtime => Ok(Some(t.clone())),
            _ => {
                let t = Arc::new(make()?);
                *slot = Some((mark.runtime, t.clone()));
                Ok(Some(t))
            }
        }
    }
}

impl<T> Drop for Lanes<T> {
    fn drop(&mut self) {
        for lane in &mut self.lanes {
            let driver = lane.driver.get_mut().unwrap_or_else(|e| e.into_inner()).take();
            // Dropped first: the pool's connections live on the runtime.
            lane.attached.get_mut().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(d) = driver {
                // The last holder of a session may be a runtime thread (the pump), where
                // a runtime may not wait for its threads.
                d.runtime.shutdown_background();
            }
        }
    }
}

/// A session's lanes as the blocking calls and the janitor see them.
trait LaneSet: Send + Sync {
    /// Runs `f` on a free lane, made if needed, driven by this thread; `false` when every
    /// lane is busy.
    fn drive(&self, f: &mut dyn FnMut(&Runtime)) -> Result<bool>;
    /// Drives the idle lanes a little and drops those idle past [`LANE_IDLE_DROP`];
    /// `false` once the set has no lane left.
    fn sweep(&self, now: Instant) -> bool;
}

impl<T: Send + Sync + 'static> LaneSet for Lanes<T> {
    fn drive(&self, f: &mut dyn FnMut(&Runtime)) -> Result<bool> {
        for (index, lane) in self.lanes.iter().enumerate() {
            if lane.claimed.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
                continue;
            }
            struct Release<'a>(&'a AtomicBool);
            impl Drop for Release<'_> {
                fn drop(&mut self) {
                    self.0.store(false, Ordering::Release);
                }
            }
            let _release = Release(&lane.claimed);
            // Claimed: only the janitor can hold the lock, for a moment.
            let mut driver = lane.driver.lock().unwrap_or_else(|e| e.into_inner());
            if driver.is_none() {
                // Name lookups run on the multi-thread runtime's blocking pool
                // (`transport::SharedResolver`), so a lane starts no thread of its own; if
                // anything else ever blocks on it, its threads do not linger.
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .thread_name("ccgw-blocking")
                    .on_thread_start(thread_started)
                    .thread_keep_alive(Duration::from_secs(1))
                    .enable_all()
                    .build()
                    .map_err(build_error)?;
                *driver = Some(Box::new(Driver { runtime, id: next_id(), last_used: Instant::now() }));
                drop(driver);
                register(self);
                driver = lane.driver.lock().unwrap_or_else(|e| e.into_inner());
            }
            let d = driver.as_mut().expect("made above");
            LANE.with(|l| l.set(Some(LaneMark { set: self.id, index, runtime: d.id })));
            let driving = Driving;
            f(&d.runtime);
            drop(driving);
            d.last_used = Instant::now();
            return Ok(true);
        }
        Ok(false)
    }

    fn sweep(&self, now: Instant) -> bool {
        let mut left = false;
        for lane in &self.lanes {
            let Ok(mut driver) = lane.driver.try_lock() else {
                left = true;
                continue;
            };
            match driver.as_ref() {
                None => {}
                Some(d) if now.saturating_duration_since(d.last_used) >= LANE_IDLE_DROP => {
                    let d = driver.take().expect("matched");
                    lane.attached.lock().unwrap_or_else(|e| e.into_inner()).take();
                    d.runtime.shutdown_background();
                }
                Some(d) => {
                    drive_briefly(&d.runtime);
                    left = true;
                }
            }
        }
        if !left {
            self.listed.store(false, Ordering::Relaxed);
        }
        left
    }
}

/// Sessions that have lanes, for the janitor. Its lock is held through a sweep, and by
/// a set putting itself on the list, so a lane made while the janitor finds its set empty
/// is never missed.
static LANE_SETS: Mutex<Vec<Weak<dyn LaneSet>>> = Mutex::new(Vec::new());

/// Puts a set that has just made a lane on the janitor's list, unless it is on it.
fn register<T: Send + Sync + 'static>(set: &Lanes<T>) {
    let mut sets = LANE_SETS.lock().unwrap_or_else(|e| e.into_inner());
    if !set.listed.swap(true, Ordering::Relaxed) {
        sets.push(set.me.clone() as Weak<dyn LaneSet>);
    }
    drop(sets);
    start_janitor();
}

/// The janitor's round: drives every session's idle lanes, drops the lanes idle too long,
/// and forgets the sets left without a lane (they cost nothing until their next call).
fn sweep_all() {
    let now = Instant::now();
    let mut sets = LANE_SETS.lock().unwrap_or_else(|e| e.into_inner());
    sets.retain(|w| match w.upgrade() {
        Some(set) => set.sweep(now),
        None => false,
    });
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
    let current = Handle::try_current();
    if current.as_ref().is_err_and(|e| e.is_thread_local_destroyed()) {
        // A host's thread-local destructor at thread exit: tokio's own thread state is gone
        // (driving a runtime would panic).
        return Err(Error::new(
            CCGW_E_WRONG_THREAD,
            "blocking ccgw calls are not possible from a thread-local destructor at thread exit; make them before the thread ends, or on another thread",
        ));
    }
    if current.is_ok() || crate::log::in_sink() {
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

/// Runs `fut` to completion for a blocking caller: on a free lane of the session named
/// by [`set_caller`], driven by this thread, or, when every lane of it is busy (or no
/// session was named), on the multi-thread runtime.
pub fn block_on<F: Future>(fut: F) -> Result<F::Output> {
    let caller = CALLER.try_with(|c| c.borrow_mut().take()).ok().flatten().and_then(|w| w.upgrade());
    check_may_block()?;
    let multi = handle()?;
    if let Some(set) = caller {
        let mut fut = Some(fut);
        let mut out = None;
        let driven = set.drive(&mut |rt| {
            ABANDONED.with(|a| a.set(false));
            out = Some(rt.block_on(fut.take().expect("run once")));
            if ABANDONED.with(|a| a.replace(false)) {
                drive_briefly(rt);
            }
        })?;
        if driven {
            return Ok(out.expect("ran"));
        }
        return Ok(multi.block_on(fut.expect("not run")));
    }
    Ok(multi.block_on(fut))
}

/// Runs `fut` to completion on the multi-thread runtime, where the event pump runs: for
/// the sign-in and the sign-out, so the pump's polls go out on the sign-in's connection
/// and the sign-out on the pump's, and a session that only signs in and polls keeps one
/// connection and no lane.
pub fn block_on_shared<F: Future>(fut: F) -> Result<F::Output> {
    let _ = CALLER.try_with(|c| c.borrow_mut().take());
    check_may_block()?;
    Ok(handle()?.block_on(fut))
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
            sweep_all();
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
    // The lanes went with their sessions (all freed); their threads are counted below.
    LANE_SETS.lock().unwrap_or_else(|e| e.into_inner()).clear();
    // tokio joins a runtime's threads only when they all end before its timeout; a
    // shutdown that used up the time (or had none) while threads were alive joined none.
    let mut unjoined = false;
    if let Some(rt) = multi {
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

#[cfg(test)]
mod tests {
    use super::*;

    impl<T> Lanes<T> {
        /// How many lanes have a runtime now.
        fn made(&self) -> usize {
            self.lanes.iter().filter(|l| l.driver.lock().unwrap().is_some()).count()
        }
    }

    /// Runs `f` as a blocking call of `lanes`' session; returns the lane it ran on.
    fn call_on<T: Send + Sync + 'static>(lanes: &Arc<Lanes<T>>, f: impl FnOnce()) -> Option<usize> {
        set_caller(lanes);
        block_on(async {
            f();
            current_lane().map(|m| m.index)
        })
        .unwrap()
    }

    #[test]
    fn sequential_calls_from_any_thread_run_on_lane_0() {
        let lanes: Arc<Lanes<()>> = Lanes::new();
        assert_eq!(lanes.made(), 0, "no lane before a call");
        for _ in 0..4 {
            let l = lanes.clone();
            let lane = std::thread::spawn(move || call_on(&l, || {})).join().unwrap();
            assert_eq!(lane, Some(0));
        }
        assert_eq!(lanes.made(), 1);
    }

    #[test]
    fn calls_in_flight_at_once_take_as_many_lanes() {
        let lanes: Arc<Lanes<()>> = Lanes::new();
        let together = Arc::new(std::sync::Barrier::new(3));
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let (l, b) = (lanes.clone(), together.clone());
                std::thread::spawn(move || {
                    call_on(&l, || {
                        b.wait();
                    })
                })
            })
            .collect();
        let mut used: Vec<_> = threads.into_iter().map(|t| t.join().unwrap().unwrap()).collect();
        used.sort();
        assert_eq!(used, [0, 1, 2]);
        assert_eq!(lanes.made(), 3);
        // Then one at a time: lane 0 again.
        assert_eq!(call_on(&lanes, || {}), Some(0));
    }

    #[test]
    fn a_session_not_named_runs_on_the_multi_thread_runtime() {
        let out = block_on(async { (current_lane(), Handle::current().runtime_flavor()) }).unwrap();
        assert_eq!(out, (None, tokio::runtime::RuntimeFlavor::MultiThread));
        let lanes: Arc<Lanes<()>> = Lanes::new();
        set_caller(&lanes);
        let shared = block_on_shared(async { current_lane() }).unwrap();
        assert_eq!(shared, None);
        // The name was used up by block_on_shared: nothing left for the next call.
        assert_eq!(block_on(async { current_lane() }).unwrap(), None);
        assert_eq!(lanes.made(), 0);
    }

    #[test]
    fn idle_lanes_are_dropped_with_what_was_made_for_them() {
        let lanes: Arc<Lanes<u64>> = Lanes::new();
        let made = AtomicUsize::new(0);
        let get = |lanes: &Arc<Lanes<u64>>| {
            set_caller(lanes);
            block_on(async {
                lanes
                    .attached(|| {
                        made.fetch_add(1, Ordering::Relaxed);
                        Ok(7)
                    })
                    .unwrap()
                    .map(|a| *a)
            })
            .unwrap()
        };
        assert_eq!(get(&lanes), Some(7));
        assert_eq!(get(&lanes), Some(7));
        assert_eq!(made.load(Ordering::Relaxed), 1, "made once per lane runtime");
        // Outside a call of this session: nothing.
        assert!(lanes.attached(|| Ok(1)).unwrap().is_none());
        // A sweep soon after the call keeps the lane; one past the idle limit drops it.
        assert!(LaneSet::sweep(&*lanes, Instant::now()));
        assert_eq!(lanes.made(), 1);
        // (The janitor may hold the lane for a moment: the sweep then leaves it.)
        assert!((0..100).any(|_| !LaneSet::sweep(&*lanes, Instant::now() + LANE_IDLE_DROP)));
        assert_eq!(lanes.made(), 0);
        assert!(lanes.lanes[0].attached.lock().unwrap().is_none(), "the pool went with its lane");
        // The next call makes the lane, and its pool, again.
        assert_eq!(get(&lanes), Some(7));
        assert_eq!(made.load(Ordering::Relaxed), 2);
    }
}
