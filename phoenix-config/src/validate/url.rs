//! `url`: an absolute URL with a host, such as a service endpoint or a
//! `mongodb://` connection string.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{Url, check_dns_name, has_space_or_control, text_failure};

/// What a URL must look like, for messages.
const EXPECTED: &str = "a valid URL";

/// Whether `s` is an absolute URL with a host:
/// `scheme://[userinfo@]host[:port][/path][?query][#fragment]`.
///
/// - the scheme is a letter followed by letters, digits, `+`, `-` or `.`;
/// - the host is a DNS name (`_` allowed, as container service names have
///   it; Unicode letters allowed), an IPv4 address, or an IPv6 address in
///   brackets (`[::1]`, with an optional `%25zone`);
/// - the port, when there is a `:`, is a number from 0 to 65535;
/// - `mongodb://` and `mongodb+srv://` may list several hosts, comma
///   separated, each with its own port (`mongodb://` connection strings);
/// - `file://` may have an empty host (`file:///etc/phoenix.yaml`);
/// - no spaces or control characters anywhere, every `%` followed by two hex
///   digits, and no unescaped `@` in the user or password.
///
/// ```
/// use phoenix_config::validate::is_valid_url;
///
/// assert!(is_valid_url("https://api.example.com/v1?page=2#top"));
/// assert!(is_valid_url("http://[::1]:8080/health"));
/// assert!(is_valid_url("mongodb://app:s3cr%40t@db1:27017,db2:27017/phoenix?replicaSet=rs0"));
/// assert!(!is_valid_url("api.example.com"));
/// assert!(!is_valid_url("http://example.com:99999"));
/// ```
pub fn is_valid_url(s: &str) -> bool {
    reason(s).is_ok()
}

/// The `url` rule: `value` must be an absolute URL (see [`is_valid_url`]);
/// the message says what is wrong.
///
/// ```
/// use phoenix_config::validate::url;
///
/// assert_eq!(url("https://api.example.com", false), Ok(()));
/// assert_eq!(url("api.example.com", false).unwrap_err(), "`api.example.com` is not a valid URL: it has no scheme (such as `https://`)");
/// // For a secret, the message leaves the value out.
/// assert_eq!(
///     url("mongodb://app:pw@db:270170", true).unwrap_err(),
///     "must be a valid URL: the port must be a number from 0 to 65535"
/// );
/// ```
pub fn url<T: ?Sized + Url>(value: &T, secret: bool) -> Result<(), String> {
    value.validate_url(secret)
}

pub(super) fn check(value: &str, secret: bool) -> Result<(), String> {
    reason(value).map_err(|reason| text_failure(value, secret, EXPECTED, Some(&reason)))
}

/// Why `s` is not a URL; the reason never quotes `s`.
fn reason(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".to_owned());
    }
    if has_space_or_control(s) {
        return Err("it contains a space or a control character".to_owned());
    }
    let Some((scheme, rest)) = split_scheme(s) else {
        return Err("it has no scheme (such as `https://`)".to_owned());
    };
    check_scheme(scheme)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let hosts = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            check_userinfo(userinfo)?;
            hosts
        }
        None => authority,
    };
    let is = |name: &str| scheme.eq_ignore_ascii_case(name);
    if hosts.is_empty() && is("file") && authority.is_empty() {
        // `file:///path`: the local host.
    } else if hosts.is_empty() {
        return Err("it has no host".to_owned());
    } else if is("mongodb") || is("mongodb+srv") {
        for host in hosts.split(',') {
            if host.is_empty() {
                return Err("its list of hosts has an empty entry".to_owned());
            }
            check_host_port(host)?;
        }
    } else {
        check_host_port(hosts)?;
    }
    if !percent_escapes_ok(tail) {
        return Err("it has a `%` not followed by two hex digits".to_owned());
    }
    Ok(())
}

