//! The callback dispatcher: every session's event callback runs on one small, bounded,
//! process-wide pool of threads instead of a thread per session.
//!
//! * **A slot per session** ([`Slot`]): the registered callback, and whether the session
//!   is idle, queued for a pool thread, or being run by one. The session's queue wakes its
//!   slot when it gets an event ([`Slot::notify`]); an idle slot with a callback is then
//!   queued on the pool, and an idle pool thread wakes at once (a condition variable, no
//!   polling). Only one thread runs a slot at a time, and it takes the session's events in
//!   queue order, so each session's events are delivered in order and never two callbacks
//!   of one session at once. A thread hands a slot back to the end of the pool's queue
//!   after [`BATCH`] events, so one busy session cannot starve the others.
//! * **The pool**: `threads` threads (default [`DEFAULT_THREADS`]) started as work
//!   arrives, never before, and ended once no callback is registered in the process
//!   ([`REGISTERED`]; the watchdog too). Callbacks may block (a blocking ccgw call, the host's own
//!   locks), so a pool whose every thread is blocked could leave events waiting for ever,
//!   or deadlock when what blocks them is released only by another session's callback.
//!   A **watchdog** thread (started the first time every pool thread is busy with work
//!   waiting) adds a thread when every pool thread has been inside one callback for
//!   `stall` (default [`DEFAULT_STALL`]) while work waits, one per `stall`, up to
//!   `max_threads` (default [`DEFAULT_MAX_THREADS`]); threads above `threads` end after
//!   `idle` (default [`DEFAULT_IDLE`]) without work. The watchdog sleeps without a timeout
//!   while the pool keeps up.
//! * **Unregistering** waits for a running callback to return and then drops it on the
//!   unregistering thread (its userdata release); from inside the callback itself it takes
//!   effect when the callback returns, and the callback is dropped on the pool thread.
//! * Pool threads run host code, so SIGPIPE is left alone on them (unlike the runtime's
//!   threads); a panic in a callback's glue is caught and logged, and the thread goes on.
//! * [`shutdown`] (from `ccgw_global_shutdown`, once every session is freed) stops and
//!   joins the pool's threads; the next event for a callback starts it again.

use crate::events::{Callback, Event, Queue};
use crate::log::log;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{JoinHandle, ThreadId};
use std::time::{Duration, Instant};

/// Default pool size. Callbacks are meant to hand events on quickly; a thread is needed
/// for each callback that blocks at the same moment (a ccgw call inside a callback waits
/// for the gateway, a few ms to a request timeout). Four lets that many sessions' callbacks
/// wait on the gateway at once without delaying the others, costs four threads for any
/// number of sessions, and exceeds the cores CTI hosts give a client process; the
/// watchdog covers the rare moment when all four block for long.
pub(crate) const DEFAULT_THREADS: usize = 4;
/// Default hard cap on pool threads, the watchdog's included.
pub(crate) const DEFAULT_MAX_THREADS: usize = 64;
/// Default time every pool thread must have spent in its current callback, with work
/// waiting, before the watchdog adds a thread: long against a callback that hands an
/// event on (microseconds) or makes one ccgw call on a LAN (milliseconds), short against
/// the gateway's 2-minute keep-alive and a person's patience.
pub(crate) const DEFAULT_STALL: Duration = Duration::from_millis(100);
/// Default time a thread above `threads` stays without work before it ends.
pub(crate) const DEFAULT_IDLE: Duration = Duration::from_secs(10);
/// Events a pool thread delivers for one session before it serves the next session.
pub(crate) const BATCH: usize = 32;

/// Callbacks registered in the process. When it falls to zero the pool's idle threads (and
/// the watchdog) end, so a host that has unregistered every callback (freed every session)
/// is left with no callback thread, as with a thread per session before: a runtime that
/// waits at exit for the native threads that once ran its code (Mono does) is not kept
/// waiting by idle pool threads. The next event for a callback starts them again.
static REGISTERED: AtomicUsize = AtomicUsize::new(0);

/// The pool's settings (process-wide; [`configure`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DispatchOptions {
    /// Threads kept (started as work arrives).
    pub threads: usize,
    /// Hard cap on threads, those the watchdog adds included; at least `threads`.
    pub max_threads: usize,
    /// How long every thread must have been inside its current callback, with work
    /// waiting, before the watchdog adds one.
    pub stall: Duration,
    /// How long a thread above `threads` waits for work before it ends.
    pub idle: Duration,
}

