//! Outgoing e-mail: queued as jobs, sent through SMTP when configured, otherwise written as
//! `.eml` files under `{data_dir}/mail` so a fresh node works without a mail server.

use crate::{
    Context,
    jobs::{self, Job, JobKind},
};
use agora_db::{DbConn, error::DbResult};
use serde::{Deserialize, Serialize};

/// One message to send.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// A message is sent again if its worker dies between sending and recording it: a rare
/// duplicate mail is better than a lost confirmation link.
impl Job for Mail {
    const KIND: JobKind = JobKind::Mail;
    const MAX_ATTEMPTS: i32 = 10;
}

/// Queues a message.
pub fn queue(conn: &mut DbConn, mail: &Mail) -> DbResult<()> {
    jobs::enqueue(conn, std::slice::from_ref(mail))
}

/// Why a message could not be sent (the job is retried).
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message could not be built (bad address).
    #[error("cannot build message: {0}")]
    Build(String),
    /// The SMTP server or the folder refused it.
    #[error("cannot send message: {0}")]
    Send(String),
}

/// Sends one message now (called by the job worker).
pub async fn send(ctx: &Context, mail: &Mail) -> Result<(), MailError> {
    use lettre::{AsyncTransport, Message, message::header::ContentType};
    let message = Message::builder()
        .from(
            ctx.config
                .mail_from()
                .parse()
                .map_err(|e: lettre::address::AddressError| MailError::Build(e.to_string()))?,
        )
        .to(mail
            .to
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Build(e.to_string()))?)
        .subject(&mail.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| MailError::Build(e.to_string()))?;
    if ctx.config.mail.smtp_url.is_empty() {
        let dir = ctx.config.data_dir.join("mail");
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| MailError::Send(e.to_string()))?;
        let transport = lettre::AsyncFileTransport::<lettre::Tokio1Executor>::new(&dir);
        transport
            .send(message)
            .await
            .map_err(|e| MailError::Send(e.to_string()))?;
    } else {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(
            &ctx.config.mail.smtp_url,
        )
        .map_err(|e| MailError::Send(e.to_string()))?
        .build();
        transport
            .send(message)
            .await
            .map_err(|e| MailError::Send(e.to_string()))?;
    }
    Ok(())
}