/// `s` cut at its first `://` (a byte scan: cheaper than a substring
/// search for a pattern this short).
fn split_scheme(s: &str) -> Option<(&str, &str)> {
    let at = s.as_bytes().windows(3).position(|w| w == b"://")?;
    Some((&s[..at], &s[at + 3..]))
}

/// `[A-Za-z][A-Za-z0-9+.-]*`.
fn check_scheme(scheme: &str) -> Result<(), String> {
    let mut chars = scheme.chars();
    if chars.next().is_none_or(|c| !c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Err("the scheme must be a letter followed by letters, digits, `+`, `-` or `.`".to_owned());
    }
    Ok(())
}

/// `user[:password]`: may be empty; `%` escapes checked; no raw `@`.
fn check_userinfo(userinfo: &str) -> Result<(), String> {
    if userinfo.contains('@') {
        return Err("the user or password holds an `@`: write it as `%40`".to_owned());
    }
    if !percent_escapes_ok(userinfo) {
        return Err("the user or password has a `%` not followed by two hex digits".to_owned());
    }
    Ok(())
}

/// `host[:port]`, where host may be `[IPv6]`.
fn check_host_port(host_port: &str) -> Result<(), String> {
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let Some((inner, after)) = bracketed.split_once(']') else {
            return Err("an IPv6 address is missing its closing `]`".to_owned());
        };
        check_ipv6(inner)?;
        match after.strip_prefix(':') {
            Some(port) => (None, Some(port)),
            None if after.is_empty() => (None, None),
            None => return Err("only a `:port` may follow an IPv6 address in `[…]`".to_owned()),
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(host_port), None),
        }
    };
    if let Some(host) = host {
        if port.is_some_and(|p| p.contains(':')) && host_port.parse::<Ipv6Addr>().is_ok() {
            return Err("an IPv6 address must be in brackets (such as `[::1]:8080`)".to_owned());
        }
        check_host(host)?;
    }
    match port {
        Some("") => Err("the port is empty".to_owned()),
        Some(port) if !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err() => {
            Err("the port must be a number from 0 to 65535".to_owned())
        }
        _ => Ok(()),
    }
}

/// A DNS name or an IPv4 address.
fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("the host is empty".to_owned());
    }
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return match host.parse::<Ipv4Addr>() {
            Ok(_) => Ok(()),
            Err(_) => Err("the host is not a valid IPv4 address".to_owned()),
        };
    }
    check_dns_name(host, "the host", true)
}

/// What is inside `[…]`: an IPv6 address, optionally with `%25zone` (RFC 6874).
fn check_ipv6(inner: &str) -> Result<(), String> {
    let (address, zone) = match inner.split_once("%25") {
        Some((address, zone)) => (address, Some(zone)),
        None => (inner, None),
    };
    if address.parse::<Ipv6Addr>().is_err() {
        return Err("the address in `[…]` is not a valid IPv6 address".to_owned());
    }
    if zone.is_some_and(|z| z.is_empty() || !z.chars().all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))) {
        return Err("the zone of the IPv6 address (after `%25`) is empty or holds other than letters, digits, `-`, `.`, `_` or `~`".to_owned());
    }
    Ok(())
}