impl Default for DispatchOptions {
    fn default() -> Self {
        DispatchOptions {
            threads: DEFAULT_THREADS,
            max_threads: DEFAULT_MAX_THREADS,
            stall: DEFAULT_STALL,
            idle: DEFAULT_IDLE,
        }
    }
}

/// What the pool is doing, for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Pool threads alive (not counting the watchdog).
    pub threads: usize,
    /// Of them, waiting for work.
    pub idle: usize,
    /// Sessions waiting for a thread.
    pub waiting: usize,
    /// Threads the watchdog added since the pool (re)started.
    pub added: u64,
    /// Threads above `threads` that ended after `idle` without work.
    pub retired: u64,
    /// Whether the watchdog thread runs.
    pub watchdog: bool,
}

// ---- a session's slot ----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Not queued and not running: the next event (or registration) queues it.
    Idle,
    /// In the pool's queue.
    Queued,
    /// A pool thread is delivering its events.
    Running,
}

struct SlotState {
    phase: Phase,
    /// The registered callback with its generation, while no thread is inside it.
    callback: Option<(u64, Callback)>,
    /// Generation of the registered callback (0: none registered).
    current: u64,
    /// Last generation handed out.
    generations: u64,
    /// The thread inside the callback now, if any.
    in_callback: Option<ThreadId>,
    /// Threads waiting for the callback to return (unregistering it).
    waiters: usize,
    /// Callbacks replaced while a thread was inside them, handed back to a waiter to drop.
    retired: Vec<Callback>,
}

/// A session's dispatch state: its callback and its place in the pool.
pub struct Slot {
    queue: Arc<Queue>,
    state: Mutex<SlotState>,
    /// Signalled when a callback returns while someone waits for it.
    returned: Condvar,
}

impl Slot {
    pub fn new(queue: Arc<Queue>) -> Slot {
        Slot {
            queue,
            state: Mutex::new(SlotState {
                phase: Phase::Idle,
                callback: None,
                current: 0,
                generations: 0,
                in_callback: None,
                waiters: 0,
                retired: Vec::new(),
            }),
            returned: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, SlotState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The session's queue got an event (or a loss report): queues the slot on the pool
    /// when it has a callback and is idle. Cheap when no callback is registered.
    pub fn notify(self: &Arc<Self>) {
        let mut st = self.lock();
        if st.phase == Phase::Idle && st.current != 0 {
            st.phase = Phase::Queued;
            drop(st);
            submit(self.clone());
        }
    }

    /// Registers `callback` (replacing any other) or, with `None`, unregisters. Waits for a
    /// callback running on another thread to return and drops it here; from inside the
    /// callback itself, the old one is dropped by its pool thread when it returns. A new
    /// callback gets the events already queued.
    pub fn set(self: &Arc<Self>, callback: Option<Callback>) {
        let me = std::thread::current().id();
        let mut old: Vec<Callback> = Vec::new();
        let mut st = self.lock();
        let was_registered = st.current != 0;
        if !was_registered && callback.is_some() {
            REGISTERED.fetch_add(1, Ordering::SeqCst);
        }
        // Whatever was registered is no longer: a thread inside it drops it (or hands it
        // back) when it returns.
        st.current = 0;
        loop {
            old.extend(st.callback.take().map(|(_, cb)| cb));
            old.append(&mut st.retired);
            match st.in_callback {
                Some(t) if t != me => {
                    st.waiters += 1;
                    st = self.returned.wait(st).unwrap_or_else(|e| e.into_inner());
                    st.waiters -= 1;
                }
                _ => break,
            }
        }
        if let Some(cb) = callback {
            st.generations += 1;
            let generation = st.generations;
            st.current = generation;
            st.callback = Some((generation, cb));
            if st.phase == Phase::Idle && self.queue.has_pending() {
                st.phase = Phase::Queued;
                drop(st);
                submit(self.clone());
            }
        } else {
            drop(st);
            if was_registered && REGISTERED.fetch_sub(1, Ordering::SeqCst) == 1 {
                // The last callback is gone: idle pool threads and the watchdog end. Told
                // under the pool's lock, which they check the count under.
                let _p = pool();
                POOL.work.notify_all();
                POOL.watch.notify_all();
            }
        }
        // The userdata releases run here, outside every lock.
        for cb in old {
            drop_callback(cb);
        }
    }

    /// Whether a callback is registered.
    pub fn registered(&self) -> bool {
        self.lock().current != 0
    }

    /// Delivers this queued slot's events on the calling pool thread: up to [`BATCH`], then
    /// back to the end of the pool's queue if more wait.
    fn run(self: &Arc<Self>, busy: &AtomicU64) {
        let me = std::thread::current().id();
        let mut st = self.lock();
        if st.phase != Phase::Queued {
            return;
        }
        st.phase = Phase::Running;
        let mut delivered = 0;
        loop {
            if st.callback.is_none() {
                st.phase = Phase::Idle;
                return;
            }
            if delivered == BATCH {
                st.phase = Phase::Queued;
                drop(st);
                submit(self.clone());
                return;
            }
            // Taken under the slot's lock: an event pushed after this finds the slot idle
            // (its notify waits for the lock) and queues it again.
            let Some(event) = self.queue.try_take() else {
                st.phase = Phase::Idle;
                return;
            };
            let (generation, mut callback) = st.callback.take().expect("checked above");
            st.in_callback = Some(me);
            drop(st);
            busy.store(since_epoch(), Ordering::SeqCst);
            deliver(&mut callback, &event);
            busy.store(0, Ordering::SeqCst);
            drop(event);
            delivered += 1;
            st = self.lock();
            st.in_callback = None;
            let mut stale = None;
            if st.current == generation {
                st.callback = Some((generation, callback));
            } else if st.waiters > 0 {
                // Replaced or unregistered from another thread, which waits to drop it.
                st.retired.push(callback);
            } else {
                // Replaced or unregistered from inside the callback: dropped here.
                stale = Some(callback);
            }
            if st.waiters > 0 {
                self.returned.notify_all();
            }
            if let Some(cb) = stale {
                drop(st);
                drop_callback(cb);
                st = self.lock();
            }
        }
    }
}

/// Runs the callback; a panic in its glue must not end the pool thread (its text goes to
/// the log: `log::route_panics`).
fn deliver(callback: &mut Callback, event: &Event) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| callback(event)));
}

