//! Checks of the interface tables' limits, shared by every request type. Each failure
//! names the field and the limit, and nothing is sent.

use crate::error::{missing, Error, Result};
use crate::status::*;

/// How a page counts a text limit: most say "characters", a few say "bytes".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Chars,
    Bytes,
}

fn length(value: &str, unit: Unit) -> usize {
    match unit {
        Unit::Chars => value.chars().count(),
        Unit::Bytes => value.len(),
    }
}

/// A check of a field whose name is built (`addresses[3].address`): run unnamed first, and
/// named only when it fails, so a request that passes builds no names.
pub fn named(check: impl Fn(&str) -> Result<()>, name: impl FnOnce() -> String) -> Result<()> {
    check("").or_else(|_| check(&name()))
}

/// `value` is at most `max` units long.
pub fn max_len(field: &str, value: &str, max: usize, unit: Unit) -> Result<()> {
    let n = length(value, unit);
    if n > max {
        let what = if unit == Unit::Chars { "characters" } else { "bytes" };
        return Err(Error::new(CCGW_E_TOO_LONG, format!("{field} is {n} {what} long; at most {max} are allowed")));
    }
    Ok(())
}

/// A mandatory text: present, not blank, and at most `max` units long.
pub fn required(field: &str, value: Option<&str>, max: usize, unit: Unit) -> Result<()> {
    match value {
        Some(v) if !v.trim().is_empty() => max_len(field, v, max, unit),
        _ => Err(missing(field)),
    }
}

/// An optional text: absent, or at most `max` units long.
pub fn optional(field: &str, value: Option<&str>, max: usize, unit: Unit) -> Result<()> {
    value.map_or(Ok(()), |v| max_len(field, v, max, unit))
}

/// `value` lies in `min..=max`.
pub fn range(field: &str, value: i64, min: i64, max: i64) -> Result<()> {
    if value < min || value > max {
        return Err(Error::new(CCGW_E_OUT_OF_RANGE, format!("{field} is {value}; it must be within {min}..{max}")));
    }
    Ok(())
}

/// `value` is one of `allowed`.
pub fn one_of(field: &str, value: i64, allowed: &[i64], meaning: &str) -> Result<()> {
    if !allowed.contains(&value) {
        return Err(Error::new(CCGW_E_OUT_OF_RANGE, format!("{field} is {value}; it must be {meaning}")));
    }
    Ok(())
}

/// Every character of `value` is one `allowed` accepts (`meaning` names the set); the
/// message names the field and the set, never the value (it may be a phone number).
pub fn charset(field: &str, value: &str, allowed: impl Fn(char) -> bool, meaning: &str) -> Result<()> {
    if let Some(pos) = value.chars().position(|c| !allowed(c)) {
        return Err(Error::new(
            CCGW_E_INVALID_ARGUMENT,
            format!("{field} may contain only {meaning} (character {} is not one)", pos + 1),
        ));
    }
    Ok(())
}

/// A dialled string: 1 to `max` of the digits, `*` and `#`.
pub fn dial_string(field: &str, value: &str, max: usize) -> Result<()> {
    required(field, Some(value), max, Unit::Chars)?;
    charset(field, value, |c| c.is_ascii_digit() || c == '*' || c == '#', "the digits 0-9, * and #")
}

/// A number of 1 to `max` digits (a phone number or an agent id).
pub fn digits(field: &str, value: &str, max: usize) -> Result<()> {
    required(field, Some(value), max, Unit::Chars)?;
    charset(field, value, |c| c.is_ascii_digit(), "the digits 0-9")
}

/// An array has `1..=max` entries.
pub fn count(field: &str, n: usize, max: usize) -> Result<()> {
    if n == 0 {
        return Err(missing(field));
    }
    if n > max {
        return Err(Error::new(CCGW_E_TOO_MANY, format!("{field} has {n} entries; at most {max} are allowed")));
    }
    Ok(())
}

/// Default highest agent id: the seed pages' range is 101-59999 (newer pages: 999999).
pub const AGENT_ID_MAX_DEFAULT: u32 = 59_999;
pub const AGENT_ID_MIN: u32 = 101;

/// An agent id as the URL carries it: canonical decimal within `101..=max`.
pub fn agent_id(value: &str, max: u32) -> Result<u32> {
    let v = value.trim();
    if v.is_empty() {
        return Err(missing("agent id"));
    }
    let n = if v.len() <= 9 && !v.starts_with('0') && v.bytes().all(|b| b.is_ascii_digit()) {
        v.parse::<u32>().ok()
    } else {
        None
    };
    match n {
        Some(n) if (AGENT_ID_MIN..=max).contains(&n) => Ok(n),
        Some(n) => Err(Error::new(CCGW_E_OUT_OF_RANGE, format!("agent id {n} is outside {AGENT_ID_MIN}..{max}"))),
        None => Err(Error::new(CCGW_E_INVALID_ARGUMENT, format!("agent id {v:?} is not a decimal number"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_ids() {
        assert_eq!(agent_id("101", 59999).unwrap(), 101);
        assert_eq!(agent_id("59999", 59999).unwrap(), 59999);
        assert_eq!(agent_id("100", 59999).unwrap_err().status, CCGW_E_OUT_OF_RANGE);
        assert_eq!(agent_id("60000", 59999).unwrap_err().status, CCGW_E_OUT_OF_RANGE);
        assert_eq!(agent_id("60000", 999_999).unwrap(), 60000);
        assert_eq!(agent_id("0101", 59999).unwrap_err().status, CCGW_E_INVALID_ARGUMENT);
        assert_eq!(agent_id("", 59999).unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
    }

    #[test]
    fn lengths_count_the_right_unit() {
        assert!(max_len("f", &"é".repeat(24), 24, Unit::Chars).is_ok());
        assert_eq!(max_len("f", &"é".repeat(13), 24, Unit::Bytes).unwrap_err().status, CCGW_E_TOO_LONG);
        assert_eq!(required("f", Some("  "), 24, Unit::Chars).unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
        assert_eq!(count("a", 121, 120).unwrap_err().status, CCGW_E_TOO_MANY);
        assert_eq!(count("a", 0, 120).unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
    }

    #[test]
    fn dial_strings_and_digits() {
        assert!(dial_string("n", "0123456789*#", 24).is_ok());
        assert!(dial_string("n", &"1".repeat(24), 24).is_ok());
        assert_eq!(dial_string("n", &"1".repeat(25), 24).unwrap_err().status, CCGW_E_TOO_LONG);
        assert_eq!(dial_string("n", "", 24).unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
        let e = dial_string("n", "12a4", 24).unwrap_err();
        assert_eq!(e.status, CCGW_E_INVALID_ARGUMENT);
        assert!(e.message.contains("character 3") && !e.message.contains("12a4"), "{}", e.message);
        assert_eq!(digits("n", "1*", 24).unwrap_err().status, CCGW_E_INVALID_ARGUMENT);
    }
}
