//! Turns an outbox row into a MIME message: a plain-text part always, an HTML alternative when
//! there is one, the recipient's language in `Content-Language`, and header text that cannot
//! carry line breaks.

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use super::models::PendingEmail;
use crate::i18n::Lang;

/// Longest display name or subject kept; longer ones are cut (at a character boundary).
const MAX_HEADER_CHARS: usize = 250;

/// `Content-Language` (RFC 3282), which lettre does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ContentLanguage(Lang);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Lang::parse(s)
            .map(Self)
            .ok_or_else(|| format!("unsupported language {s:?}").into())
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.code().to_owned())
    }
}

/// Text for a header: control characters (CR and LF among them) and Unicode line/paragraph
/// separators become spaces, runs of whitespace one space, and the result is trimmed and capped.
/// lettre encodes what remains, so a name or subject can never start a header of its own.
pub(super) fn header_text(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    cleaned
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_HEADER_CHARS)
        .collect()
}

/// The message for one outbox row. The `Message-ID` is derived from the row, so a message that
/// is retried (or sent twice after a crash) keeps one id and receivers can tell the copies apart.
pub(super) fn build(email: &PendingEmail, sender: &Mailbox) -> Result<Message, String> {
    let address: Address = email
        .recipient
        .trim()
        .parse()
        .map_err(|e| format!("invalid recipient address: {e}"))?;
    let name = header_text(&email.recipient_name);
    let recipient = Mailbox::new((!name.is_empty()).then_some(name), address);
    let lang = Lang::parse(&email.language).unwrap_or_default();
    let message_id = format!(
        "<outbox.{}.{}@{}>",
        email.id,
        email.created_at.and_utc().timestamp_micros(),
        sender.email.domain()
    );
    let builder = Message::builder()
        .from(sender.clone())
        .to(recipient)
        .subject(header_text(&email.subject))
        .message_id(Some(message_id))
        .header(ContentLanguage(lang));
    let text = SinglePart::plain(email.body_text.clone());
    let built = match &email.body_html {
        Some(html) => builder.multipart(
            MultiPart::alternative()
                .singlepart(text)
                .singlepart(SinglePart::html(html.clone())),
        ),
        None => builder.singlepart(text),
    };
    built.map_err(|e| format!("cannot build the message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(name: &str, subject: &str, html: Option<&str>) -> PendingEmail {
        PendingEmail {
            id: 7,
            recipient: "aigerim@example.kz".into(),
            recipient_name: name.into(),
            language: "ru".into(),
            subject: subject.into(),
            body_text: "Здравствуйте!\nСсылка: https://ustaz.kz/x".into(),
            body_html: html.map(str::to_owned),
            created_at: chrono::DateTime::from_timestamp(1_700_000_000, 0)
                .expect("time")
                .naive_utc(),
            attempts: 0,
        }
    }

    fn sender() -> Mailbox {
        "Ustaz <no-reply@ustaz.kz>".parse().expect("sender")
    }

    fn head(message: &Message) -> String {
        let raw = String::from_utf8(message.formatted()).expect("utf-8");
        raw.split("\r\n\r\n").next().unwrap_or_default().to_owned()
    }

    #[test]
    fn header_text_removes_line_breaks_and_controls() {
        assert_eq!(
            header_text("Hi\r\nBcc: evil@x.kz"),
            "Hi Bcc: evil@x.kz".to_owned()
        );
        assert_eq!(header_text("a\u{2028}b\u{85}c\u{0}d\te"), "a b c d e");
        assert_eq!(header_text("  Айгерим   Садыкова \n"), "Айгерим Садыкова");
        assert_eq!(
            header_text(&"я".repeat(400)).chars().count(),
            MAX_HEADER_CHARS
        );
    }

    #[test]
    fn injected_headers_stay_inside_their_own_header() {
        let message = build(
            &pending(
                "Evil\r\nBcc: evil@x.kz",
                "Hello\r\nBcc: evil@x.kz\nX-Other: 1",
                None,
            ),
            &sender(),
        )
        .expect("message");
        let head = head(&message);
        for line in head.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            assert!(
                !lower.starts_with("bcc:") && !lower.starts_with("x-other:"),
                "{head}"
            );
        }
        let to: Vec<String> = message
            .envelope()
            .to()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(to, vec!["aigerim@example.kz".to_owned()]);
    }

    #[test]
    fn plain_text_alone_or_with_an_html_alternative() {
        let plain = build(&pending("Айгерим", "Тема", None), &sender()).expect("plain");
        let head_plain = head(&plain);
        assert!(head_plain.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(head_plain.contains("Content-Language: ru"), "{head_plain}");
        assert!(head_plain.contains("Message-ID: <outbox.7.1700000000000000@ustaz.kz>"));

        let both = build(
            &pending("Айгерим", "Тема", Some("<p>Здравствуйте!</p>")),
            &sender(),
        )
        .expect("alternative");
        let raw = String::from_utf8(both.formatted()).expect("utf-8");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        let plain_at = raw.find("Content-Type: text/plain").expect("text part");
        let html_at = raw.find("Content-Type: text/html").expect("html part");
        assert!(plain_at < html_at, "the preferred (HTML) part comes last");
    }

    #[test]
    fn a_bad_address_is_an_error_not_a_panic() {
        let mut email = pending("x", "y", None);
        email.recipient = "not an address".into();
        assert!(build(&email, &sender()).is_err());
    }

    #[test]
    fn content_language_round_trips() {
        let value = ContentLanguage(Lang::Kk).display();
        assert_eq!(
            ContentLanguage::parse("kk").expect("kk"),
            ContentLanguage(Lang::Kk)
        );
        assert!(ContentLanguage::parse("de").is_err());
        let mut headers = lettre::message::header::Headers::new();
        headers.insert_raw(value);
        assert_eq!(headers.to_string(), "Content-Language: kk\r\n");
    }
}
