//! `POST /images/move` and `POST /images/delete`: up to 500 images at once.

use actix_web::{HttpResponse, web};

use super::body::{FieldReader, Fields};
use crate::auth::AuthUser;
use crate::bulk;
use crate::error::ApiError;
use crate::state::AppState;

type State = web::Data<AppState>;

/// Ids one bulk request may name.
const MOST_IDS: usize = 500;

pub async fn move_images(
    state: State,
    user: AuthUser,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let mut reader = FieldReader::new(fields);
    let ids = reader.required_uuid_list("image_ids", 1..=MOST_IDS);
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
    let ids = reader.required_uuid_list("image_ids", 1..=MOST_IDS);
    let permanent = reader.optional_bool("permanent").unwrap_or(false);
    reader.finish()?;
    let outcome = bulk::delete_images(&state.images, user.id, ids, permanent).await?;
    Ok(HttpResponse::Ok().json(outcome))
}
