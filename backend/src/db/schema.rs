// The shape of the tables the migrations create (diesel's `print-schema` format).

diesel::table! {
    users (id) {
        id -> Uuid,
        username -> Text,
        email -> Text,
        password_hash -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        family_id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
        spent_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Int8,
        identifier -> Text,
        client_addr -> Text,
        failed_at -> Timestamptz,
    }
}

diesel::table! {
    albums (id) {
        id -> Uuid,
        owner_id -> Uuid,
        parent_id -> Nullable<Uuid>,
        name -> Text,
        name_key -> Text,
        description -> Nullable<Text>,
        visibility -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
        trashed_with -> Nullable<Uuid>,
        cover_image_id -> Nullable<Uuid>,
    }
}

diesel::joinable!(albums -> users (owner_id));
diesel::joinable!(refresh_tokens -> users (user_id));

diesel::table! {
    images (id) {
        id -> Uuid,
        owner_id -> Uuid,
        album_id -> Uuid,
        filename -> Text,
        content_type -> Text,
        width -> Int4,
        height -> Int4,
        bytes -> Int8,
        sha256 -> Text,
        stored_bytes -> Int8,
        created_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
        trashed_with -> Nullable<Uuid>,
        taken_at -> Nullable<Timestamptz>,
        taken_offset_minutes -> Nullable<Int2>,
        camera_make -> Nullable<Text>,
        camera_model -> Nullable<Text>,
        camera_lens -> Nullable<Text>,
        iso -> Nullable<Int4>,
        f_number -> Nullable<Float8>,
        exposure_time -> Nullable<Text>,
        focal_length_mm -> Nullable<Float8>,
        latitude -> Nullable<Float8>,
        longitude -> Nullable<Float8>,
        thumbhash -> Text,
        color -> Text,
    }
}

diesel::table! {
    image_renditions (image_id, size, format) {
        image_id -> Uuid,
        size -> Text,
        format -> Text,
        bytes -> Int8,
        etag -> Text,
    }
}

diesel::table! {
    image_variants (image_id, size) {
        image_id -> Uuid,
        size -> Text,
        width -> Int4,
        height -> Int4,
        bytes -> Int8,
        content_type -> Text,
        etag -> Text,
    }
}

diesel::table! {
    object_gc (image_id) {
        image_id -> Uuid,
        held_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    registrations (id) {
        id -> Int8,
        client_addr -> Text,
        registered_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Int8,
        kind -> Text,
        payload -> Jsonb,
        state -> Text,
        attempts -> Int4,
        max_attempts -> Int4,
        run_at -> Timestamptz,
        locked_by -> Nullable<Uuid>,
        lease_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        dedupe_key -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(images -> albums (album_id));
diesel::joinable!(image_renditions -> images (image_id));
diesel::joinable!(image_variants -> images (image_id));

diesel::allow_tables_to_appear_in_same_query!(
    albums,
    image_renditions,
    image_variants,
    images,
    jobs,
    login_failures,
    object_gc,
    refresh_tokens,
    registrations,
    users,
);
