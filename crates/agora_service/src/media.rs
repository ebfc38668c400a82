//! Uploaded images (avatars and banners): recognised by their first bytes, never by what the
//! client claims, stored under `{data_dir}/media` named by their SHA-256, served at `/media/`.

use crate::{Context, ServiceError, ServiceResult};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Largest image accepted.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// The formats accepted (those Mastodon and browsers show): extension and media type.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some(("jpg", "image/jpeg"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(("gif", "image/gif"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("webp", "image/webp"))
    } else {
        None
    }
}

/// The media type of a stored file, from its name; `None` for names this node never made.
pub fn media_type_of(file: &str) -> Option<&'static str> {
    let (hash, ext) = file.split_once('.')?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match ext {
        "png" => Some("image/png"),
        "jpg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// Where a stored file lives, for names this node made.
pub fn path_of(ctx: &Context, file: &str) -> Option<PathBuf> {
    media_type_of(file).map(|_| ctx.config.data_dir.join("media").join(file))
}

/// Checks and stores an image; returns its public address. The same image stored twice is
/// one file.
pub async fn store_image(ctx: &Context, bytes: Vec<u8>) -> ServiceResult<String> {
    if bytes.is_empty() {
        return Err(ServiceError::invalid("image", "the file is empty"));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ServiceError::new(
            agora_core::ErrorKind::PayloadTooLarge,
            format!("images are at most {} MB", MAX_IMAGE_BYTES / (1024 * 1024)),
        ));
    }
    let Some((ext, _)) = sniff(&bytes) else {
        return Err(ServiceError::invalid(
            "image",
            "PNG, JPEG, GIF or WebP only",
        ));
    };
    let name = format!("{}.{ext}", hex::encode(Sha256::digest(&bytes)));
    let dir = ctx.config.data_dir.join("media");
    let target = dir.join(&name);
    let write = {
        let target = target.clone();
        move || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir)?;
            if target.exists() {
                return Ok(());
            }
            // Written aside then renamed: a reader never sees half a file.
            let partial = dir.join(format!("{}.part", uuid::Uuid::new_v4()));
            std::fs::write(&partial, &bytes)?;
            std::fs::rename(&partial, &target)
        }
    };
    tokio::task::spawn_blocking(write)
        .await
        .map_err(|e| ServiceError::new(agora_core::ErrorKind::Internal, e.to_string()))?
        .map_err(|e| {
            tracing::error!(path = %target.display(), error = %e, "cannot store an image");
            ServiceError::new(agora_core::ErrorKind::Internal, "cannot store the image")
        })?;
    Ok(ctx.urls.media(&name))
}
