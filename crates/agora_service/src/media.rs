//! Uploaded images (avatars and banners): recognised by their first bytes, never by what the
//! client claims, decoded and encoded again — which drops every piece of metadata (EXIF, with a
//! photo's location), flattens animations and bounds the size — then stored under
//! `{data_dir}/media` named by their SHA-256 and served at `/media/`.

use crate::{Context, ServiceError, ServiceResult};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Largest image accepted.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// The format of accepted images (those Mastodon and browsers show), by their first bytes:
/// the file extension.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// The media type of an image file extension.
pub fn media_type_of_extension(ext: &str) -> Option<&'static str> {
    match ext {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// The media type of a stored file, from its name; `None` for names this node never made.
pub fn media_type_of(file: &str) -> Option<&'static str> {
    let (hash, ext) = file.split_once('.')?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) || ext == "jpeg" {
        return None;
    }
    media_type_of_extension(ext)
}

/// Where a stored file lives, for names this node made.
pub fn path_of(ctx: &Context, file: &str) -> Option<PathBuf> {
    media_type_of(file).map(|_| ctx.config.data_dir.join("media").join(file))
}

/// What an image is for, which bounds its size once stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Square-ish, shown small: at most 400×400.
    Avatar,
    /// Wide, across the top of a page: at most 1500×500.
    Banner,
}

impl Purpose {
    /// The picture a path or form names: `avatar` or `banner`.
    pub fn from_slot(slot: &str) -> Option<Purpose> {
        match slot {
            "avatar" => Some(Purpose::Avatar),
            "banner" => Some(Purpose::Banner),
            _ => None,
        }
    }

    fn max_size(self) -> (u32, u32) {
        match self {
            Purpose::Avatar => (400, 400),
            Purpose::Banner => (1500, 500),
        }
    }
}

/// Largest width or height accepted before decoding (a small file may claim a huge picture).
const MAX_DIMENSION: u32 = 4_096;

/// Most memory one decoding may take.
const MAX_DECODE_BYTES: u64 = 64 * 1024 * 1024;

/// Decodings at once: each may take `MAX_DECODE_BYTES` and a core, so uploads queue here
/// rather than exhaust the machine.
static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Decodes an accepted image and encodes it again without metadata, scaled down to fit
/// `purpose`: JPEG stays JPEG (quality 85), everything else becomes PNG.
pub fn reencode(bytes: &[u8], purpose: Purpose) -> ServiceResult<(Vec<u8>, &'static str)> {
    let unreadable = || ServiceError::invalid("image", "cannot be read as an image");
    let Some(ext) = sniff(bytes) else {
        return Err(ServiceError::invalid(
            "image",
            "PNG, JPEG, GIF or WebP only",
        ));
    };
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| unreadable())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => ServiceError::invalid(
            "image",
            format!("at most {MAX_DIMENSION} pixels wide and high"),
        ),
        _ => unreadable(),
    })?;
    let (max_w, max_h) = purpose.max_size();
    let fitted = if decoded.width() > max_w || decoded.height() > max_h {
        decoded.resize(max_w, max_h, image::imageops::FilterType::Lanczos3)
    } else {
        decoded
    };
    let mut out = std::io::Cursor::new(Vec::new());
    let kept_ext = if ext == "jpg" {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        fitted
            .to_rgb8()
            .write_with_encoder(encoder)
            .map_err(|_| unreadable())?;
        "jpg"
    } else {
        fitted
            .write_to(&mut out, image::ImageFormat::Png)
            .map_err(|_| unreadable())?;
        "png"
    };
    Ok((out.into_inner(), kept_ext))
}

/// Checks, cleans (see [`reencode`]) and stores an image; returns its public address. The same
/// image stored twice is one file.
pub async fn store_image(ctx: &Context, bytes: Vec<u8>, purpose: Purpose) -> ServiceResult<String> {
    if bytes.is_empty() {
        return Err(ServiceError::invalid("image", "the file is empty"));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ServiceError::new(
            agora_core::ErrorKind::PayloadTooLarge,
            format!("images are at most {} MB", MAX_IMAGE_BYTES / (1024 * 1024)),
        ));
    }
    // Decoding is CPU work: off the async threads, and a few at a time.
    let _permit = DECODES
        .acquire()
        .await
        .map_err(|e| ServiceError::new(agora_core::ErrorKind::Internal, e.to_string()))?;
    let (bytes, ext) = tokio::task::spawn_blocking(move || reencode(&bytes, purpose))
        .await
        .map_err(|e| ServiceError::new(agora_core::ErrorKind::Internal, e.to_string()))??;
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

#[cfg(test)]
mod tests {
    use super::{Purpose, reencode};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .expect("a JPEG");
        out.into_inner()
    }

    #[test]
    fn large_pictures_are_scaled_down_keeping_their_shape() {
        let (avatar, ext) = reencode(&jpeg(1200, 800), Purpose::Avatar).expect("re-encoded");
        assert_eq!(ext, "jpg");
        let decoded = image::load_from_memory(&avatar).expect("still an image");
        assert_eq!((decoded.width(), decoded.height()), (400, 267));
        let (banner, _) = reencode(&jpeg(3000, 600), Purpose::Banner).expect("re-encoded");
        let decoded = image::load_from_memory(&banner).expect("still an image");
        assert_eq!((decoded.width(), decoded.height()), (1500, 300));
        let (small, _) = reencode(&jpeg(64, 64), Purpose::Avatar).expect("re-encoded");
        let decoded = image::load_from_memory(&small).expect("still an image");
        assert_eq!(
            (decoded.width(), decoded.height()),
            (64, 64),
            "never scaled up"
        );
    }
}
