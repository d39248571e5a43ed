CREATE TABLE albums (
    id          uuid PRIMARY KEY,
    owner_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- deleting an album deletes its sub-albums (and, through them, their images)
    parent_id   uuid REFERENCES albums (id) ON DELETE CASCADE,
    name        text NOT NULL,
    -- the listing order: case-insensitive, code-point order whatever the database locale
    name_key    text COLLATE "C" NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
    description text,
    visibility  text NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'public')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX albums_listing_idx ON albums (owner_id, parent_id, name_key, id);
CREATE INDEX albums_parent_idx ON albums (parent_id);
