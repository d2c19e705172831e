//! The proxies whose forwarding headers the site believes (`USTAZ_TRUSTED_PROXIES`), parsed once
//! from the setting; `web::client` uses them to find the client's address.

use std::net::IpAddr;

use ipnet::IpNet;

/// The proxies whose forwarding headers are believed: addresses or networks
/// (`USTAZ_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8`). Empty by default: the TCP peer is the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma- or space-separated list of IP addresses and CIDR networks.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse::<IpNet>()
                    .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{part:?} is not an IP address or network"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An IPv4 address seen through an IPv6 socket (`::ffff:a.b.c.d`) is that IPv4 address.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn proxies_parse_as_addresses_and_networks() {
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8 ::1").expect("parse");
        assert!(trusted.contains(ip("127.0.0.1")));
        assert!(trusted.contains(ip("10.20.30.40")));
        assert!(trusted.contains(ip("::1")));
        assert!(trusted.contains(ip("::ffff:10.1.1.1")));
        assert!(!trusted.contains(ip("192.168.1.1")));
        assert!(TrustedProxies::parse("").expect("empty").is_empty());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
    }
}
