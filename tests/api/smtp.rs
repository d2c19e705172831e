//! A small SMTP server on loopback for tests: it speaks enough SMTP for lettre (no STARTTLS, no
//! AUTH), records every message, and decodes what tests look at (headers, text and HTML parts).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent after DATA, dot-unstuffed, with CRLF line ends.
    pub data: String,
}

/// How the server answers once a message's DATA is complete.
#[derive(Debug, Clone, Copy, Default)]
pub struct DataAnswer {
    /// Waits this long before answering (a slow server), the message already in hand.
    pub delay: Duration,
    /// Answers 451 "try again later" and keeps nothing, instead of 250.
    pub refuse: bool,
}

pub struct SmtpServer {
    pub port: u16,
    messages: Arc<Mutex<Vec<ReceivedMail>>>,
    data_begun: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

#[derive(Clone)]
struct Shared {
    messages: Arc<Mutex<Vec<ReceivedMail>>>,
    data_begun: Arc<AtomicUsize>,
    answer: DataAnswer,
}

impl SmtpServer {
    /// Listens on a free port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Listens on `port` (0 for a free one).
    pub async fn start_on(port: u16) -> Self {
        Self::start_answering(port, DataAnswer::default()).await
    }

    /// Listens on `port` (0 for a free one) and answers each message's DATA as `answer` says.
    pub async fn start_answering(port: u16, answer: DataAnswer) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the test SMTP server");
        let port = listener.local_addr().expect("local address").port();
        let shared = Shared {
            messages: Arc::new(Mutex::new(Vec::new())),
            data_begun: Arc::new(AtomicUsize::new(0)),
            answer,
        };
        let (messages, data_begun) = (shared.messages.clone(), shared.data_begun.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, shared.clone()));
            }
        });
        Self {
            port,
            messages,
            data_begun,
            task,
        }
    }

    /// How many DATA commands clients have sent (deliveries begun, whatever became of them).
    pub fn deliveries_begun(&self) -> usize {
        self.data_begun.load(Ordering::SeqCst)
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.messages.lock().expect("messages").clone()
    }

    /// Waits (up to 10 s) until at least `n` messages arrived, and returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "expected {n} message(s), got {}",
                messages.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn session(stream: TcpStream, shared: Shared) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    if write
        .write_all(b"220 localhost test SMTP\r\n")
        .await
        .is_err()
    {
        return;
    }
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 localhost\r\n",
            "MAIL" => {
                from = angle_address(&command);
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                to.push(angle_address(&command));
                b"250 OK\r\n"
            }
            "DATA" => {
                shared.data_begun.fetch_add(1, Ordering::SeqCst);
                if write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let mut data = String::new();
                loop {
                    line.clear();
                    match reader.read_until(b'\n', &mut line).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let text = String::from_utf8_lossy(&line);
                    if text.trim_end_matches(['\r', '\n']) == "." {
                        break;
                    }
                    data.push_str(text.strip_prefix('.').unwrap_or(&text));
                }
                let mail = ReceivedMail {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    data,
                };
                if !shared.answer.refuse {
                    // Taken in before the answer: a client that stops waiting has still sent it.
                    shared.messages.lock().expect("messages").push(mail);
                }
                tokio::time::sleep(shared.answer.delay).await;
                if shared.answer.refuse {
                    b"451 4.3.0 Try again later\r\n"
                } else {
                    b"250 OK queued\r\n"
                }
            }
            "RSET" => {
                from.clear();
                to.clear();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            }
            _ => b"502 Command not implemented\r\n",
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// `MAIL FROM:<a@b> SIZE=1` → `a@b`.
fn angle_address(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..]
        .find('>')
        .map_or(command.len(), |i| start + i);
    command[start..end].to_owned()
}

