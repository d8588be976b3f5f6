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
    /// The call failed after a 2xx answer that carried a usable `Set-GUID`: the gateway
    /// may have carried the request out (the message says so).
    pub gateway_may_have_acted: bool,
    /// The CTI-platform result code of a gateway refusal whose `message` reads
    /// `Unknown ERROR._<digits>` (reference §1: the gateway passing a CTI code through);
    /// 0 when there is none. See [`cti_code`].
    pub cti_code: i64,
}

impl Error {
    pub fn new(status: ccgw_status, message: impl Into<String>) -> Error {
        Error {
            status,
            message: message.into(),
            retcode: None,
            http_status: 0,
            gateway_may_have_acted: false,
            cti_code: 0,
        }
    }

    /// A refusal carried in the gateway's `retcode`. `gateway_message` must already have
    /// the words it echoes from the request redacted ([`crate::transport::redact_echo`]):
    /// the CTI code is read from it, so a number the request carried is never taken for one.
    pub fn gateway(operation: &str, retcode: &str, gateway_message: &str, http_status: u16) -> Error {
        let status = from_retcode(retcode);
        let mut message = match KNOWN_RETCODES.iter().find(|k| k.status == status) {
            Some(k) => format!("{operation}: {}", k.text.trim_end_matches('\0')),
            None => format!("{operation}: the gateway refused the request with retcode {retcode}"),
        };
        let gm = gateway_message.trim();
        if !gm.is_empty() {
            // The gateway's own words, cut to one reasonable line.
            message.push_str(&format!(" (gateway says: {})", sanitize(gm, NETWORK_TEXT_MAX)));
        }
        Error {
            status,
            message,
            retcode: Some(retcode.to_string()),
            http_status,
            gateway_may_have_acted: false,
            cti_code: cti_code(gateway_message),
        }
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

/// Longest CTI code read, in digits (the value stays well inside `i64`).
const CTI_CODE_MAX_DIGITS: usize = 12;

/// The CTI-platform code inside a gateway message of the shape `Unknown ERROR._<digits>`
/// (reference §1: the digits are a CTI result code, from the CTI platform's own table):
/// the first such marker, matched without regard to case, its 1 to 12 ASCII digits
/// (more digits, or none: no code). 0 when there is none, or the code is 0.
pub fn cti_code(message: &str) -> i64 {
    const MARKER: &str = "unknown error._";
    let lower = message.to_ascii_lowercase();
    let Some(at) = lower.find(MARKER) else { return 0 };
    let rest = &message.as_bytes()[at + MARKER.len()..];
    let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > CTI_CODE_MAX_DIGITS {
        return 0;
    }
    std::str::from_utf8(&rest[..n]).ok().and_then(|d| d.parse().ok()).unwrap_or(0)
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shorthands for argument errors.
pub fn missing(what: &str) -> Error {
    Error::new(CCGW_E_MISSING_ARGUMENT, format!("{what} is mandatory and must not be empty"))
}

pub fn invalid(msg: impl Into<String>) -> Error {
    Error::new(CCGW_E_INVALID_ARGUMENT, msg)
}

/// Longest piece of network text (a gateway `message`, a content type, a TLS or I/O error
/// text) quoted in a message or a log record, in characters.
pub const NETWORK_TEXT_MAX: usize = 200;

/// Longest message or log record the library produces, in characters (a backstop: the
/// pieces are bounded already).
pub const MESSAGE_MAX: usize = 1024;

/// Whether `c` may not appear in a message or a log record: control characters (C0, DEL,
/// C1), line and paragraph separators, and the bidirectional controls that reorder text
/// on display (so a quoted text cannot forge a line or disguise itself).
fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Text that came from the network (or anywhere untrusted), fit for a message or a log
/// record: every unsafe character (see above) replaced by U+FFFD, and at most `max_chars`
/// characters long, a cut marked with a final `…`. The one helper every such text goes
/// through.
pub fn sanitize(text: &str, max_chars: usize) -> String {
    let cut = text.chars().nth(max_chars).is_some();
    let keep = if cut { max_chars.saturating_sub(1) } else { max_chars };
    let mut out: String = text.chars().take(keep).map(|c| if is_unsafe_char(c) { '\u{fffd}' } else { c }).collect();
    if cut {
        out.push('…');
    }
    out
}

/// `text` itself when it is already safe and short enough, else [`sanitize`]d.
pub fn sanitized(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    let clean = !text.chars().any(is_unsafe_char);
    if clean && (text.len() <= max_chars || text.chars().count() <= max_chars) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(sanitize(text, max_chars))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_text_is_one_bounded_line() {
        assert_eq!(
            sanitize("a\r\nb\tc\u{0}d\u{7f}e\u{85}f", 100),
            "a\u{fffd}\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}e\u{fffd}f"
        );
        assert_eq!(sanitize("x\u{2028}y\u{202e}z\u{2066}", 100), "x\u{fffd}y\u{fffd}z\u{fffd}");
        assert_eq!(sanitize(&"é".repeat(300), 200), format!("{}…", "é".repeat(199)));
        assert_eq!(sanitize(&"é".repeat(200), 200), "é".repeat(200));
        assert_eq!(sanitize("plain text, 中文", 200), "plain text, 中文");
        assert!(matches!(sanitized("fine", 200), std::borrow::Cow::Borrowed("fine")));
        assert_eq!(sanitized("a\nb", 200), "a\u{fffd}b");
        assert_eq!(sanitized(&"x".repeat(10), 5), "xxxx…");
    }

    #[test]
    fn cti_codes_are_read_from_unknown_error_messages() {
        assert_eq!(cti_code("Unknown ERROR._10001"), 10001);
        assert_eq!(cti_code("conf failed: unknown error._2 (x)"), 2);
        assert_eq!(cti_code("Unknown ERROR._"), 0);
        assert_eq!(cti_code("Unknown ERROR._…"), 0);
        assert_eq!(cti_code("Unknown ERROR._1234567890123"), 0);
        assert_eq!(cti_code("Unknown ERROR._123456789012"), 123_456_789_012);
        assert_eq!(cti_code("no such call"), 0);
        assert_eq!(cti_code("Unknown ERROR.10001"), 0);
        let e = Error::gateway("confJoin", "100-007", "Unknown ERROR._10001", 200);
        assert_eq!(e.cti_code, 10001);
        assert_eq!(Error::new(CCGW_E_TLS, "x").cti_code, 0);
    }

    #[test]
    fn gateway_messages_are_sanitized() {
        let e = Error::gateway("confJoin", "100-007", &format!("a\r\nFORGED {}", "y".repeat(10_000)), 200);
        assert!(!e.message.contains('\n') && !e.message.contains('\r'), "{}", e.message);
        assert!(e.message.chars().count() < 400, "{}", e.message.len());
    }
}
