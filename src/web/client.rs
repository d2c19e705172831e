//! Who is on the other end: the client's address and the host it asked for. Forwarding headers
//! (`X-Forwarded-For`, `Forwarded`, `X-Forwarded-Host`) are believed only when the TCP peer is a
//! proxy named in `USTAZ_TRUSTED_PROXIES`; from anyone else they are ignored, so a client cannot
//! choose the address its sign-in failures, verification look-ups and log lines are counted under.

use std::net::IpAddr;

use actix_web::http::header::{self, HeaderMap};
use actix_web::{web, HttpRequest};

use crate::domain::proxies::canonical;
use crate::domain::TrustedProxies;
use crate::state::AppState;

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the last address in
/// the forwarding chain that is not itself a trusted proxy (the rightmost untrusted hop: the
/// entries left of it were written by the client and prove nothing).
pub fn client_ip_of(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.contains(peer) {
        return peer;
    }
    let mut chain = forwarded_for(headers);
    let mut client = peer;
    while let Some(hop) = chain.pop() {
        client = canonical(hop);
        if !trusted.contains(client) {
            break;
        }
    }
    client
}

/// The client's address of this request (see [`client_ip_of`]); `None` only in tests that build a
/// request without a socket.
pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    Some(match req.app_data::<web::Data<AppState>>() {
        Some(state) => client_ip_of(peer, req.headers(), &state.settings.trusted_proxies),
        None => canonical(peer),
    })
}

/// The host the client asked for: `Host`, or a trusted proxy's `X-Forwarded-Host`.
pub fn requested_host(req: &HttpRequest) -> Option<String> {
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .zip(req.peer_addr())
        .is_some_and(|(state, peer)| state.settings.trusted_proxies.contains(peer.ip()));
    let forwarded = trusted
        .then(|| req.headers().get("x-forwarded-host"))
        .flatten();
    forwarded
        .or_else(|| req.headers().get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned())
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_owned()))
}

/// The addresses of `X-Forwarded-For` and `Forwarded: for=` in order, left (client) to right
/// (nearest proxy); `Forwarded` first if both are sent. Entries that are not addresses (`unknown`,
/// obfuscated names) end the chain there.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let mut hops = Vec::new();
    for value in headers.get_all(header::FORWARDED) {
        let Ok(value) = value.to_str() else { continue };
        for element in value.split(',') {
            for pair in element.split(';') {
                if let Some((key, raw)) = pair.trim().split_once('=') {
                    if key.trim().eq_ignore_ascii_case("for") {
                        hops.push(parse_hop(raw));
                    }
                }
            }
        }
    }
    for value in headers.get_all("x-forwarded-for") {
        let Ok(value) = value.to_str() else { continue };
        hops.extend(value.split(',').map(parse_hop));
    }
    // An unparsable hop stops the walk: nothing left of it can be placed.
    match hops.iter().rposition(Option::is_none) {
        Some(bad) => hops.drain(bad + 1..).flatten().collect(),
        None => hops.into_iter().flatten().collect(),
    }
}

/// `1.2.3.4`, `1.2.3.4:5678`, `"[2001:db8::1]:80"`, `2001:db8::1`.
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim().trim_matches('"');
    if let Ok(ip) = raw.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = raw.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = raw.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=198.51.100.1"),
        ]);
        let none = TrustedProxies::default();
        assert_eq!(client_ip_of(ip("192.0.2.7"), &h, &none), ip("192.0.2.7"));
        let other = TrustedProxies::parse("10.0.0.1").expect("parse");
        assert_eq!(client_ip_of(ip("192.0.2.7"), &h, &other), ip("192.0.2.7"));
    }

    #[test]
    fn a_trusted_proxy_names_the_rightmost_untrusted_hop() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").expect("parse");
        // The client wrote "1.1.1.1" itself; the edge proxy appended the real peer, 203.0.113.9.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(
            client_ip_of(ip("10.0.0.1"), &h, &trusted),
            ip("203.0.113.9")
        );
        let h = headers(&[("forwarded", "for=\"[2001:db8::7]:4711\";proto=https")]);
        assert_eq!(
            client_ip_of(ip("10.0.0.1"), &h, &trusted),
            ip("2001:db8::7")
        );
        let h = headers(&[("x-forwarded-for", "203.0.113.9:5555")]);
        assert_eq!(
            client_ip_of(ip("10.0.0.1"), &h, &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_trusted_proxy_without_headers_or_with_junk_is_the_client() {
        let trusted = TrustedProxies::parse("10.0.0.1").expect("parse");
        let none = headers(&[]);
        assert_eq!(
            client_ip_of(ip("10.0.0.1"), &none, &trusted),
            ip("10.0.0.1")
        );
        let junk = headers(&[("x-forwarded-for", "203.0.113.9, unknown")]);
        assert_eq!(
            client_ip_of(ip("10.0.0.1"), &junk, &trusted),
            ip("10.0.0.1")
        );
    }
}
