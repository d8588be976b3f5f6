//! Answers in the charset their `Content-Type` declares. JSON is UTF-8 by default
//! (RFC 8259 §8.1), but gateways in Chinese (and other) deployments sit behind servers that
//! declare and send GBK, GB18030, Big5, Shift_JIS, ISO-8859-1 or UTF-16. The label is
//! looked up as the WHATWG Encoding Standard does (encoding_rs): `gbk`, `gb2312` and
//! `x-gbk` are GBK, `iso-8859-1` is windows-1252, `utf-16` is UTF-16LE, and a byte order
//! mark at the start wins over the label. An unknown label, or bytes that are not valid in
//! the declared charset, make the answer malformed: nothing is guessed or replaced.

use std::borrow::Cow;

/// The charset parameter of a `Content-Type`, if any.
pub fn declared_charset(content_type: &str) -> Option<String> {
    // No `;`, no parameter (the common `application/json`): nothing to parse. And the
    // other common form, one `charset=utf-8` parameter, read without a parser (the same
    // value the parser gives).
    let (_, params) = content_type.split_once(';')?;
    if params.trim().eq_ignore_ascii_case("charset=utf-8") {
        return Some("utf-8".into());
    }
    match content_type.trim().parse::<mime::Mime>() {
        Ok(mime) => mime.get_param(mime::CHARSET).map(|c| c.as_str().to_string()),
        // Not RFC 9110 syntax (`charset = GBK`, as some servlet containers and hand-made
        // front ends write it): the parameter is still read, leniently, rather than the
        // answer taken as UTF-8 and refused for a charset it does declare.
        Err(_) => content_type.split(';').skip(1).find_map(|param| {
            let (name, value) = param.split_once('=')?;
            name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"').to_string())
        }),
    }
}

/// The answer's text: decoded from the declared charset, or UTF-8 (a UTF-8 byte order
/// mark dropped) when none is declared. `Err` says why not, in words for a message.
pub fn decode<'a>(content_type: &str, body: &'a [u8]) -> Result<Cow<'a, str>, String> {
    let Some(label) = declared_charset(content_type) else {
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        return std::str::from_utf8(body)
            .map(Cow::Borrowed)
            .map_err(|_| "is not valid UTF-8 and declares no charset".into());
    };
    let Some(encoding) = encoding_rs::Encoding::for_label(label.as_bytes()) else {
        return Err(format!(
            "declares the charset {:?}, which ccgw does not know (it knows the WHATWG Encoding Standard's labels)",
            crate::error::sanitize(&label, 40)
        ));
    };
    let (text, used, had_errors) = encoding.decode(body);
    if had_errors || used == encoding_rs::REPLACEMENT {
        return Err(format!(
            "is not valid {} text (declared charset {:?})",
            used.name(),
            crate::error::sanitize(&label, 40)
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_boms() {
        let gbk = encoding_rs::GBK.encode("{\"message\":\"成功\"}").0;
        assert_eq!(decode("application/json;charset=GBK", &gbk).unwrap(), "{\"message\":\"成功\"}");
        assert_eq!(decode("application/json; charset=\"gb2312\"", &gbk).unwrap(), "{\"message\":\"成功\"}");
        assert_eq!(decode("application/json; charset = GBK", &gbk).unwrap(), "{\"message\":\"成功\"}");
        assert_eq!(declared_charset("application/json ; Charset = \"gbk\" "), Some("gbk".into()));
        assert_eq!(declared_charset("application/json; q = 1"), None);
        let latin = b"{\"m\":\"caf\xe9\"}";
        assert_eq!(decode("application/json;charset=ISO-8859-1", latin).unwrap(), "{\"m\":\"café\"}");
        let mut utf16: Vec<u8> = vec![0xFE, 0xFF];
        utf16.extend("{\"a\":1}".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode("application/json;charset=utf-16", &utf16).unwrap(), "{\"a\":1}");
        assert_eq!(decode("application/json", b"\xEF\xBB\xBF{}").unwrap(), "{}");
        assert_eq!(decode("", b"{}").unwrap(), "{}");
    }

    #[test]
    fn unknown_and_invalid_are_refused() {
        assert!(decode("application/json;charset=klingon", b"{}").unwrap_err().contains("does not know"));
        assert!(decode("application/json;charset=shift_jis", b"{\"a\":\"\x82\"}").unwrap_err().contains("not valid"));
        assert!(decode("application/json;charset=iso-2022-kr", b"{}").is_err());
        assert!(decode("application/json", b"{\"a\":\"\xff\"}").is_err());
    }
}
