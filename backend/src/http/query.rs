//! Query strings, read leniently (unknown parameters are ignored) and parsed strictly.

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::ApiError;

pub struct QueryParams(HashMap<String, String>);

impl QueryParams {
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|_| ApiError::BadRequest("the query string is malformed".into()))?;
        // An empty value is still a value: `?parent_id=` is not a UUID (400), not "absent".
        Ok(Self(pairs.into_iter().collect()))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A UUID parameter; anything else is a 400.
    pub fn uuid(&self, name: &str) -> Result<Option<Uuid>, ApiError> {
        self.get(name)
            .map(|raw| {
                Uuid::parse_str(raw)
                    .map_err(|_| ApiError::BadRequest(format!("{name} must be a UUID")))
            })
            .transpose()
    }
}

impl QueryParams {
    /// `true` or `false` (absent: false); anything else is a 400.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(_) => Err(ApiError::BadRequest(format!(
                "{name} must be true or false"
            ))),
        }
    }
}

/// An id in a path that is not a UUID names nothing: 404.
pub fn path_id(raw: &str) -> Option<Uuid> {
    Uuid::parse_str(raw).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_value_is_present_and_must_still_parse() {
        let query = QueryParams::parse("parent_id=&cursor=").expect("parses");
        assert_eq!(query.get("cursor"), Some(""));
        assert!(matches!(
            query.uuid("parent_id"),
            Err(ApiError::BadRequest(_))
        ));
        assert_eq!(QueryParams::parse("").expect("parses").get("cursor"), None);
    }
}
