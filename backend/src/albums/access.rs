//! Who may do what to an album. Owners do anything; anyone may read a public album; another
//! user's private album does not exist for them (404); writing into another user's public album
//! is forbidden (403); without credentials everything that is not public is a 401.

use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// The facts about an album that access depends on.
#[derive(Debug, Clone, Copy)]
pub struct Guarded {
    pub owner_id: Uuid,
    pub public: bool,
}

pub fn authorize(album: Option<Guarded>, viewer: Viewer, access: Access) -> Result<(), ApiError> {
    match (viewer, album) {
        (Viewer::Anonymous, Some(album)) if album.public && access == Access::Read => Ok(()),
        (Viewer::Anonymous, _) => Err(ApiError::unauthorized()),
        (Viewer::User(_), None) => Err(ApiError::NotFound),
        (Viewer::User(user), Some(album)) if album.owner_id == user => Ok(()),
        (Viewer::User(_), Some(album)) if album.public => match access {
            Access::Read => Ok(()),
            Access::Write => Err(ApiError::Forbidden(
                "this public album belongs to someone else; you may only view it".into(),
            )),
        },
        (Viewer::User(_), Some(_)) => Err(ApiError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::ResponseError;

    fn status(album: Option<Guarded>, viewer: Viewer, access: Access) -> u16 {
        match authorize(album, viewer, access) {
            Ok(()) => 200,
            Err(e) => e.status_code().as_u16(),
        }
    }

    #[test]
    fn the_access_table() {
        let owner = Uuid::now_v7();
        let other = Viewer::User(Uuid::now_v7());
        let me = Viewer::User(owner);
        let private = Some(Guarded {
            owner_id: owner,
            public: false,
        });
        let public = Some(Guarded {
            owner_id: owner,
            public: true,
        });
        use Access::{Read, Write};
        use Viewer::Anonymous;
        let table = [
            (private, me, Read, 200, "owner reads"),
            (private, me, Write, 200, "owner writes"),
            (private, other, Read, 404, "no existence leak"),
            (private, other, Write, 404, "no existence leak"),
            (public, other, Read, 200, "public is readable"),
            (public, other, Write, 403, "public is not writable"),
            (public, Anonymous, Read, 200, "visitors read public"),
            (public, Anonymous, Write, 401, "visitors write nothing"),
            (private, Anonymous, Read, 401, "no credentials"),
            (
                None,
                Anonymous,
                Read,
                401,
                "no credentials, whether or not it exists",
            ),
            (None, me, Read, 404, "missing"),
        ];
        for (album, viewer, access, expected, why) in table {
            assert_eq!(status(album, viewer, access), expected, "{why}");
        }
    }
}