/// Whether every `%` in `s` starts a `%XX` escape.
fn percent_escapes_ok(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if !(i + 2 < bytes.len() && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(s: &str) -> String {
        reason(s).expect_err(s)
    }

    #[test]
    fn accepts_absolute_urls() {
        for ok in [
            "http://example.com",
            "https://example.com/",
            "https://api.example.com/v1/items?page=2&sort=asc#top",
            "https://example.com?q=1",
            "https://example.com#frag",
            "https://example.com.:443/",
            "HTTPS://EXAMPLE.COM",
            "http://localhost:8080",
            "http://localhost:0",
            "http://localhost:65535",
            "http://my_service:3000/health",
            "http://127.0.0.1",
            "http://255.255.255.255:80",
            "http://0.0.0.0:1",
            "http://[::1]",
            "http://[::1]:8080",
            "http://[::1]:8080/health",
            "http://[2001:db8::1]:443/path",
            "http://[::ffff:192.0.2.1]/",
            "http://[fe80::1%25eth0]:8080/",
            "http://user@example.com",
            "http://user:password@example.com:8080/path",
            "https://user:p%40ss:w0rd@example.com",
            "http://@example.com",
            "postgres://app:secret@db.internal:5432/phoenix?sslmode=require",
            "redis://:password@cache:6379/0",
            "amqp+ssl://broker",
            "git+ssh://git@github.com/org/repo.git",
            "s3://bucket.name/key/with%20space",
            "https://bücher.de/straße",
            "https://example.com/a/b;c=d,e?x=[1]&y={2}",
            "file:///etc/phoenix/config.yaml",
            "file://localhost/etc/phoenix",
            "mongodb://localhost",
            "mongodb://localhost:27017",
            "mongodb://db:27017/phoenix",
            "mongodb://app:s3cret@db1:27017,db2:27017,db3:27017/phoenix?replicaSet=rs0&authSource=admin",
            "mongodb://db1,db2",
            "mongodb://[::1]:27017,[2001:db8::2]:27018/",
            "mongodb+srv://app:pw@cluster0.abcde.mongodb.net/phoenix?retryWrites=true&w=majority",
            "MongoDB://a,b",
        ] {
            assert_eq!(reason(ok), Ok(()), "{ok}");
            assert!(is_valid_url(ok), "{ok}");
        }
    }

    #[test]
    fn rejects_with_a_reason() {
        let cases = [
            ("", "it is empty"),
            ("example.com", "it has no scheme (such as `https://`)"),
            ("localhost:8080", "it has no scheme (such as `https://`)"),
            ("mailto:ops@example.com", "it has no scheme (such as `https://`)"),
            ("http:/example.com", "it has no scheme (such as `https://`)"),
            ("//example.com", "it has no scheme (such as `https://`)"),
            ("://example.com", "the scheme must be a letter followed by letters, digits, `+`, `-` or `.`"),
            ("1http://example.com", "the scheme must be a letter followed by letters, digits, `+`, `-` or `.`"),
            ("ht_tp://example.com", "the scheme must be a letter followed by letters, digits, `+`, `-` or `.`"),
            ("http://exa mple.com", "it contains a space or a control character"),
            ("http://example.com/a b", "it contains a space or a control character"),
            (" http://example.com", "it contains a space or a control character"),
            ("http://example.com\n", "it contains a space or a control character"),
            ("http://example.com/\u{7f}", "it contains a space or a control character"),
            ("http://", "it has no host"),
            ("http:///path", "it has no host"),
            ("http://user@", "it has no host"),
            ("http://user@/path", "it has no host"),
            ("file://user@/x", "it has no host"),
            ("http://:8080", "the host is empty"),
            ("http://example.com:", "the port is empty"),
            ("http://example.com:65536", "the port must be a number from 0 to 65535"),
            ("http://example.com:99999", "the port must be a number from 0 to 65535"),
            ("http://example.com:-1", "the port must be a number from 0 to 65535"),
            ("http://example.com:+80", "the port must be a number from 0 to 65535"),
            ("http://example.com:80a", "the port must be a number from 0 to 65535"),
            ("http://example.com:80:81", "the port must be a number from 0 to 65535"),
            ("http://256.0.0.1", "the host is not a valid IPv4 address"),
            ("http://1.2.3", "the host is not a valid IPv4 address"),
            ("http://1.2.3.4.", "the host is not a valid IPv4 address"),
            ("http://01.2.3.4", "the host is not a valid IPv4 address"),
            ("http://123", "the host is not a valid IPv4 address"),
            ("http://::1", "an IPv6 address must be in brackets (such as `[::1]:8080`)"),
            ("http://2001:db8::1", "an IPv6 address must be in brackets (such as `[::1]:8080`)"),
            ("http://[::1", "an IPv6 address is missing its closing `]`"),
            ("http://[::g]", "the address in `[…]` is not a valid IPv6 address"),
            ("http://[127.0.0.1]", "the address in `[…]` is not a valid IPv6 address"),
            ("http://[]", "the address in `[…]` is not a valid IPv6 address"),
            ("http://[fe80::1%eth0]", "the address in `[…]` is not a valid IPv6 address"),
            (
                "http://[fe80::1%25]",
                "the zone of the IPv6 address (after `%25`) is empty or holds other than letters, digits, `-`, `.`, `_` or `~`",
            ),
            ("http://[::1]8080", "only a `:port` may follow an IPv6 address in `[…]`"),
            ("http://[::1]:", "the port is empty"),
            ("http://[::1]:65536", "the port must be a number from 0 to 65535"),
            ("http://exa%mple.com", "the host may only hold letters, digits, `-`, `_`, `.`"),
            ("http://a..b", "the host has an empty label (`..`)"),
            ("http://-a.com", "the host has a label that starts or ends with `-`"),
            ("http://a,b:80", "the host may only hold letters, digits, `-`, `_`, `.`"),
            ("http://a.b/%zz", "it has a `%` not followed by two hex digits"),
            ("http://a.b/?q=100%", "it has a `%` not followed by two hex digits"),
            ("http://a.b/#%4", "it has a `%` not followed by two hex digits"),
            ("http://us%er:pw@a.b", "the user or password has a `%` not followed by two hex digits"),
            ("mongodb://app:p@ss@db:27017", "the user or password holds an `@`: write it as `%40`"),
            ("mongodb://db1:27017,,db2", "its list of hosts has an empty entry"),
            ("mongodb://db1:27017,", "its list of hosts has an empty entry"),
            ("mongodb://db1:27017,db2:99999", "the port must be a number from 0 to 65535"),
            ("mongodb+srv://", "it has no host"),
            ("mongodb+srv://app:pw@", "it has no host"),
        ];
        for (value, reason) in cases {
            let reason = reason.replace("`-`, `_`, `.`", "`-`, `_` and `.`");
            assert_eq!(why(value), reason, "{value:?}");
            assert!(!is_valid_url(value), "{value:?}");
            assert_eq!(
                url(value, false).unwrap_err(),
                format!("{} is not a valid URL: {reason}", super::super::quote(value))
            );
        }
    }

    #[test]
    fn host_length_limits() {
        let label63 = "a".repeat(63);
        assert!(is_valid_url(&format!("https://{label63}.example.com")));
        assert_eq!(why(&format!("https://a{label63}.example.com")), "the host has a label longer than 63 characters");
        let name253 = [label63.as_str(), &label63, &label63, &"a".repeat(61)].join(".");
        assert!(is_valid_url(&format!("https://{name253}:443/")));
        assert_eq!(why(&format!("https://a{name253}/")), "the host is longer than 253 characters");
    }

    #[test]
    fn percent_escapes() {
        assert!(percent_escapes_ok(""));
        assert!(percent_escapes_ok("%20%aF/x"));
        assert!(!percent_escapes_ok("%"));
        assert!(!percent_escapes_ok("%2"));
        assert!(!percent_escapes_ok("%2g"));
        assert!(!percent_escapes_ok("a%"));
    }

    #[test]
    fn secret_messages_hold_no_value() {
        for bad in [
            "mongodb://app:hunter2@db:270170",
            "mongodb://app:hunter2@db1,,db2",
            "mongodb://app:hunter2@",
            "postgres://app:hunter2@db host/x",
            "https://hunter2:x",
            "hunter2",
            "https://app:hunter2@[::hunter2]/",
            "https://app:hun%ter2@db/",
        ] {
            let message = url(bad, true).unwrap_err();
            assert!(message.starts_with("must be a valid URL: "), "{message}");
            assert!(!message.contains("hunter2") && !message.contains("app"), "{message}");
        }
    }
}
