//! The core error: a status code (see [`crate::status`]) with its detail.

use crate::status::*;
use std::fmt;

/// Why a ccgw operation failed. `message` is one line, safe to log: it never contains a
/// Guid, a password or call data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub status: ccgw_status,
    pub message: String,
    /// The gateway's `retcode`, when the gateway refused the request.
    pub retcode: Option<String>,
    /// The HTTP status of the answer, when there was one.
    pub http_status: u16,
}

impl Error {
    pub fn new(status: ccgw_status, message: impl Into<String>) -> Error {
        Error { status, message: message.into(), retcode: None, http_status: 0 }
    }

    /// A refusal carried in the gateway's `retcode`.
    pub fn gateway(operation: &str, retcode: &str, gateway_message: &str, http_status: u16) -> Error {
        let status = from_retcode(retcode);
        let mut message = match KNOWN_RETCODES.iter().find(|k| k.status == status) {
            Some(k) => format!("{operation}: {}", k.text.trim_end_matches('\0')),
            None => format!("{operation}: the gateway refused the request with retcode {retcode}"),
        };
        let gm = gateway_message.trim();
        if !gm.is_empty() {
            // The gateway's own words, cut to one reasonable line.
            let gm: String = gm.chars().filter(|c| !c.is_control()).take(200).collect();
            message.push_str(&format!(" (gateway says: {gm})"));
        }
        Error { status, message, retcode: Some(retcode.to_string()), http_status }
    }

    pub fn with_http_status(mut self, http_status: u16) -> Error {
        self.http_status = http_status;
        self
    }

    /// Prefixes the message with the operation's name as the gateway docs write it.
    pub fn in_operation(mut self, operation: &str) -> Error {
        if !self.message.starts_with(operation) {
            self.message = format!("{operation}: {}", self.message);
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shorthands for argument errors.
pub fn missing(what: &str) -> Error {
    Error::new(CCGW_E_MISSING_ARGUMENT, format!("{what} is mandatory and must not be empty"))
}

pub fn invalid(msg: impl Into<String>) -> Error {
    Error::new(CCGW_E_INVALID_ARGUMENT, msg)
}
