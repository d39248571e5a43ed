//! Request bodies as the contract wants them: JSON or `application/x-www-form-urlencoded`, read
//! into one map of fields, then checked field by field so a 422 lists every broken rule.
//! Malformed syntax is a 400; a body type we do not read is a 415.

use std::future::Future;
use std::ops::RangeInclusive;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{ApiError, FieldError};

/// Bodies here are a few small fields; anything bigger is a mistake or an attack.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The fields of a JSON object or a urlencoded form.
#[derive(Debug, Default)]
pub struct Fields {
    map: Map<String, Value>,
    /// A form cannot say null: there an empty value stands for it.
    form: bool,
}

enum BodyKind {
    Json,
    Form,
}

impl FromRequest for Fields {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let kind = body_kind(req);
        let mut payload = payload.take();
        Box::pin(async move {
            let kind = kind?;
            let mut body = Vec::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| super::body_guard::problem(&e))?;
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(ApiError::PayloadTooLarge(format!(
                        "the body is over {MAX_BODY_BYTES} bytes"
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            match kind {
                BodyKind::Json => parse_json(&body),
                BodyKind::Form => Ok(parse_form(&body)),
            }
        })
    }
}

fn body_kind(req: &HttpRequest) -> Result<BodyKind, ApiError> {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return Ok(BodyKind::Json);
    };
    let essence = value
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "" | "application/json" => Ok(BodyKind::Json),
        "application/x-www-form-urlencoded" => Ok(BodyKind::Form),
        other if other.starts_with("application/") && other.ends_with("+json") => {
            Ok(BodyKind::Json)
        }
        other => Err(ApiError::UnsupportedMediaType(format!(
            "a body of type {other} is not accepted; send application/json or application/x-www-form-urlencoded"
        ))),
    }
}

fn parse_json(body: &[u8]) -> Result<Fields, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest(
            "the body is empty; send a JSON object".into(),
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(Fields { map, form: false }),
        Ok(_) => Err(ApiError::validation("body", "must be a JSON object")),
        Err(e) => Err(ApiError::BadRequest(format!("malformed JSON: {e}"))),
    }
}

fn parse_form(body: &[u8]) -> Fields {
    let map = form_pairs(body)
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    Fields { map, form: true }
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

/// A field in a PATCH: left out, set to null, or set to a value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Patch<T> {
    /// `None` = leave as is; `Some(None)` = clear; `Some(Some(v))` = set.
    pub fn into_change(self) -> Option<Option<T>> {
        match self {
            Self::Absent => None,
            Self::Null => Some(None),
            Self::Value(v) => Some(Some(v)),
        }
    }
}

/// Ids one bulk request (move, delete, restore) may name.
pub const MOST_IDS_PER_REQUEST: usize = 500;

/// Reads typed fields out of `Fields`, collecting one `FieldError` per broken rule.
pub struct FieldReader {
    fields: Map<String, Value>,
    form: bool,
    errors: Vec<FieldError>,
}

impl FieldReader {
    pub fn new(fields: Fields) -> Self {
        Self {
            fields: fields.map,
            form: fields.form,
            errors: Vec::new(),
        }
    }

    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Records `rule`'s complaint, if any, against `field`.
    pub fn check(&mut self, field: &str, rule: Result<(), String>) {
        if let Err(message) = rule {
            self.error(field, message);
        }
    }

    pub fn required_string(&mut self, name: &str) -> Option<String> {
        match self.patch_string(name) {
            Patch::Value(value) => Some(value),
            Patch::Absent | Patch::Null => {
                if !self.has_error(name) {
                    self.error(name, "is required");
                }
                None
            }
        }
    }

    pub fn optional_string(&mut self, name: &str) -> Option<String> {
        match self.patch_string(name) {
            Patch::Value(value) => Some(value),
            Patch::Absent | Patch::Null => None,
        }
    }

    /// Text is stored in Postgres, which cannot hold U+0000: such a value is a field error.
    pub fn patch_string(&mut self, name: &str) -> Patch<String> {
        match self.fields.remove(name) {
            None => Patch::Absent,
            Some(Value::Null) => Patch::Null,
            Some(Value::String(s)) if s.contains('\0') => {
                self.error(name, "must not contain the NUL character (U+0000)");
                Patch::Absent
            }
            Some(Value::String(s)) => Patch::Value(s),
            Some(_) => {
                self.error(name, "must be a string");
                Patch::Absent
            }
        }
    }

    /// The ids of a bulk request (`image_ids`, `ids`): 1 to 500, repeats dropped.
    pub fn id_batch(&mut self, name: &str) -> Vec<Uuid> {
        self.required_uuid_list(name, 1..=MOST_IDS_PER_REQUEST)
    }

