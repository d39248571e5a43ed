CREATE TABLE images (
    id           uuid PRIMARY KEY,
    owner_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- deleting an album deletes its images (their objects are queued in object_gc first)
    album_id     uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    filename     text NOT NULL,
    content_type text NOT NULL,
    -- as displayed: EXIF orientation applied
    width        integer NOT NULL,
    height       integer NOT NULL,
    -- the original's size and digest
    bytes        bigint NOT NULL,
    sha256       text NOT NULL,
    -- original plus every variant, for usage stats
    stored_bytes bigint NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
-- newest first, ties broken by id: the two listings and their keyset cursors
CREATE INDEX images_owner_recent_idx ON images (owner_id, created_at DESC, id DESC);
CREATE INDEX images_album_recent_idx ON images (album_id, created_at DESC, id DESC);

CREATE TABLE image_variants (
    image_id     uuid NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    size         text NOT NULL CHECK (size IN ('thumb', 'small', 'medium', 'large', 'original')),
    width        integer NOT NULL,
    height       integer NOT NULL,
    bytes        bigint NOT NULL,
    content_type text NOT NULL,
    -- a strong validator: hex SHA-256 prefix of the stored bytes
    etag         text NOT NULL,
    PRIMARY KEY (image_id, size)
);

-- Objects that must go unless their image row commits. An upload claims its image id here
-- (held_by = the writing process) before writing any object and removes the claim in the same
-- transaction that inserts the row; a deletion queues ids here (held_by NULL) in the transaction
-- that deletes the rows. Whatever remains is swept: claims of dead processes, and queued
-- deletions that did not finish.
CREATE TABLE object_gc (
    image_id   uuid PRIMARY KEY,
    held_by    uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX object_gc_holder_idx ON object_gc (held_by);
