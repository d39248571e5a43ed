-- Photo facts read from EXIF at upload, the grid placeholder, and the WebP/AVIF renditions
-- that jobs make after the upload answer.
ALTER TABLE images
    -- the instant taken; with `taken_offset_minutes` null it is the camera's wall-clock time
    -- read as UTC (the file said no offset: shown with the `-00:00` suffix)
    ADD COLUMN taken_at timestamptz,
    ADD COLUMN taken_offset_minutes smallint,
    ADD COLUMN camera_make text,
    ADD COLUMN camera_model text,
    ADD COLUMN camera_lens text,
    ADD COLUMN iso integer,
    ADD COLUMN f_number double precision,
    ADD COLUMN exposure_time text,
    ADD COLUMN focal_length_mm double precision,
    ADD COLUMN latitude double precision,
    ADD COLUMN longitude double precision,
    ADD COLUMN thumbhash text NOT NULL DEFAULT '',
    ADD COLUMN color text NOT NULL DEFAULT '#808080',
    ADD CONSTRAINT images_location_whole CHECK ((latitude IS NULL) = (longitude IS NULL)),
    ADD CONSTRAINT images_offset_needs_time CHECK (taken_offset_minutes IS NULL OR taken_at IS NOT NULL);

-- sort=taken_at: newest first, undated last, ties by id; one index per listing scope.
CREATE INDEX images_owner_taken_idx ON images (owner_id, taken_at DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX images_album_taken_idx ON images (album_id, taken_at DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
-- q=: a case-insensitive substring of the filename (ILIKE through trigrams).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX images_filename_trgm_idx ON images USING gin (filename gin_trgm_ops) WHERE deleted_at IS NULL;

-- One row per WebP/AVIF rendition once its object is stored; gone with its image.
CREATE TABLE image_renditions (
    image_id uuid NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    size text NOT NULL CHECK (size IN ('thumb', 'small', 'medium', 'large')),
    format text NOT NULL CHECK (format IN ('webp', 'avif')),
    bytes bigint NOT NULL,
    etag text NOT NULL,
    PRIMARY KEY (image_id, size, format)
);

-- Images stored before renditions existed get theirs from the job queue (a no-op where the
-- operator turned renditions off).
INSERT INTO jobs (kind, payload)
SELECT 'make_renditions', jsonb_build_object('image', id) FROM images;