/// Drops a callback (its userdata release runs), catching a panic in it.
fn drop_callback(cb: Callback) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(cb)));
}

// ---- the pool ----

/// A pool thread's mark: since when it has been inside its current callback
/// ([`since_epoch`]; 0: not inside one).
struct Worker {
    busy: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
    id: u64,
}

struct PoolState {
    options: DispatchOptions,
    /// Slots waiting for a thread.
    ready: VecDeque<Arc<Slot>>,
    workers: Vec<Worker>,
    /// Workers waiting for work that no submission has claimed yet.
    idle: usize,
    /// Wake-ups claimed by submissions and not yet taken by a waking worker (so a second
    /// submission never counts on a worker that the first one already woke).
    claimed: usize,
    /// Threads of the pool (workers and watchdog) that have not yet run their last code.
    alive: usize,
    next_id: u64,
    watchdog: Option<JoinHandle<()>>,
    /// The watchdog waits without a timeout (it must be woken when the pool saturates).
    watchdog_asleep: bool,
    /// Threads that ended on their own (shrinking), to be joined.
    ended: Vec<JoinHandle<()>>,
    stopping: bool,
    added: u64,
    retired: u64,
    /// The watchdog said the cap was reached (said once until the pool catches up).
    at_cap_said: bool,
}

impl PoolState {
    /// Takes worker `id` off the list as its thread ends; its handle is kept to be joined
    /// by whoever starts the next thread or stops the pool.
    fn leave(&mut self, id: u64) {
        if let Some(i) = self.workers.iter().position(|w| w.id == id) {
            let w = self.workers.swap_remove(i);
            self.ended.extend(w.thread);
        }
    }
}

struct Pool {
    state: Mutex<PoolState>,
    /// Idle workers wait here.
    work: Condvar,
    /// The watchdog waits here.
    watch: Condvar,
    /// Signalled as each pool thread ends (shutdown waits on it).
    ended: Condvar,
}

static POOL: Pool = Pool {
    state: Mutex::new(PoolState {
        options: DispatchOptions {
            threads: DEFAULT_THREADS,
            max_threads: DEFAULT_MAX_THREADS,
            stall: DEFAULT_STALL,
            idle: DEFAULT_IDLE,
        },
        ready: VecDeque::new(),
        workers: Vec::new(),
        idle: 0,
        claimed: 0,
        alive: 0,
        next_id: 0,
        watchdog: None,
        watchdog_asleep: false,
        ended: Vec::new(),
        stopping: false,
        added: 0,
        retired: 0,
        at_cap_said: false,
    }),
    work: Condvar::new(),
    watch: Condvar::new(),
    ended: Condvar::new(),
};

fn pool() -> MutexGuard<'static, PoolState> {
    POOL.state.lock().unwrap_or_else(|e| e.into_inner())
}

