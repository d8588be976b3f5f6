//! The library's log: records with a level, the operation's name as the gateway docs
//! write it (`batchAddParticipant`, `getAgentEvent`, ...) and a one-line message.
//!
//! Records go to one process-wide sink: a host callback (set through the C API), or
//! stderr when the `CCGW_LOG` environment variable names a level, or nowhere. Messages are
//! written by this library only from values it knows to be safe: a Guid, a password or
//! call data is never formatted into a record.
//!
//! Panics: the library never writes to the host's stderr unless `CCGW_LOG` asks. Every
//! panic it raises is caught (at the C boundary, in the callback dispatcher, by the
//! runtime for its tasks), but Rust's default panic hook would still print the message and
//! a backtrace hint. [`route_panics`] installs, once, a hook that sends the text of a panic
//! raised in library code (on a thread inside a C-ABI call, or on one of the library's own
//! threads) to the log as an `Error` record of operation `panic`, and hands every other
//! panic to the hook that was installed before. Only the C boundary installs it: the
//! cdylib has its own copy of std, so the hook there sees only the library's panics. When
//! ccgw is linked as an rlib into a Rust program, the program's hook stays in charge unless
//! the program calls the C ABI; then ours is chained in front of it and passes on every
//! panic of the program's own threads. A program that sets its own hook afterwards replaces
//! ours (the library's panics then reach that hook).

use once_cell::sync::Lazy;
use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, RwLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(i32)]
pub enum Level {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Trace = 5,
}

impl Level {
    pub fn from_i32(n: i32) -> Option<Level> {
        Some(match n {
            1 => Level::Error,
            2 => Level::Warn,
            3 => Level::Info,
            4 => Level::Debug,
            5 => Level::Trace,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::Trace => "trace",
        }
    }
}

/// Receives records; must be quick and must not block on ccgw calls.
pub type Sink = Arc<dyn Fn(Level, &str, &str) + Send + Sync>;

struct Logger {
    sink: Option<Sink>,
}

/// Most verbose level that reaches the sink; 0 = off.
static MAX_LEVEL: AtomicI32 = AtomicI32::new(0);

static LOGGER: Lazy<RwLock<Logger>> = Lazy::new(|| {
    let env = std::env::var("CCGW_LOG").ok().and_then(|v| match v.to_ascii_lowercase().as_str() {
        "error" => Some(Level::Error),
        "warn" => Some(Level::Warn),
        "info" => Some(Level::Info),
        "debug" => Some(Level::Debug),
        "trace" => Some(Level::Trace),
        _ => None,
    });
    let sink: Option<Sink> = env.map(|lvl| {
        MAX_LEVEL.store(lvl as i32, Ordering::Relaxed);
        Arc::new(|level: Level, op: &str, msg: &str| eprintln!("ccgw {} {op}: {msg}", level.name())) as Sink
    });
    RwLock::new(Logger { sink })
});

thread_local! {
    /// Set while this thread runs the sink, so a sink cannot replace itself (deadlock).
    static IN_SINK: Cell<bool> = const { Cell::new(false) };
    /// Library code runs on this thread: C-ABI calls in progress (nesting depth), or
    /// `LIBRARY_THREAD` for a thread the library started.
    static IN_LIBRARY: Cell<u32> = const { Cell::new(0) };
}

const LIBRARY_THREAD: u32 = u32::MAX / 2;

/// Marks the calling thread as one the library started (for its whole life).
pub fn mark_library_thread() {
    IN_LIBRARY.with(|d| d.set(LIBRARY_THREAD));
}

/// Library code runs on this thread until the guard is dropped (a C-ABI call).
pub struct LibraryScope(());

pub fn enter_library() -> LibraryScope {
    IN_LIBRARY.with(|d| d.set(d.get().saturating_add(1)));
    LibraryScope(())
}

impl Drop for LibraryScope {
    fn drop(&mut self) {
        IN_LIBRARY.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Whether library code is running on this thread.
fn in_library() -> bool {
    IN_LIBRARY.try_with(|d| d.get() > 0).unwrap_or(false)
}

/// Installs the panic hook described in the module documentation (once per process).
pub fn route_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    if ONCE.is_completed() || std::thread::panicking() {
        return;
    }
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !in_library() {
                previous(info);
            } else if !crate::runtime::forked() {
                // (In a forked child the log's lock may be held by a thread that is gone.)
                log_panic(info);
            }
        }));
    });
}

/// Longest panic message put into a record.
const PANIC_TEXT_MAX: usize = 300;

fn log_panic(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let text = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    let mut clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(PANIC_TEXT_MAX).collect();
    if text.chars().count() > PANIC_TEXT_MAX {
        clean.push_str("...");
    }
    let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
    emit(Level::Error, "panic", format_args!("caught panic{at}: {clean}"));
}

/// Whether this thread is inside the log sink right now.
pub fn in_sink() -> bool {
    IN_SINK.with(|f| f.get())
}

pub fn enabled(level: Level) -> bool {
    Lazy::force(&LOGGER);
    (level as i32) <= MAX_LEVEL.load(Ordering::Relaxed)
}

/// Installs `sink` for records up to `max` (None: logging off). Returns the sink it
/// replaced, after any call into it on another thread has returned.
pub fn set_sink(max: Option<Level>, sink: Option<Sink>) -> Option<Sink> {
    let mut guard = LOGGER.write().unwrap_or_else(|e| e.into_inner());
    let old = std::mem::replace(&mut guard.sink, sink);
    let level = if guard.sink.is_some() { max.map_or(0, |l| l as i32) } else { 0 };
    MAX_LEVEL.store(level, Ordering::Relaxed);
    old
}

/// Emits one record. Prefer the `log!` macro, which skips formatting when disabled.
pub fn emit(level: Level, operation: &str, args: fmt::Arguments<'_>) {
    if !enabled(level) || in_sink() {
        return;
    }
    let guard = LOGGER.read().unwrap_or_else(|e| e.into_inner());
    if let Some(sink) = &guard.sink {
        // Records quote network text only through `error::sanitize`; this backstop keeps
        // every record one bounded line whatever a caller formatted.
        let msg = args.to_string();
        let msg = crate::error::sanitized(&msg, crate::error::MESSAGE_MAX);
        let operation = crate::error::sanitized(operation, 64);
        IN_SINK.with(|f| f.set(true));
        // A panicking sink must not unwind through the library.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sink(level, &operation, &msg)));
        IN_SINK.with(|f| f.set(false));
    }
}

macro_rules! log {
    ($level:ident, $op:expr, $($arg:tt)*) => {
        if $crate::log::enabled($crate::log::Level::$level) {
            $crate::log::emit($crate::log::Level::$level, $op, format_args!($($arg)*));
        }
    };
}
pub(crate) use log;
