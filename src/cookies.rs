//! The session's cookies (RFC 6265): what load balancers in front of gateways use to keep
//! an agent on one gateway node (Huawei cloud ELB `huaweielbsession`, HAProxy `SERVERID`,
//! AWS `AWSALB`, F5 `BIGipServer…`). One store per session, shared by every connection
//! pool of the session (each lane's and the event pump's), never by two sessions; emptied
//! on sign-out and close. Storage, scoping (domain, path, `Secure`, expiry) and matching are
//! the `cookie_store` crate's.
//!
//! No public-suffix list is loaded (it would have to be shipped and kept current): a
//! `Domain` attribute naming a public suffix is accepted for the gateway's own host only,
//! and a session talks to its gateway's hosts alone, so nothing leaks further.
//!
//! Cookie values are secrets as far as logs go: records say how many cookies a session
//! holds and their names at most, never a value. An answer cannot make the store grow
//! without bound: at most [`MAX_COOKIES`] cookies (counted as the store keys them: name,
//! domain and path) of at most [`MAX_COOKIE_BYTES`] each (the minimum RFC 6265 §6.1 asks
//! user agents to support), and a request carries at most [`MAX_COOKIE_HEADER_BYTES`] of
//! them.

use crate::log::log;
use reqwest::header::{HeaderMap, HeaderValue, SET_COOKIE};
use reqwest::Url;
use std::sync::Mutex;

/// Cookies a session keeps at most; further ones are ignored (and logged).
pub(crate) const MAX_COOKIES: usize = 50;
/// Largest cookie kept, name + value + attributes, in bytes.
pub(crate) const MAX_COOKIE_BYTES: usize = 4096;
/// Largest `Cookie` header sent, in bytes (front ends refuse larger request heads with 400
/// or 431); the cookies that do not fit are left out of that request.
pub(crate) const MAX_COOKIE_HEADER_BYTES: usize = 8192;

/// A session's cookie store; disabled stores keep and send nothing.
pub struct Cookies {
    store: Option<Mutex<cookie_store::CookieStore>>,
}

impl Cookies {
    pub fn new(enabled: bool) -> Cookies {
        Cookies { store: enabled.then(|| Mutex::new(cookie_store::CookieStore::new())) }
    }

