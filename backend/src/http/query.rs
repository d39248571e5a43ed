//! Query strings, read leniently (unknown parameters are ignored) and parsed strictly.

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::ApiError;

pub struct QueryParams(HashMap<String, String>);

impl QueryParams {
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|_| ApiError::BadRequest("the query string is malformed".into()))?;
        Ok(Self(
            pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect(),
        ))
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

/// An id in a path that is not a UUID names nothing: 404.
pub fn path_id(raw: &str) -> Option<Uuid> {
    Uuid::parse_str(raw).ok()
}
