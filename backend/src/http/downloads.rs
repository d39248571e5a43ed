//! `GET /albums/{id}/download`: the album's tree as a ZIP.

use actix_web::http::header::{
    CacheControl, CacheDirective, Charset, ContentDisposition, DispositionParam, DispositionType,
    ExtendedValue,
};
use actix_web::{HttpRequest, HttpResponse, web};

use super::query::{QueryParams, path_id};
use crate::auth::Viewer;
use crate::downloads::{self, archive};
use crate::error::ApiError;
use crate::imaging::Size;
use crate::state::AppState;

type State = web::Data<AppState>;

pub async fn album(
    state: State,
    viewer: Viewer,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let query = QueryParams::parse(req.query_string())?;
    let requested = match query.get("size") {
        None => None,
        Some("original") => Some(Size::Original),
        Some("large") => Some(Size::Large),
        Some(_) => {
            return Err(ApiError::BadRequest(
                "size must be original or large".into(),
            ));
        }
    };
    let id = path_id(&id);
    let plan = state
        .db
        .run(move |conn| downloads::plan(conn, viewer, id, requested))
        .await?;
    let body = archive::stream(state.images.storage.clone(), plan.size, plan.entries);
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(attachment(&format!("{}.zip", plan.album_name)))
        .insert_header(CacheControl(vec![
            CacheDirective::Private,
            CacheDirective::NoStore,
        ]))
        .streaming(body))
}

/// `attachment; filename="…"` with an ASCII stand-in, and RFC 6266 `filename*` carrying the
/// real name when it is not plain printable ASCII.
fn attachment(name: &str) -> ContentDisposition {
    let plain =
        name.chars().all(|c| c.is_ascii_graphic() || c == ' ') && !name.contains(['"', '\\']);
    let fallback: String = name
        .chars()
        .map(|c| match c {
            '"' | '\\' | '/' => '_',
            c if c.is_ascii_graphic() || c == ' ' => c,
            _ => '_',
        })
        .collect();
    let mut parameters = vec![DispositionParam::Filename(fallback)];
    if !plain {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: name.as_bytes().to_vec(),
        }));
    }
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ascii_name_is_sent_as_it_is() {
        assert_eq!(
            attachment("Trip 2026.zip").to_string(),
            "attachment; filename=\"Trip 2026.zip\""
        );
    }

    #[test]
    fn a_unicode_name_gets_a_stand_in_and_filename_star() {
        assert_eq!(
            attachment("Été.zip").to_string(),
            "attachment; filename=\"_t_.zip\"; filename*=UTF-8''%C3%89t%C3%A9.zip"
        );
    }
}