/// A MIME entity (the whole message, or one part of it) with its headers unfolded.
#[derive(Debug, Clone)]
pub struct Entity {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Entity {
    pub fn parse(raw: &str) -> Self {
        let (head, body) = raw
            .split_once("\r\n\r\n")
            .unwrap_or((raw.trim_end_matches("\r\n"), ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some((_, value)) = headers.last_mut() {
                    value.push_str(line);
                }
            } else if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
        Self {
            headers,
            body: body.to_owned(),
        }
    }

    /// Every raw (still encoded) value of a header.
    pub fn raw_headers(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A header's value with RFC 2047 encoded words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        self.raw_headers(name)
            .first()
            .map(|value| decode_words(value))
    }

    pub fn content_type(&self) -> String {
        self.header("Content-Type")
            .unwrap_or_else(|| "text/plain".into())
            .to_ascii_lowercase()
    }

    /// The parts of a multipart entity (none for a single part).
    pub fn parts(&self) -> Vec<Entity> {
        let content_type = self.header("Content-Type").unwrap_or_default();
        let Some(boundary) = content_type.split(';').find_map(|p| {
            p.trim()
                .strip_prefix("boundary=")
                .map(|b| b.trim_matches('"').to_owned())
        }) else {
            return Vec::new();
        };
        let delimiter = format!("--{boundary}");
        self.body
            .split(&delimiter)
            .skip(1)
            .take_while(|chunk| !chunk.starts_with("--"))
            .map(|chunk| Entity::parse(chunk.strip_prefix("\r\n").unwrap_or(chunk)))
            .collect()
    }

    /// The first single part (itself included) whose type starts with `mime`, body decoded.
    pub fn find_text(&self, mime: &str) -> Option<String> {
        if self.content_type().starts_with("multipart/") {
            return self.parts().iter().find_map(|p| p.find_text(mime));
        }
        self.content_type()
            .starts_with(mime)
            .then(|| self.decoded_body())
    }

    pub fn decoded_body(&self) -> String {
        let encoding = self
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let body = self.body.trim_end_matches("\r\n");
        let bytes = match encoding.as_str() {
            "base64" => base64_decode(body),
            "quoted-printable" => quoted_printable_decode(body, false),
            _ => body.as_bytes().to_vec(),
        };
        String::from_utf8(bytes)
            .expect("a UTF-8 body")
            .replace("\r\n", "\n")
    }
}

impl ReceivedMail {
    pub fn message(&self) -> Entity {
        Entity::parse(&self.data)
    }
}

/// Decodes `=?charset?B|Q?…?=` words (UTF-8 only); whitespace between two encoded words goes.
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    for (i, token) in value.split_whitespace().enumerate() {
        let decoded = token
            .strip_prefix("=?")
            .and_then(|t| t.strip_suffix("?="))
            .and_then(|t| {
                let mut pieces = t.splitn(3, '?');
                let _charset = pieces.next()?;
                let kind = pieces.next()?.to_ascii_lowercase();
                let text = pieces.next()?;
                match kind.as_str() {
                    "b" => Some(base64_decode(text)),
                    "q" => Some(quoted_printable_decode(text, true)),
                    _ => None,
                }
            });
        match decoded {
            Some(bytes) => {
                if i > 0 && !previous_encoded {
                    out.push(' ');
                }
                out.push_str(&String::from_utf8(bytes).expect("UTF-8 encoded word"));
                previous_encoded = true;
            }
            None => {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(token);
                previous_encoded = false;
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

/// Quoted-printable (RFC 2045), or the header "Q" form (RFC 2047) where `_` is a space.
fn quoted_printable_decode(text: &str, header: bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => out.push(b),
                    Err(_) => out.extend_from_slice(&bytes[i..i + 3]),
                }
                i += 3;
            }
            b'_' if header => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoders_read_what_mail_clients_write() {
        assert_eq!(base64_decode("0J/RgNC40LLQtdGC"), "Привет".as_bytes());
        assert_eq!(
            quoted_printable_decode("caf=C3=A9 =\r\nnoir", false),
            "café noir".as_bytes()
        );
        assert_eq!(
            decode_words("=?utf-8?b?0J/RgNC4?= =?utf-8?b?0LLQtdGC?= world"),
            "Привет world"
        );
        assert_eq!(decode_words("=?UTF-8?Q?a_b=3F?="), "a b?");
        assert_eq!(angle_address("MAIL FROM:<a@b.kz> SIZE=10"), "a@b.kz");
    }
}
