//! Confirmation e-mail through a real SMTP server (mailin-embedded, listening on 127.0.0.1).
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Node, eventually};
use serde_json::json;
use std::sync::{Arc, Mutex};

/// A message as the server received it: recipients and raw text.
type Received = (Vec<String>, String);

/// Collects every message the SMTP server accepts.
#[derive(Clone, Default)]
struct Sink {
    current: Vec<u8>,
    recipients: Vec<String>,
    delivered: Arc<Mutex<Vec<Received>>>,
}

impl mailin_embedded::Handler for Sink {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.current.clear();
        self.recipients = to.to_vec();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let text = String::from_utf8_lossy(&self.current).into_owned();
        self.delivered
            .lock()
            .unwrap()
            .push((self.recipients.clone(), text));
        mailin_embedded::response::OK
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn confirmation_mail_goes_through_smtp() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = Sink::default();
    let delivered = sink.delivered.clone();
    let mut server = mailin_embedded::Server::new(sink);
    server.with_name("smtp.test").with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });

    let a =
        Node::start_with(&[("AGORA_MAIL__SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]).await;
    let (status, body) = a
        .post_json(
            "/api/v1/accounts",
            None,
            &json!({"handle": "mia", "email": "mia@example.org", "password": "long enough pw"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (to, text) = eventually(30, "the confirmation mail at the SMTP server", || async {
        delivered.lock().unwrap().first().cloned()
    })
    .await;
    assert_eq!(to, vec!["mia@example.org".to_string()]);
    assert!(text.contains("confirm-email?token="), "{text}");
    assert!(text.contains("noreply@localhost"), "sender: {text}");
    // Nothing went to the fallback folder.
    assert!(!a.dir.join("mail").exists());
}
