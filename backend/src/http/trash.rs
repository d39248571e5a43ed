//! `/trash`: what the user deleted, to restore or purge.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::{FieldReader, Fields};
use super::pagination::{Page, cursor_time, decode_cursor, parse_limit, split_page};
use super::query::{QueryParams, path_id};
use crate::auth::AuthUser;
use crate::db::trash::TrashKey;
use crate::error::ApiError;
use crate::state::AppState;
use crate::trash::{self, TrashItem};

type State = web::Data<AppState>;

/// The trash listing's cursor: the last item's deletion time (µs) and id.
#[derive(Serialize, Deserialize)]
struct TrashCursor {
    t: i64,
    i: Uuid,
}

impl TrashCursor {
    fn of(item: &TrashItem) -> Self {
        Self {
            t: item.deleted_at.timestamp_micros(),
            i: item.id,
        }
    }

    fn key(self) -> Result<TrashKey, ApiError> {
        Ok(TrashKey {
            deleted_at: cursor_time(self.t)?,
            id: self.i,
        })
    }
}

pub async fn list(
    state: State,
    user: AuthUser,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let query = QueryParams::parse(req.query_string())?;
    let limit = parse_limit(query.get("limit"))?;
    let after = query
        .get("cursor")
        .map(decode_cursor::<TrashCursor>)
        .transpose()?
        .map(TrashCursor::key)
        .transpose()?;
    let retention = state.images.trash_retention;
    let items = state
        .db
        .run(move |conn| trash::list(conn, user.id, after, limit + 1, retention))
        .await?;
    let (items, next_cursor) = split_page(items, limit, TrashCursor::of);
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

pub async fn restore(
    state: State,
    user: AuthUser,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let mut reader = FieldReader::new(fields);
    let ids = reader.id_batch("ids");
    reader.finish()?;
    let outcome = state
        .db
        .run(move |conn| trash::restore(conn, user.id, &ids))
        .await?;
    Ok(HttpResponse::Ok().json(outcome))
}

pub async fn empty(state: State, user: AuthUser) -> Result<HttpResponse, ApiError> {
    trash::empty(&state.images, user.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn purge(
    state: State,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id).ok_or(ApiError::NotFound)?;
    trash::purge_one(&state.images, user.id, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
