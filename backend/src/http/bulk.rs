//! `POST /images/move` and `POST /images/delete`: up to 500 images at once.

use actix_web::{HttpResponse, web};

use super::body::{FieldReader, Fields};
use crate::auth::AuthUser;
use crate::bulk;
use crate::error::ApiError;
use crate::state::AppState;

type State = web::Data<AppState>;

pub async fn move_images(
    state: State,
    user: AuthUser,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let mut reader = FieldReader::new(fields);
    let ids = reader.id_batch("image_ids");
    let album = reader.required_uuid("album_id");
    reader.finish()?;
    let album = album.ok_or_else(|| ApiError::validation("album_id", "is required"))?;
    let outcome = state
        .db
        .run(move |conn| bulk::move_images(conn, user.id, &ids, album))
        .await?;
    Ok(HttpResponse::Ok().json(outcome))
}

pub async fn delete_images(
    state: State,
    user: AuthUser,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let mut reader = FieldReader::new(fields);
    let ids = reader.id_batch("image_ids");
    let permanent = reader.optional_bool("permanent").unwrap_or(false);
    reader.finish()?;
    let outcome = bulk::delete_images(&state.images, user.id, ids, permanent).await?;
    Ok(HttpResponse::Ok().json(outcome))
}
