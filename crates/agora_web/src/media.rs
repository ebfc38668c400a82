//! `GET /media/{file}`: uploaded images, served with their own type, never sniffed.

use crate::{
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpResponse, get, http::header, web};
use agora_core::ErrorKind;
use agora_service::media;

/// One stored image. Names are content hashes, so a file never changes: cached for a year.
#[get("/media/{file}")]
pub async fn get_media(
    state: web::Data<WebState>,
    file: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let not_found = || HttpError::json(ErrorKind::NotFound, "no such file");
    let (Some(media_type), Some(path)) = (
        media::media_type_of(&file),
        media::path_of(&state.ctx, &file),
    ) else {
        return Err(not_found());
    };
    let bytes = tokio::fs::read(&path).await.map_err(|_| not_found())?;
    Ok(HttpResponse::Ok()
        .content_type(media_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"))
        .body(bytes))
}