    /// A JSON array of UUIDs, `counts` of them, repeats dropped (first one kept).
    pub fn required_uuid_list(&mut self, name: &str, counts: RangeInclusive<usize>) -> Vec<Uuid> {
        let items = match self.fields.remove(name) {
            Some(Value::Array(items)) => items,
            None | Some(Value::Null) => {
                self.error(name, "is required");
                return Vec::new();
            }
            Some(_) => {
                self.error(name, "must be an array of UUIDs");
                return Vec::new();
            }
        };
        if !counts.contains(&items.len()) {
            let (least, most) = (counts.start(), counts.end());
            self.error(name, format!("must hold {least} to {most} ids"));
            return Vec::new();
        }
        let parsed: Option<Vec<Uuid>> = items
            .iter()
            .map(|item| item.as_str().and_then(|s| Uuid::parse_str(s).ok()))
            .collect();
        let Some(ids) = parsed else {
            self.error(name, "must hold only UUIDs");
            return Vec::new();
        };
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        ids.into_iter().filter(|id| seen.insert(*id)).collect()
    }

    /// true, false, or left out (null is not a boolean); in a form, `true` and `false`.
    pub fn optional_bool(&mut self, name: &str) -> Option<bool> {
        match self.fields.remove(name) {
            None => None,
            Some(Value::Bool(value)) => Some(value),
            Some(Value::String(s)) if self.form && (s == "true" || s == "false") => {
                Some(s == "true")
            }
            Some(_) => {
                self.error(name, "must be true or false");
                None
            }
        }
    }

    /// A UUID or null; in a form (only), an empty value means null.
    pub fn patch_uuid(&mut self, name: &str) -> Patch<Uuid> {
        match self.patch_string(name) {
            Patch::Value(s) if s.is_empty() && self.form => Patch::Null,
            Patch::Value(s) => match Uuid::parse_str(&s) {
                Ok(id) => Patch::Value(id),
                Err(_) => {
                    self.error(name, "must be a UUID");
                    Patch::Absent
                }
            },
            other => other_patch(other),
        }
    }

    /// A UUID that must be there.
    pub fn required_uuid(&mut self, name: &str) -> Option<Uuid> {
        match self.patch_uuid(name) {
            Patch::Value(id) => Some(id),
            Patch::Null => {
                self.error(name, "is required");
                None
            }
            Patch::Absent => {
                if !self.has_error(name) {
                    self.error(name, "is required");
                }
                None
            }
        }
    }

    fn has_error(&self, name: &str) -> bool {
        self.errors.iter().any(|e| e.field == name)
    }

    /// Every rule checked: 422 with all complaints, or nothing.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

fn other_patch<T>(patch: Patch<String>) -> Patch<T> {
    match patch {
        Patch::Null => Patch::Null,
        Patch::Absent | Patch::Value(_) => Patch::Absent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reader(value: Value) -> FieldReader {
        match value {
            Value::Object(map) => FieldReader::new(Fields { map, form: false }),
            _ => unreachable!("tests pass objects"),
        }
    }

    fn field_names(result: Result<(), ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let mut r = reader(json!({}));
        r.required_string("username");
        r.required_string("password");
        assert_eq!(field_names(r.finish()), ["username", "password"]);
    }

    #[test]
    fn a_number_where_a_string_belongs_is_a_field_error() {
        let mut r = reader(json!({"username": 42}));
        assert_eq!(r.required_string("username"), None);
        assert_eq!(field_names(r.finish()), ["username"]);
    }

    #[test]
    fn a_nul_character_is_a_field_error_not_a_database_error() {
        let mut r = reader(json!({"name": "a\u{0}b", "password": "x\u{0}"}));
        assert_eq!(r.required_string("name"), None);
        assert_eq!(r.patch_string("password"), Patch::Absent);
        assert_eq!(field_names(r.finish()), ["name", "password"]);
    }

    #[test]
    fn patch_tells_absent_from_null() {
        let mut r = reader(json!({"a": null, "b": "x"}));
        assert_eq!(r.patch_string("a"), Patch::Null);
        assert_eq!(r.patch_string("b"), Patch::Value("x".into()));
        assert_eq!(r.patch_string("c"), Patch::Absent);
        assert!(r.finish().is_ok());
    }

    #[test]
    fn a_bad_uuid_is_a_field_error_and_empty_means_null_only_in_a_form() {
        let mut r = reader(json!({"parent_id": "nope", "other": ""}));
        assert_eq!(r.patch_uuid("parent_id"), Patch::Absent);
        assert_eq!(r.patch_uuid("other"), Patch::Absent);
        assert_eq!(field_names(r.finish()), ["parent_id", "other"]);

        let mut r = FieldReader::new(parse_form(b"parent_id="));
        assert_eq!(r.patch_uuid("parent_id"), Patch::Null);
        assert!(r.finish().is_ok());
    }

    #[test]
    fn json_syntax_errors_are_bad_requests_and_arrays_are_invalid() {
        assert!(matches!(
            parse_json(b"{\"a\":"),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(parse_json(b""), Err(ApiError::BadRequest(_))));
        assert!(matches!(parse_json(b"[1]"), Err(ApiError::Validation(_))));
    }

    #[test]
    fn forms_become_string_fields() {
        let fields = parse_form(b"username=alice&password=p%40ss+word&grant_type=password");
        assert!(fields.form);
        assert_eq!(fields.map["password"], "p@ss word");
        assert_eq!(fields.map["grant_type"], "password");
    }
}
