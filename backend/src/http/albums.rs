use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::{FieldReader, Fields, Patch};
use super::pagination::{Page, decode_cursor, parse_limit, split_page};
use super::query::{QueryParams, path_id};
use crate::albums::{self, Access, AlbumPatch, NewAlbumInput, Visibility};
use crate::auth::{AuthUser, Viewer};
use crate::db::album_trees::Scope;
use crate::db::albums::{AlbumKey, AlbumRow};
use crate::error::ApiError;
use crate::state::AppState;

type State = web::Data<AppState>;

/// The albums listing's cursor: the last album's sort key.
#[derive(Serialize, Deserialize)]
struct AlbumCursor {
    k: String,
    i: Uuid,
}

impl From<&AlbumRow> for AlbumCursor {
    fn from(row: &AlbumRow) -> Self {
        Self {
            k: row.name_key.clone(),
            i: row.id,
        }
    }
}

pub async fn list(
    state: State,
    user: AuthUser,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let query = QueryParams::parse(req.query_string())?;
    let limit = parse_limit(query.get("limit"))?;
    let parent = query.uuid("parent_id")?;
    let after = query
        .get("cursor")
        .map(decode_cursor::<AlbumCursor>)
        .transpose()?
        .map(|c| AlbumKey {
            name_key: c.k,
            id: c.i,
        });
    let shared = state.clone();
    let page = state
        .db
        .run(move |conn| {
            let rows = albums::list(conn, user.id, parent, after.as_ref(), limit + 1)?;
            let (rows, next_cursor) = split_page(rows, limit, |row| AlbumCursor::from(row));
            Ok::<_, ApiError>(Page {
                items: albums::render(conn, rows, &shared.images.signer, Scope::Whole)?,
                next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

pub async fn create(
    state: State,
    user: AuthUser,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let input = read_new_album(fields)?;
    let shared = state.clone();
    let album = state
        .db
        .run(move |conn| {
            let row = albums::create(conn, user.id, input)?;
            albums::render_one(conn, row, &shared.images.signer, user.into())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/albums/{}", album.id)))
        .json(album))
}

pub async fn get(
    state: State,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id);
    let shared = state.clone();
    let album = state
        .db
        .run(move |conn| {
            let row = albums::load(conn, viewer, id, Access::Read)?;
            albums::render_one(conn, row, &shared.images.signer, viewer)
        })
        .await?;
    Ok(HttpResponse::Ok().json(album))
}

pub async fn update(
    state: State,
    user: AuthUser,
    id: web::Path<String>,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let user = user.id;
    let id = path_id(&id).ok_or(ApiError::NotFound)?;
    let patch = read_album_patch(fields)?;
    let shared = state.clone();
    let album = state
        .db
        .run(move |conn| {
            let row = albums::update(conn, user, id, patch)?;
            albums::render_one(conn, row, &shared.images.signer, Viewer::User(user))
        })
        .await?;
    Ok(HttpResponse::Ok().json(album))
}

/// To the trash with its tree; with `?permanent=true`, for good.
pub async fn delete(
    state: State,
    user: AuthUser,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let permanent = QueryParams::parse(req.query_string())?.flag("permanent")?;
    let id = path_id(&id).ok_or(ApiError::NotFound)?;
    if permanent {
        crate::images::removal::delete_album(&state.images, user.id, id).await?;
    } else {
        crate::trash::trash_album(&state.images, user.id, id).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

fn read_new_album(fields: Fields) -> Result<NewAlbumInput, ApiError> {
    let mut reader = FieldReader::new(fields);
    let name = reader.required_string("name");
    if let Some(name) = &name {
        reader.check("name", albums::check_name(name));
    }
    let description = reader.optional_string("description");
    if let Some(description) = &description {
        reader.check("description", albums::check_description(description));
    }
    let parent_id = match reader.patch_uuid("parent_id") {
        Patch::Value(id) => Some(id),
        Patch::Absent | Patch::Null => None,
    };
    reader.finish()?;
    Ok(NewAlbumInput {
        name: name.unwrap_or_default(),
        description,
        parent_id,
    })
}

fn read_album_patch(fields: Fields) -> Result<AlbumPatch, ApiError> {
    let mut reader = FieldReader::new(fields);
    let name = match reader.patch_string("name") {
        Patch::Value(name) => {
            reader.check("name", albums::check_name(&name));
            Some(name)
        }
        Patch::Null => {
            reader.error("name", "must not be null");
            None
        }
        Patch::Absent => None,
    };
    let description = reader.patch_string("description");
    if let Patch::Value(description) = &description {
        reader.check("description", albums::check_description(description));
    }
    let parent_id = reader.patch_uuid("parent_id");
    let visibility = match reader.patch_string("visibility") {
        Patch::Value(raw) => {
            let parsed = Visibility::parse(&raw);
            if parsed.is_none() {
                reader.error("visibility", "must be \"private\" or \"public\"");
            }
            parsed
        }
        Patch::Null => {
            reader.error("visibility", "must be \"private\" or \"public\"");
            None
        }
        Patch::Absent => None,
    };
    let cover_image_id = reader.patch_uuid("cover_image_id");
    reader.finish()?;
    Ok(AlbumPatch {
        name,
        description: description.into_change(),
        parent_id: parent_id.into_change(),
        visibility,
        cover_image_id: cover_image_id.into_change(),
    })
}
