DROP INDEX albums_cover_image_idx;
DROP INDEX images_trashed_with_idx;
DROP INDEX albums_trashed_with_idx;
DROP INDEX images_trash_idx;
DROP INDEX albums_trash_idx;
-- Trashed rows have no place without the trash: they go.
DELETE FROM images WHERE deleted_at IS NOT NULL;
DELETE FROM albums WHERE deleted_at IS NOT NULL;
DROP INDEX images_album_recent_idx;
CREATE INDEX images_album_recent_idx ON images (album_id, created_at DESC, id DESC);
DROP INDEX images_owner_recent_idx;
CREATE INDEX images_owner_recent_idx ON images (owner_id, created_at DESC, id DESC);
DROP INDEX albums_listing_idx;
CREATE INDEX albums_listing_idx ON albums (owner_id, parent_id, name_key, id);
ALTER TABLE albums DROP CONSTRAINT albums_cover_image_fk;
ALTER TABLE images DROP COLUMN trashed_with, DROP COLUMN deleted_at;
ALTER TABLE albums DROP COLUMN cover_image_id, DROP COLUMN trashed_with, DROP COLUMN deleted_at;
