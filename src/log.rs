//! The library's log: records with a level, the operation's name as the gateway docs
//! write it (`batchAddParticipant`, `getAgentEvent`, ...) and a one-line message.
//!
//! Records go to one process-wide sink: a host callback (set through the C API), or
//! stderr when the `CCGW_LOG` environment variable names a level, or nowhere. Messages are
//! written by this library only from values it knows to be safe: a Guid, a password or
//! call data is never formatted into a record.

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
