-- The trash: a deleted album or image keeps its rows (and bytes) until purged. `deleted_at` is
-- set on every row that went, `trashed_with` names the item that was deleted directly (the row
-- itself, or the album whose tree it went with), so a restore brings back exactly what went
-- together. A live album's parent and a live image's album are always live.
ALTER TABLE albums
    ADD COLUMN deleted_at timestamptz,
    ADD COLUMN trashed_with uuid,
    -- the chosen cover (null: automatic); it only counts while the image is live in the tree
    ADD COLUMN cover_image_id uuid,
    ADD CONSTRAINT albums_trash_consistent CHECK ((deleted_at IS NULL) = (trashed_with IS NULL));
ALTER TABLE images
    ADD COLUMN deleted_at timestamptz,
    ADD COLUMN trashed_with uuid,
    ADD CONSTRAINT images_trash_consistent CHECK ((deleted_at IS NULL) = (trashed_with IS NULL));
ALTER TABLE albums
    ADD CONSTRAINT albums_cover_image_fk FOREIGN KEY (cover_image_id)
        REFERENCES images (id) ON DELETE SET NULL;

-- The listings see live rows only.
DROP INDEX albums_listing_idx;
CREATE INDEX albums_listing_idx ON albums (owner_id, parent_id, name_key, id) WHERE deleted_at IS NULL;
DROP INDEX images_owner_recent_idx;
CREATE INDEX images_owner_recent_idx ON images (owner_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
DROP INDEX images_album_recent_idx;
CREATE INDEX images_album_recent_idx ON images (album_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;

-- The trash listing (what was deleted directly, newest first) and what went with each item.
CREATE INDEX albums_trash_idx ON albums (owner_id, deleted_at DESC, id DESC) WHERE trashed_with = id;
CREATE INDEX images_trash_idx ON images (owner_id, deleted_at DESC, id DESC) WHERE trashed_with = id;
CREATE INDEX albums_trashed_with_idx ON albums (trashed_with) WHERE trashed_with IS NOT NULL;
CREATE INDEX images_trashed_with_idx ON images (trashed_with) WHERE trashed_with IS NOT NULL;
CREATE INDEX albums_cover_image_idx ON albums (cover_image_id) WHERE cover_image_id IS NOT NULL;