/// Nanoseconds since the pool's epoch (never 0).
fn since_epoch() -> u64 {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let epoch = *EPOCH.get_or_init(Instant::now);
    (epoch.elapsed().as_nanos() as u64).max(1)
}

/// Sets the pool's options; they apply at once: a larger `threads` lets the pool grow as
/// work arrives, a smaller one lets the threads above it end after `idle` without work.
pub fn configure(options: DispatchOptions) {
    let mut p = pool();
    p.options = options;
    drop(p);
    POOL.work.notify_all();
    POOL.watch.notify_all();
}

/// The pool's options now.
pub fn options() -> DispatchOptions {
    pool().options
}

/// What the pool is doing now.
pub fn stats() -> Stats {
    let p = pool();
    Stats {
        threads: p.workers.len(),
        idle: p.idle,
        waiting: p.ready.len(),
        added: p.added,
        retired: p.retired,
        watchdog: p.watchdog.is_some(),
    }
}

/// Queues a slot for a pool thread: wakes an idle one, or starts one while fewer than
/// `threads` run; when every thread is busy, the watchdog is told.
fn submit(slot: Arc<Slot>) {
    let mut p = pool();
    p.ready.push_back(slot);
    if p.idle > 0 {
        p.idle -= 1;
        p.claimed += 1;
        drop(p);
        POOL.work.notify_one();
        return;
    }
    if p.workers.len() < p.options.threads && !p.stopping && spawn_worker(&mut p) {
        return;
    }
    // Every thread is busy: the watchdog looks after it.
    if p.watchdog.is_none() && !p.stopping {
        spawn_watchdog(&mut p);
    } else if p.watchdog_asleep {
        p.watchdog_asleep = false;
        drop(p);
        POOL.watch.notify_one();
    }
}

/// Lives in each pool thread's thread-local storage: dropped as the thread exits, after
/// its last library code; counts the thread out for [`shutdown`].
struct Alive;

impl Drop for Alive {
    fn drop(&mut self) {
        let mut p = pool();
        p.alive = p.alive.saturating_sub(1);
        drop(p);
        POOL.ended.notify_all();
    }
}

std::thread_local! {
    static ALIVE: std::cell::RefCell<Option<Alive>> = const { std::cell::RefCell::new(None) };
}

/// Start of every pool thread. SIGPIPE is left alone (host code runs here); panics go to
/// the log.
fn pool_thread_start() {
    crate::log::mark_library_thread();
    ALIVE.with(|a| *a.borrow_mut() = Some(Alive));
}

/// Starts a worker; false when the operating system refused (logged; the threads already
/// running serve the work).
fn spawn_worker(p: &mut PoolState) -> bool {
    crate::runtime::claim_process();
    p.ended.retain(|h| !h.is_finished());
    let busy = Arc::new(AtomicU64::new(0));
    let id = p.next_id;
    p.next_id += 1;
    let mark = busy.clone();
    p.alive += 1;
    let spawned = std::thread::Builder::new().name("ccgw-dispatch".into()).spawn(move || {
        pool_thread_start();
        worker(id, &mark);
    });
    match spawned {
        Ok(h) => {
            p.workers.push(Worker { busy, thread: Some(h), id });
            true
        }
        Err(e) => {
            p.alive -= 1;
            log!(Error, "events", "cannot start a callback thread: {e}");
            false
        }
    }
}

fn spawn_watchdog(p: &mut PoolState) {
    crate::runtime::claim_process();
    p.alive += 1;
    match std::thread::Builder::new().name("ccgw-watchdog".into()).spawn(|| {
        pool_thread_start();
        watchdog();
    }) {
        Ok(h) => p.watchdog = Some(h),
        Err(e) => {
            p.alive -= 1;
            log!(Error, "events", "cannot start the callback watchdog: {e}");
        }
    }
}

/// A pool thread: runs queued slots; above `threads`, ends after `idle` without work.
fn worker(id: u64, busy: &AtomicU64) {
    loop {
        let mut p = pool();
        let slot = loop {
            if p.stopping {
                return;
            }
            if let Some(s) = p.ready.pop_front() {
                break s;
            }
            if REGISTERED.load(Ordering::SeqCst) == 0 {
                // No callback left in the process: this thread ends (joined later).
                p.leave(id);
                return;
            }
            let extra = p.workers.len() > p.options.threads;
            p.idle += 1;
            if extra {
                let idle = p.options.idle;
                let (q, timeout) = POOL.work.wait_timeout(p, idle).unwrap_or_else(|e| e.into_inner());
                p = q;
                let claimed = woke(&mut p);
                if !claimed && timeout.timed_out() && p.ready.is_empty() && p.workers.len() > p.options.threads {
                    // Shrink back: this thread ends (joined later by whoever starts the
                    // next thread or stops the pool).
                    p.leave(id);
                    p.retired += 1;
                    log!(Debug, "events", "callback thread ended after idling (now {})", p.workers.len());
                    return;
                }
            } else {
                p = POOL.work.wait(p).unwrap_or_else(|e| e.into_inner());
                woke(&mut p);
            }
        };
        drop(p);
        slot.run(busy);
    }
}