    fn lock(&self) -> Option<std::sync::MutexGuard<'_, cookie_store::CookieStore>> {
        self.store.as_ref().map(|m| m.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The `Cookie` header for a request to `url`, marked sensitive; None when no cookie
    /// applies.
    pub fn header_for(&self, url: &Url) -> Option<HeaderValue> {
        let store = self.lock()?;
        let mut text = String::new();
        for (n, v) in store.get_request_values(url) {
            let sep = if text.is_empty() { 0 } else { 2 };
            if text.len() + sep + n.len() + 1 + v.len() > MAX_COOKIE_HEADER_BYTES {
                continue;
            }
            if sep > 0 {
                text.push_str("; ");
            }
            text.push_str(n);
            text.push('=');
            text.push_str(v);
        }
        if text.is_empty() {
            return None;
        }
        let mut value = HeaderValue::from_str(&text).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Takes the `Set-Cookie` headers of an answer to a request for `url`.
    pub fn take_from(&self, headers: &HeaderMap, url: &Url, op: &str) {
        let Some(mut store) = self.lock() else { return };
        for value in headers.get_all(SET_COOKIE) {
            if value.len() > MAX_COOKIE_BYTES {
                log!(Debug, op, "ignored a Set-Cookie header of {} bytes (limit {MAX_COOKIE_BYTES})", value.len());
                continue;
            }
            let Ok(text) = value.to_str() else {
                log!(Debug, op, "ignored a Set-Cookie header that is not printable ASCII");
                continue;
            };
            // At the bound, a cookie may still replace or delete one held (same name, domain
            // and path); one that would make a new entry is undone.
            let before = (store.iter_any().count() >= MAX_COOKIES).then(|| store.clone());
            if store.parse(text, url).is_err() {
                log!(Debug, op, "ignored a Set-Cookie header the store refused (malformed, or not for this host)");
            }
            if let Some(before) = before {
                if store.iter_any().count() > MAX_COOKIES {
                    *store = before;
                    log!(Debug, op, "ignored a cookie: the session already holds {MAX_COOKIES}");
                }
            }
        }
    }

    /// Forgets every cookie.
    pub fn clear(&self) {
        if let Some(mut store) = self.lock() {
            if store.iter_any().next().is_some() {
                log!(Debug, "session", "cookies cleared");
            }
            store.clear();
        }
    }

    /// Cookies held (expired ones included), for tests and diagnostics.
    pub fn count(&self) -> usize {
        self.lock().map_or(0, |s| s.iter_any().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(cookies: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for c in cookies {
            h.append(SET_COOKIE, HeaderValue::from_str(c).unwrap());
        }
        h
    }

    #[test]
    fn scoped_kept_and_cleared() {
        let c = Cookies::new(true);
        let gw = Url::parse("https://10.1.2.3:8043/agentgateway/resource/onlineagent/101").unwrap();
        c.take_from(&answer(&["huaweielbsession=n1; Path=/; Secure; HttpOnly", "scoped=1; Path=/other"]), &gw, "t");
        assert_eq!(c.header_for(&gw).unwrap().to_str().unwrap(), "huaweielbsession=n1");
        assert!(c.header_for(&gw).unwrap().is_sensitive());
        // Another host, and plain HTTP for a Secure cookie, get nothing.
        assert!(c.header_for(&Url::parse("https://10.1.2.4:8043/agentgateway/").unwrap()).is_none());
        assert!(c.header_for(&Url::parse("http://10.1.2.3:8043/agentgateway/").unwrap()).is_none());
        c.clear();
        assert!(c.header_for(&gw).is_none());
    }

    #[test]
    fn bounded_and_disabled() {
        let c = Cookies::new(true);
        let gw = Url::parse("https://gw/x").unwrap();
        let many: Vec<String> = (0..80).map(|i| format!("c{i}=v")).collect();
        c.take_from(&answer(&many.iter().map(String::as_str).collect::<Vec<_>>()), &gw, "t");
        assert_eq!(c.count(), MAX_COOKIES);
        let big = format!("big={}", "x".repeat(MAX_COOKIE_BYTES));
        let c2 = Cookies::new(true);
        c2.take_from(&answer(&[&big]), &gw, "t");
        assert_eq!(c2.count(), 0);
        // One name under many paths is many cookies.
        let c3 = Cookies::new(true);
        for i in 0..80 {
            c3.take_from(&answer(&[&format!("a={}; Path=/p{i}", "v".repeat(3900))]), &gw, "t");
        }
        assert_eq!(c3.count(), MAX_COOKIES);
        // Replacing one held still works at the bound.
        c3.take_from(&answer(&["a=new; Path=/p0"]), &gw, "t");
        assert_eq!(c3.count(), MAX_COOKIES);
        assert_eq!(c3.header_for(&Url::parse("https://gw/p0").unwrap()).unwrap().to_str().unwrap(), "a=new");
        // The header stays under its bound whatever matches.
        let c4 = Cookies::new(true);
        let fat: Vec<String> = (0..MAX_COOKIES).map(|i| format!("n{i}={}", "v".repeat(3900))).collect();
        c4.take_from(&answer(&fat.iter().map(String::as_str).collect::<Vec<_>>()), &gw, "t");
        let h = c4.header_for(&gw).unwrap();
        assert!(h.len() <= MAX_COOKIE_HEADER_BYTES && h.len() > 3900, "{}", h.len());
        let off = Cookies::new(false);
        off.take_from(&answer(&["a=b"]), &gw, "t");
        assert!(off.header_for(&gw).is_none());
    }
}
