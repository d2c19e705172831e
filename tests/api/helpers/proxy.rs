//! A TCP proxy the test puts between the app and PostgreSQL, to cut the database off (every open
//! connection dropped, new ones refused) and bring it back, without touching the shared server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct TcpProxy {
    pub port: u16,
    open: Arc<AtomicBool>,
    /// Bumped by every cut: each forwarded connection ends when it changes.
    cuts: watch::Sender<u64>,
}

impl TcpProxy {
    /// Forwards a free loopback port to `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("address").port();
        let open = Arc::new(AtomicBool::new(true));
        let (cuts, _) = watch::channel(0u64);
        let upstream = upstream.to_owned();
        let (accepting, cut_signal) = (open.clone(), cuts.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !accepting.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let mut cut = cut_signal.subscribe();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Self { port, open, cuts }
    }

    /// The database is gone: open connections drop, new ones are refused.
    pub fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        self.cuts.send_modify(|n| *n += 1);
    }

    /// The database is back.
    pub fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }

    /// A proxy in front of the server of `url` (`postgres://user@host:port/db`), and the URL
    /// that reaches the same database through it.
    pub async fn before(url: &str) -> (Self, String) {
        let (scheme_user, rest) = url.rsplit_once('@').expect("URL with a host");
        let (upstream, path) = rest.split_once('/').expect("URL with a database");
        let proxy = Self::start(upstream).await;
        let routed = format!("{scheme_user}@127.0.0.1:{}/{path}", proxy.port);
        (proxy, routed)
    }
}