/// Accounts for a worker waking from its wait: it takes a claimed wake-up if there is one
/// (whichever waiter the notification reached), else it leaves the idle count. True when
/// it took a claim.
fn woke(p: &mut PoolState) -> bool {
    if p.claimed > 0 {
        p.claimed -= 1;
        true
    } else {
        p.idle -= 1;
        false
    }
}

/// The watchdog: asleep while the pool keeps up; while every thread is busy with work
/// waiting, checks every `stall` whether each thread has been inside its current callback
/// that long, and adds a thread if so (up to `max_threads`).
fn watchdog() {
    let mut p = pool();
    loop {
        if p.stopping {
            return;
        }
        let saturated = !p.ready.is_empty() && p.idle == 0 && !p.workers.is_empty();
        if !saturated && REGISTERED.load(Ordering::SeqCst) == 0 {
            // No callback left: the watchdog ends too (started again when needed).
            if let Some(h) = p.watchdog.take() {
                p.ended.push(h);
            }
            p.watchdog_asleep = false;
            return;
        }
        if !saturated {
            p.at_cap_said = false;
            p.watchdog_asleep = true;
            p = POOL.watch.wait(p).unwrap_or_else(|e| e.into_inner());
            p.watchdog_asleep = false;
            continue;
        }
        let stall = p.options.stall;
        let now = since_epoch();
        // The shortest time any thread has been inside its current callback (zero for a
        // thread between callbacks: it is not stuck).
        let shortest = p
            .workers
            .iter()
            .map(|w| match w.busy.load(Ordering::SeqCst) {
                0 => Duration::ZERO,
                t => Duration::from_nanos(now.saturating_sub(t)),
            })
            .min()
            .unwrap_or(Duration::ZERO);
        let mut next = stall.saturating_sub(shortest).max(Duration::from_millis(1));
        if shortest >= stall {
            if p.workers.len() < p.options.max_threads.max(p.options.threads) {
                if spawn_worker(&mut p) {
                    p.added += 1;
                    log!(
                        Warn,
                        "events",
                        "every callback thread has been inside a callback for {} ms or more with {} session(s) \
                         waiting: added a thread (now {}, at most {})",
                        stall.as_millis(),
                        p.ready.len(),
                        p.workers.len(),
                        p.options.max_threads
                    );
                }
            } else if !p.at_cap_said {
                p.at_cap_said = true;
                log!(
                    Error,
                    "events",
                    "every callback thread ({}, the most allowed) has been inside a callback for {} ms or more with \
                     {} session(s) waiting: their events wait until a callback returns",
                    p.workers.len(),
                    stall.as_millis(),
                    p.ready.len()
                );
            }
            next = stall;
        }
        p = POOL.watch.wait_timeout(p, next).unwrap_or_else(|e| e.into_inner()).0;
    }
}

/// Stops the pool's threads (every callback must have been unregistered: they are idle)
/// and joins them; waits until `deadline`. Returns how many have not ended by then (they
/// were told to stop; a later call waits for them again). The next registration starts
/// the pool again.
pub fn shutdown(deadline: Instant) -> usize {
    let mut p = pool();
    if p.alive == 0 && p.workers.is_empty() && p.watchdog.is_none() && p.ended.is_empty() {
        return 0;
    }
    p.stopping = true;
    POOL.work.notify_all();
    POOL.watch.notify_all();
    while p.alive > 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return p.alive;
        }
        p = POOL.ended.wait_timeout(p, left).unwrap_or_else(|e| e.into_inner()).0;
    }
    // Every thread has run its last code: joining returns at once.
    let mut handles: Vec<JoinHandle<()>> = p.workers.drain(..).filter_map(|w| w.thread).collect();
    handles.extend(p.watchdog.take());
    handles.append(&mut p.ended);
    p.ready.clear();
    p.idle = 0;
    p.claimed = 0;
    p.stopping = false;
    p.added = 0;
    p.retired = 0;
    p.watchdog_asleep = false;
    p.at_cap_said = false;
    drop(p);
    for h in handles {
        let _ = h.join();
    }
    0
}
