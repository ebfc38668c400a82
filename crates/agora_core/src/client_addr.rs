//! The client's address, for rate limits and logs: the TCP peer, or, when the peer is a
//! reverse proxy listed in `http.trusted_proxies`, the address that proxy forwarded
//! (`Forwarded`, RFC 7239, else `X-Forwarded-For`). Anyone else's forwarding headers are
//! ignored: they are whatever the client wrote.

use ipnet::IpNet;
use std::net::IpAddr;

/// The reverse proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses `http.trusted_proxies`: addresses (`127.0.0.1`, `::1`) or CIDRs (`10.0.0.0/8`).
    pub fn parse(entries: &[String]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|e| {
                let e = e.trim();
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("`{e}` is neither an IP address nor a CIDR"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: walking the chain of hops from the nearest (the TCP peer) back,
    /// the first one that is not a trusted proxy. A header that cannot be read stops the walk
    /// at the last hop we trust to have written it.
    pub fn client(
        &self,
        peer: IpAddr,
        forwarded: Option<&str>,
        x_forwarded_for: Option<&str>,
    ) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        let hops: Vec<Option<IpAddr>> = match (forwarded, x_forwarded_for) {
            (Some(f), _) => forwarded_for(f),
            (None, Some(x)) => x.split(',').map(parse_hop).collect(),
            (None, None) => return client,
        };
        for hop in hops.into_iter().rev() {
            let Some(hop) = hop else { break };
            client = hop.to_canonical();
            if !self.contains(client) {
                break;
            }
        }
        client
    }
}

/// The `for=` values of a `Forwarded` header, in order.
fn forwarded_for(header: &str) -> Vec<Option<IpAddr>> {
    header
        .split(',')
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_hop(value))
            })
        })
        .collect()
}

/// One hop: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `"[2001:db8::1]:4711"`.
fn parse_hop(value: &str) -> Option<IpAddr> {
    let value = value.trim().trim_matches('"');
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    value.rsplit_once(':')?.0.parse().ok()
}

/// The key a client's limits are counted under: the IPv4 address, or the IPv6 /64 (one
/// subscriber usually holds a whole /64, and could otherwise take a new address per try).
pub fn rate_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .expect("valid")
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let none = proxies(&[]);
        assert_eq!(
            none.client(ip("203.0.113.9"), None, Some("198.51.100.1")),
            ip("203.0.113.9")
        );
        let local = proxies(&["127.0.0.1"]);
        assert_eq!(
            local.client(ip("203.0.113.9"), Some("for=198.51.100.1"), None),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let p = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        assert_eq!(
            p.client(ip("127.0.0.1"), None, Some("198.51.100.1")),
            ip("198.51.100.1")
        );
        // A forged entry on the left does not help: the first untrusted hop from the right wins.
        assert_eq!(
            p.client(
                ip("127.0.0.1"),
                None,
                Some("1.2.3.4, 198.51.100.1, 10.1.2.3")
            ),
            ip("198.51.100.1")
        );
        assert_eq!(
            p.client(
                ip("::ffff:127.0.0.1"),
                Some(r#"for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=https"#),
                Some("9.9.9.9"),
            ),
            ip("2001:db8:cafe::17"),
            "Forwarded wins over X-Forwarded-For"
        );
        assert_eq!(
            p.client(ip("127.0.0.1"), None, Some("garbage")),
            ip("127.0.0.1"),
            "an unreadable hop stops at the proxy"
        );
        assert_eq!(p.client(ip("127.0.0.1"), None, None), ip("127.0.0.1"));
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        assert_eq!(
            rate_key(ip("2001:db8:1:2:aaaa::1")),
            rate_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            rate_key(ip("2001:db8:1:2::1")),
            rate_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(rate_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }

    #[test]
    fn bad_entries_are_named() {
        let err = TrustedProxies::parse(&["10.0.0.0/8".into(), "proxy.local".into()])
            .expect_err("a host name");
        assert!(err.contains("proxy.local"), "{err}");
    }
}
