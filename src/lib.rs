//! ccgw: a client library for the Huawei CC-Gateway (AgentGateway) agent REST interface,
//! with a C ABI (`include/ccgw.h`) for C/C++ CTI applications and FFI users.
//!
//! Layout (see ARCHITECTURE.md): [`ffi`] is the C boundary; below it the core is plain
//! safe Rust: [`transport`] (HTTPS, timeouts, Set-GUID; TLS trust in [`tls`], answer
//! [`charset`]s, the session's [`cookies`], the fail-over policy in [`failover`]), [`session`] (sign-in, the
//! Guid, the generic exchange), one module per interface family ([`agentconf`],
//! [`voicecall`], [`calldata`], [`onlineagent`]) with their wire types ([`wire`]), events
//! ([`events`], [`typed_events`]), the live conference view ([`confview`]) and invite
//! trackers ([`invites`]), the resynchronisation snapshot ([`resync`]), [`status`] and
//! [`error`], [`log`], and the process-wide [`runtime`].
//! Everything that differs by operating system (signals, fork, staying loaded) is in one
//! private module, `platform`, below all of them.

pub mod agentconf;
pub mod calldata;
pub mod charset;
pub mod confview;
pub mod cookies;
pub mod dispatch;
pub mod error;
pub mod events;
pub mod failover;
pub mod ffi;
pub mod invites;
pub mod limits;
pub mod log;
pub mod onlineagent;
mod platform;
pub mod resync;
pub mod runtime;
pub mod session;
pub mod status;
pub mod tls;
pub mod transport;
pub mod typed_events;
pub mod voicecall;
pub mod wire;

pub use error::{Error, Result};
pub use session::{AuthMode, CallOptions, Session, SessionConfig, SignInRequest, SignInResult};
