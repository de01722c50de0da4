//! A name resolver that keeps answers for a short while.
//!
//! ureq resolves the host of every request before it looks in its connection pool, and with
//! a timeout configured its default resolver spawns a thread for each lookup. Against a
//! pooled keep-alive connection that is a thread and a DNS query per call for nothing. This
//! resolver answers IP literals at once, keeps each host's addresses for [`TTL`], and only
//! falls back to ureq's default resolver (bounded by the resolve timeout, which the
//! transport sets to the connect timeout) on a miss.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a lookup is reused: short, so a moved host is followed within seconds.
pub(crate) const TTL: Duration = Duration::from_secs(30);

/// Most hosts kept: the client talks to one; this only bounds a pathological caller.
const MAX_HOSTS: usize = 64;

/// Lookups by (lower-case host, port): when each was made and what it gave.
type Cache = HashMap<(String, u16), (Instant, Vec<SocketAddr>)>;

/// ureq's default resolver behind a per-host cache; IP literals never reach it.
#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    fallback: DefaultResolver,
    cache: Mutex<Cache>,
}

/// The host (without IPv6 brackets) and port a URI points at.
fn host_port(uri: &Uri) -> Option<(&str, u16)> {
    let host = uri.host()?;
    let port = uri.port_u16().or_else(|| match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    })?;
    Some((host.trim_start_matches('[').trim_end_matches(']'), port))
}

impl CachingResolver {
    fn answer(&self, addrs: &[SocketAddr]) -> ResolvedSocketAddrs {
        let mut out = self.empty();
        for addr in addrs.iter().take(16) {
            out.push(*addr);
        }
        out
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some((host, port)) = host_port(uri) else {
            return self.fallback.resolve(uri, config, timeout);
        };
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(self.answer(&[SocketAddr::new(ip, port)]));
        }
        let key = (host.to_ascii_lowercase(), port);
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, addrs)) = cache.get(&key)
                && at.elapsed() < TTL
            {
                return Ok(self.answer(addrs));
            }
        }
        let resolved = self.fallback.resolve(uri, config, timeout)?;
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= MAX_HOSTS {
            cache.retain(|_, (at, _)| at.elapsed() < TTL);
            if cache.len() >= MAX_HOSTS {
                cache.clear();
            }
        }
        cache.insert(key, (Instant::now(), resolved.to_vec()));
        Ok(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::time::Duration as UreqDuration;

    fn no_timeout() -> NextTimeout {
        NextTimeout {
            after: UreqDuration::NotHappening,
            reason: ureq::Timeout::Resolve,
            per_read: None,
            per_write: None,
        }
    }

    fn resolve(resolver: &CachingResolver, uri: &str) -> Vec<SocketAddr> {
        let config = ureq::Agent::config_builder().build();
        resolver
            .resolve(&uri.parse().unwrap(), &config, no_timeout())
            .unwrap()
            .to_vec()
    }

    #[test]
    fn ip_literals_pass_straight_through() {
        let resolver = CachingResolver::default();
        assert_eq!(
            resolve(&resolver, "http://127.0.0.1:8080/api"),
            ["127.0.0.1:8080".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            resolve(&resolver, "https://[::1]/api"),
            ["[::1]:443".parse::<SocketAddr>().unwrap()]
        );
        assert!(
            resolver.cache.lock().unwrap().is_empty(),
            "literals are not cached"
        );
    }

    #[test]
    fn names_are_looked_up_once_then_cached() {
        let resolver = CachingResolver::default();
        let first = resolve(&resolver, "http://localhost:9/");
        assert!(!first.is_empty());
        assert_eq!(resolver.cache.lock().unwrap().len(), 1);
        // Replace the cached answer: a second call must return it without a lookup.
        let marker: SocketAddr = "192.0.2.7:9".parse().unwrap();
        resolver
            .cache
            .lock()
            .unwrap()
            .insert(("localhost".into(), 9), (Instant::now(), vec![marker]));
        assert_eq!(resolve(&resolver, "http://LOCALHOST:9/x"), [marker]);
        // Once stale, the name is looked up again.
        let stale = Instant::now()
            .checked_sub(TTL + Duration::from_secs(1))
            .unwrap();
        resolver
            .cache
            .lock()
            .unwrap()
            .insert(("localhost".into(), 9), (stale, vec![marker]));
        assert_ne!(resolve(&resolver, "http://localhost:9/x"), [marker]);
    }
}
