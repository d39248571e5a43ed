/**
 * DO NOT EDIT. Generated from openapi.yaml by `npm run gen:api` (openapi-typescript).
 * `npm run check:api` fails when this file is stale.
 */

export interface paths {
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account and sign in
         * @description Sign-ups are limited per client address (`ALBUMEN_REGISTRATION_LIMIT`, default 20 an hour, counted across replicas); over it → 429 with `Retry-After`.
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with a username (or e-mail) and password
         * @description OAuth2 password-grant style: `grant_type=password` is accepted and optional. A wrong
         *     pair is a 401 with the same body whether or not the user exists. After 10 failures in
         *     15 minutes for one identifier from one address that pair gets 429 until the window
         *     passes; an address gets 429 after 100 failures. 400/422 answers do not count.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token for a new token pair
         * @description Refresh tokens rotate: the one presented is spent. Presenting it again within
         *     `ALBUMEN_REFRESH_REUSE_GRACE` (10 s) answers the same successor pair (two tabs or a
         *     retried request refreshing at once); presenting a spent token later revokes that whole
         *     login (every token of its family).
         */
        post: operations["refreshSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the login a refresh token belongs to
         * @description Unknown or already spent tokens also answer 204.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user with usage stats */
        get: operations["getCurrentUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/albums": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's top-level albums, or the children of `parent_id`
         * @description Sorted by name (case-insensitive), then id.
         */
        get: operations["listAlbums"];
        put?: never;
        /** Create an album (private), at the top level or under `parent_id` */
        post: operations["createAlbum"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/albums/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["AlbumId"];
            };
            cookie?: never;
        };
        /** One album (anyone may read a public album) */
        get: operations["getAlbum"];
        put?: never;
        post?: never;
        /**
         * Move an album, its sub-albums and their images to the trash (or delete them for good)
         * @description The album's whole tree vanishes at once from every listing, count, cover and URL (404),
         *     but its bytes are kept for the trash retention (`ALBUMEN_TRASH_RETENTION`, 30 days) and
         *     it can be restored from `/trash` as it was. `?permanent=true` skips the trash: every
         *     stored object of the tree is deleted.
         */
        delete: operations["deleteAlbum"];
        options?: never;
        head?: never;
        /**
         * Rename, describe, move or share an album
         * @description Fields left out stay as they are. `parent_id: null` moves the album to the top level;
         *     moving it under itself or one of its descendants is a 409. `cover_image_id` picks the
         *     cover: an image in the album's tree (else 422); `null` goes back to the automatic cover.
         */
        patch: operations["updateAlbum"];
        trace?: never;
    };
    "/api/v1/albums/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["AlbumId"];
            };
            cookie?: never;
        };
        /**
         * The album's tree as a ZIP, streamed as it is made
         * @description `application/zip` with the album as the top folder and its sub-albums as folders inside
         *     it; files are stored (not deflated: photos do not shrink), ZIP64 when the archive needs
         *     it. Names are made safe (no `/`, `\\`, control characters or `..`) and unique per folder,
         *     case-insensitively: `name (2).jpg`, `Trip (2)`. With `size=large` each file is the
         *     `large` variant, named with its own extension. The archive is written as it is sent, so
         *     its length is not known in advance and memory stays bounded whatever the album's size;
         *     a storage failure mid-way ends the connection without the archive's end (the download
         *     fails rather than being silently short). Visitors of a public album get its public part
         *     and `large` only (`size=original` → 403).
         */
        get: operations["downloadAlbum"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/albums/{id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["AlbumId"];
            };
            cookie?: never;
        };
        /**
         * One album's images, newest first (anyone may list a public album)
         * @description Sorted by `sort` (default `created_at`), newest first; `q`, `taken_after` and
         *     `taken_before` filter. A cursor keeps the sort and filters it was made with: beside one,
         *     these parameters are still checked (400 when malformed) but the cursor's win.
         */
        get: operations["listAlbumImages"];
        put?: never;
        /**
         * Upload one or more images (bulk)
         * @description `multipart/form-data` with one or more parts named `file`. Each file's type is decided
         *     by its bytes (JPEG, PNG, GIF, WebP, HEIC/HEIF, AVIF), never by its name or declared type. The answer
         *     comes when every variant of every stored image is in storage: the returned URLs work
         *     at once. When at least one file was stored the answer is 201 with `images` and the
         *     per-file `rejected` list; when none was, it is the problem of the first failure.
         *     Limits (defaults): 25 MiB a file, 100 files a request, 100 megapixels.
         */
        post: operations["uploadImages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's images across all albums, newest first
         * @description Sorted by `sort` (default `created_at`), newest first; `q`, `taken_after` and
         *     `taken_before` filter. A cursor keeps the sort and filters it was made with: beside one,
         *     these parameters are still checked (400 when malformed) but the cursor's win.
         */
        get: operations["listImages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move up to 500 images into one album
         * @description Ids that are not the caller's (or are in the trash) are `failed` with 404; the rest move,
         *     all in one transaction. `album_id` must be one of the caller's albums (else 422).
         */
        post: operations["moveImages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move up to 500 images to the trash (or delete them for good)
         * @description Ids that are not the caller's are `failed` with 404; the rest go, in one transaction.
         */
        post: operations["deleteImages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the caller deleted, newest deletion first
         * @description Only what was deleted directly: a deleted album's sub-albums and images come back with
         *     it and are counted in its item. `purge_at` is when the retention ends.
         */
        get: operations["listTrash"];
        put?: never;
        post?: never;
        /** Purge everything in the trash now */
        delete: operations["emptyTrash"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trash/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Bring trash items back as they were
         * @description An album returns with its whole tree and the images deleted with it (not images trashed
         *     before it: those stay their own items). An image whose album is itself in the trash is
         *     `failed` with 409 (restore the album); an unknown or purged id with 404. Signed URLs
         *     of a restored image work again until their `exp`.
         */
        post: operations["restoreTrash"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trash/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A trash item's id (the deleted album's or image's). Not a UUID names nothing (404). */
                id: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Purge one trash item now */
        delete: operations["purgeTrashItem"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["ImageId"];
            };
            cookie?: never;
        };
        /**
         * One image with signed URLs for its variants
         * @description Visitors of a public album get `variants.original` as null.
         */
        get: operations["getImage"];
        put?: never;
        post?: never;
        /**
         * Move an image to the trash (or delete it for good)
         * @description The image vanishes at once from every listing, count, cover and URL (404); its bytes are
         *     kept for the trash retention and `POST /trash/restore` brings it back with the same URLs.
         *     `?permanent=true` skips the trash and deletes every stored object of it.
         */
        delete: operations["deleteImage"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/content/{size}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["ImageId"];
                /** @description An unknown size is a 404. */
                size: components["schemas"]["Size"];
            };
            cookie?: never;
        };
        /**
         * The bytes of one variant (or the original)
         * @description Allowed with the owner's bearer token, a valid unexpired signature (`exp` and `sig`,
         *     as found in every `Variant.url`), or — for thumb, small, medium and large — when the
         *     image is in a public album. A signature covers the image id, the size and `exp`, so a
         *     `thumb` signature never opens `original`. Answers `If-None-Match` with 304 and a single
         *     byte `Range` with 206.
         *
         *     Resized sizes are negotiated by `Accept`: AVIF when `image/avif` is listed with q > 0,
         *     else WebP when `image/webp` is, else the primary format (JPEG, or PNG for images with
         *     real transparency). `*\/*` or `image/*` alone gives the primary format. A WebP or AVIF
         *     rendition is made in the background after the upload; until it is ready the primary
         *     format is served (`Variant.formats` lists what is ready). `format` forces one rendition.
         *     Every answer carries `Vary: Accept` and one `ETag` per rendition. Originals are never
         *     converted.
         */
        get: operations["getImageContent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * The headers of one variant's content, without the bytes
         * @description As `getImageContent`, with the same access rules, but no body.
         */
        head: operations["headImageContent"];
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The database and storage are reachable */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (request counts and latency histograms per route) */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This API description (OpenAPI 3.1, YAML)
         * @description The document served is the one the server was built from, byte for byte.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Interactive API reference (Redoc) for this document
         * @description An HTML page rendering `/api/openapi.yaml` with Redoc, bundled at build time: nothing
         *     is loaded from another origin (its Content-Security-Policy allows only this one).
         */
        get: operations["getApiDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description An RFC 9457 problem. */
        Problem: {
            /**
             * @description A URI naming the kind of problem, e.g. urn:albumen:problem:validation-failed
             * @example urn:albumen:problem:not-found
             */
            type: string;
            /** @example Not Found */
            title: string;
            /** @example 404 */
            status: number;
            /** @example the requested resource does not exist */
            detail: string;
            /** @description For validation problems, one entry per broken rule. */
            errors?: components["schemas"]["FieldError"][];
        };
        FieldError: {
            /** @example username */
            field: string;
            /** @example must be 3 to 32 characters */
            message: string;
        };
        RegisterRequest: {
            /**
             * @description 3–32 of `a-z 0-9 _ . -`; lowercased on input (so `A-Z` are accepted), unique.
             * @example alice
             */
            username: string;
            /**
             * @description Unique, matched case-insensitively. One `@`, a non-empty local part and a dotted
             *     domain whose labels are all non-empty; no whitespace or control characters.
             * @example alice@example.com
             */
            email: string;
            /** Format: password */
            password: string;
        };
        LoginRequest: {
            /**
             * @description A username or an e-mail address.
             * @example alice
             */
            username: string;
            /** Format: password */
            password: string;
            /**
             * @description Optional, OAuth2 style.
             * @constant
             */
            grant_type?: "password";
        };
        RefreshRequest: {
            refresh_token: string;
        };
        TokenResponse: {
            /** @description A JWT to send as `Authorization: Bearer <token>`. */
            access_token: string;
            /** @constant */
            token_type: "Bearer";
            /**
             * @description Seconds until the access token expires.
             * @example 900
             */
            expires_in: number;
            /** @description Opaque; rotates on every refresh (30 days by default). */
            refresh_token: string;
            user: components["schemas"]["User"];
        };
        User: {
            /** Format: uuid */
            id: string;
            /** @example alice */
            username: string;
            /** @example alice@example.com */
            email: string;
            /** Format: date-time */
            created_at: string;
            stats: components["schemas"]["UserStats"];
        };
        /** @description Live things only; what is in the trash is counted apart. */
        UserStats: {
            /** @description Every album the user owns, nested ones included. */
            albums: number;
            images: number;
            /** @description Stored originals and variants. */
            bytes: number;
            trash: components["schemas"]["TrashStats"];
        };
        /** @description What the trash holds, nested albums and their images included, until purged. */
        TrashStats: {
            albums: number;
            images: number;
            /** @description Stored originals and variants. */
            bytes: number;
        };
        TrashItem: {
            /** @enum {string} */
            kind: "album" | "image";
            /**
             * Format: uuid
             * @description The deleted album's or image's id.
             */
            id: string;
            /** @description The album's name or the image's filename. */
            name: string;
            /** Format: date-time */
            deleted_at: string;
            /** Format: date-time */
            purge_at: string;
            /** @description 1 for an image; for an album, the images deleted with its tree. */
            images: number;
            /** @description Stored originals and variants of those images. */
            bytes: number;
        };
        TrashPage: {
            items: components["schemas"]["TrashItem"][];
            next_cursor: string | null;
        };
        ImageIds: string[];
        BulkMove: {
            image_ids: components["schemas"]["ImageIds"];
            /**
             * Format: uuid
             * @description One of the caller's albums (else 422).
             */
            album_id: string;
        };
        BulkDelete: {
            image_ids: components["schemas"]["ImageIds"];
            /**
             * @description Skip the trash.
             * @default false
             */
            permanent: boolean;
        };
        RestoreRequest: {
            ids: string[];
        };
        BulkFailure: {
            /** Format: uuid */
            id: string;
            /** @example 404 */
            status: number;
            /** @example Not Found */
            title: string;
        };
        BulkResult: {
            done: string[];
            failed: components["schemas"]["BulkFailure"][];
        };
        BulkResultRestored: {
            restored: string[];
            failed: components["schemas"]["BulkFailure"][];
        };
        /** @enum {string} */
        Visibility: "private" | "public";
        Album: {
            /** Format: uuid */
            id: string;
            /** @example Holidays 2026 */
            name: string;
            description: string | null;
            /** Format: uuid */
            parent_id: string | null;
            visibility: components["schemas"]["Visibility"];
            /** @description Images directly in this album. */
            image_count: number;
            /** @description Images in this album and all its sub-albums (what its card and page show; a parent album whose photos are all in sub-albums is not empty). A visitor of a public album counts only its public sub-albums. */
            tree_image_count: number;
            /**
             * Format: uuid
             * @description The image chosen as cover with `PATCH`, or null for the automatic cover. A chosen image that is no longer in the tree (moved away, trashed) leaves the cover automatic.
             */
            cover_image_id: string | null;
            /** @description The chosen cover's `thumb`; else the newest image's `thumb`, or null. An album with no images of its own takes the newest `thumb` in its tree (for a visitor, its public part). */
            cover: components["schemas"]["Variant"] | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /**
         * @description 1–200 characters, not all whitespace.
         * @example Holidays 2026
         */
        AlbumName: string;
        AlbumCreate: {
            name: components["schemas"]["AlbumName"];
            description?: string | null;
            /**
             * Format: uuid
             * @description One of the caller's albums (else 422).
             */
            parent_id?: string | null;
        };
        AlbumUpdate: {
            name?: components["schemas"]["AlbumName"];
            description?: string | null;
            /**
             * Format: uuid
             * @description null moves the album to the top level.
             */
            parent_id?: string | null;
            visibility?: components["schemas"]["Visibility"];
            /**
             * Format: uuid
             * @description An image in the album's tree (else 422); null = the automatic cover.
             */
            cover_image_id?: string | null;
        };
        AlbumPage: {
            items: components["schemas"]["Album"][];
            next_cursor: string | null;
        };
        /** @enum {string} */
        Size: "thumb" | "small" | "medium" | "large" | "original";
        Variant: {
            /**
             * Format: uri
             * @description Absolute and signed (`exp`, `sig`); works in an `<img>` tag with no header until it expires.
             */
            url: string;
            width: number;
            height: number;
            bytes: number;
            /**
             * @description The primary format (JPEG or PNG; the original's own type for `original`).
             * @example image/jpeg
             */
            content_type: string;
            /**
             * @description The renditions of this size ready now, primary first (e.g. `["jpeg", "webp", "avif"]`);
             *     WebP and AVIF appear once the background job has made them. Empty for `original`,
             *     which is served as uploaded.
             */
            formats: ("jpeg" | "png" | "webp" | "avif")[];
        };
        Variants: {
            thumb: components["schemas"]["Variant"];
            small: components["schemas"]["Variant"];
            medium: components["schemas"]["Variant"];
            large: components["schemas"]["Variant"];
            /** @description The uploaded bytes; null for visitors of a public album. */
            original: components["schemas"]["Variant"] | null;
        };
        Image: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            album_id: string;
            /** @description The last path segment of the client's file name, at most 255 characters. */
            filename: string;
            /** @enum {string} */
            content_type: "image/jpeg" | "image/png" | "image/gif" | "image/webp" | "image/heic" | "image/heif" | "image/avif";
            /** @description As displayed (EXIF orientation applied). */
            width: number;
            height: number;
            /** @description Size of the original. */
            bytes: number;
            sha256: string;
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description EXIF DateTimeOriginal with the file's OffsetTimeOriginal; without an offset, the camera's
             *     local time with the RFC 3339 unknown-offset suffix `-00:00`. Null when the file has no date.
             */
            taken_at: string | null;
            camera: components["schemas"]["Camera"] | null;
            exposure: components["schemas"]["Exposure"] | null;
            /** @description GPS position from EXIF; only ever shown to the owner (null for visitors). */
            location: components["schemas"]["GeoLocation"] | null;
            placeholder: components["schemas"]["Placeholder"];
            variants: components["schemas"]["Variants"];
        };
        Camera: {
            /** @example Apple */
            make: string | null;
            /** @example iPhone 15 Pro */
            model: string | null;
            /** @example iPhone 15 Pro back triple camera 6.765mm f/1.78 */
            lens: string | null;
        };
        Exposure: {
            /** @example 100 */
            iso: number | null;
            /** @example 1.8 */
            f_number: number | null;
            /**
             * @description As photographers write it.
             * @example 1/250
             * @example 2.5
             */
            exposure_time: string | null;
            /** @example 6.765 */
            focal_length_mm: number | null;
        };
        GeoLocation: {
            latitude: number;
            longitude: number;
        };
        /** @description Paint this while the thumbnail loads. */
        Placeholder: {
            /** @description ThumbHash of the thumb, base64 (standard alphabet). */
            thumbhash: string;
            /** @description The dominant colour. */
            color: string;
        };
        ImagePage: {
            items: components["schemas"]["Image"][];
            next_cursor: string | null;
        };
        Rejected: {
            filename: string;
            /** @example 415 */
            status: number;
            /** @example Unsupported Media Type */
            title: string;
            detail: string;
        };
        UploadResult: {
            images: components["schemas"]["Image"][];
            rejected: components["schemas"]["Rejected"][];
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        Readiness: {
            /** @constant */
            status: "ok";
            checks: {
                [key: string]: string;
            };
        };
    };
    responses: {
        /** @description Malformed JSON, form or multipart; a query parameter that does not parse. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Missing, malformed, expired or forged credentials. */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Writing into another user's public album. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description It does not exist, or it belongs to someone else. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Username or e-mail taken; an album move that would create a cycle. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request body stopped arriving (nothing for `ALBUMEN_BODY_IDLE_TIMEOUT`) or arrived slower than `ALBUMEN_BODY_MIN_RATE` once its grace was over. The connection is closed after this answer. */
        RequestTimeout: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A file or the request is over the configured limit. A `Content-Length` over `ALBUMEN_MAX_REQUEST_SIZE` is refused before the body is read; a chunked body is cut off when it passes it, and the connection is closed after this answer. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A body type the endpoint does not take, or a file that is not an accepted image. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Well-formed but invalid; `errors` names each field and rule. */
        Unprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Rate limited. */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The database or storage is unavailable; retry shortly. */
        Unavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /** @description An id that is not a UUID names nothing (404). */
        AlbumId: string;
        /** @description An id that is not a UUID names nothing (404). */
        ImageId: string;
        /** @description Page size; default 50, values above 200 are treated as 200, below 1 are a 422. */
        Limit: number;
        /** @description `true` skips the trash and deletes for good; default `false`. */
        Permanent: boolean;
        /**
         * @description `created_at` (upload time) or `taken_at` (EXIF date taken), newest first. With
         *     `taken_at`, images without a date come last; ties are broken by id, descending.
         *     Any other value is a 400.
         */
        ImageSort: "created_at" | "taken_at";
        /** @description Only images whose filename contains this text, ignoring case. */
        FilenameQuery: string;
        /** @description Only images taken at or after this instant (RFC 3339, inclusive). */
        TakenAfter: string;
        /** @description Only images taken before this instant (RFC 3339, exclusive). */
        TakenBefore: string;
        /** @description The `next_cursor` of the previous page (opaque). Any other value is a 400. */
        Cursor: string;
    };
    requestBodies: never;
    headers: {
        /** @description The path of the created resource. */
        Location: string;
        /** @description Token responses are never cached. */
        NoStore: "no-store";
        /** @description Revalidate on every use. */
        NoCache: "no-cache";
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
        /** @description Always a `Bearer` challenge. */
        WWWAuthenticate: string;
        /** @description Always `Accept` (the rendition depends on it). */
        Vary: string;
        /** @description A strong validator of the content. */
        ETag: string;
        /** @description `private` unless the image is in a public album; long-lived on signed URLs (their content never changes). */
        CacheControl: string;
        ContentLength: number;
        ContentRange: string;
        AcceptRanges: "bytes";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "username": "alice",
                 *       "email": "alice@example.com",
                 *       "password": "correct horse battery"
                 *     }
                 */
                "application/json": components["schemas"]["RegisterRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description Account created; the caller is signed in. */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "username": "alice",
                 *       "password": "correct horse battery"
                 *     }
                 */
                "application/json": components["schemas"]["LoginRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Signed in. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["Unavailable"];
        };
    };
    refreshSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description A new token pair. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description Signed out. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    getCurrentUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            401: components["responses"]["Unauthorized"];
            503: components["responses"]["Unavailable"];
        };
    };
    listAlbums: {
        parameters: {
            query?: {
                /** @description List this album's children instead of the top level. Another user's album is a 404. */
                parent_id?: string;
                /** @description Page size; default 50, values above 200 are treated as 200, below 1 are a 422. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page (opaque). Any other value is a 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of albums. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlbumPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    createAlbum: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Holidays 2026",
                 *       "description": "Two weeks by the sea"
                 *     }
                 */
                "application/json": components["schemas"]["AlbumCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Album"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    getAlbum: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["AlbumId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The album. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Album"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteAlbum: {
        parameters: {
            query?: {
                /** @description `true` skips the trash and deletes for good; default `false`. */
                permanent?: components["parameters"]["Permanent"];
            };
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["AlbumId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description In the trash (or deleted); all URLs of its images now answer 404. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["Unavailable"];
        };
    };
    updateAlbum: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["AlbumId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "visibility": "public"
                 *     }
                 */
                "application/json": components["schemas"]["AlbumUpdate"];
            };
        };
        responses: {
            /** @description The updated album. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Album"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    downloadAlbum: {
        parameters: {
            query?: {
                /** @description Which bytes each file holds; default `original` (for visitors, `large`). */
                size?: "original" | "large";
            };
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["AlbumId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The archive. */
            200: {
                headers: {
                    /** @description `attachment; filename="<album name>.zip"`, with RFC 6266 `filename*` for names that are not plain ASCII. */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["Unavailable"];
        };
    };
    listAlbumImages: {
        parameters: {
            query?: {
                /** @description Page size; default 50, values above 200 are treated as 200, below 1 are a 422. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page (opaque). Any other value is a 400. */
                cursor?: components["parameters"]["Cursor"];
                /**
                 * @description `created_at` (upload time) or `taken_at` (EXIF date taken), newest first. With
                 *     `taken_at`, images without a date come last; ties are broken by id, descending.
                 *     Any other value is a 400.
                 */
                sort?: components["parameters"]["ImageSort"];
                /** @description Only images whose filename contains this text, ignoring case. */
                q?: components["parameters"]["FilenameQuery"];
                /** @description Only images taken at or after this instant (RFC 3339, inclusive). */
                taken_after?: components["parameters"]["TakenAfter"];
                /** @description Only images taken before this instant (RFC 3339, exclusive). */
                taken_before?: components["parameters"]["TakenBefore"];
            };
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["AlbumId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of images. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImagePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    uploadImages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["AlbumId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    file: string[];
                };
            };
        };
        responses: {
            /** @description At least one file was stored. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    listImages: {
        parameters: {
            query?: {
                /** @description Page size; default 50, values above 200 are treated as 200, below 1 are a 422. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page (opaque). Any other value is a 400. */
                cursor?: components["parameters"]["Cursor"];
                /**
                 * @description `created_at` (upload time) or `taken_at` (EXIF date taken), newest first. With
                 *     `taken_at`, images without a date come last; ties are broken by id, descending.
                 *     Any other value is a 400.
                 */
                sort?: components["parameters"]["ImageSort"];
                /** @description Only images whose filename contains this text, ignoring case. */
                q?: components["parameters"]["FilenameQuery"];
                /** @description Only images taken at or after this instant (RFC 3339, inclusive). */
                taken_after?: components["parameters"]["TakenAfter"];
                /** @description Only images taken before this instant (RFC 3339, exclusive). */
                taken_before?: components["parameters"]["TakenBefore"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of images. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImagePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    moveImages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkMove"];
            };
        };
        responses: {
            /** @description What moved and what did not. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteImages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkDelete"];
            };
        };
        responses: {
            /** @description What was deleted and what was not. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    listTrash: {
        parameters: {
            query?: {
                /** @description Page size; default 50, values above 200 are treated as 200, below 1 are a 422. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page (opaque). Any other value is a 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of trash items. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrashPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    emptyTrash: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The trash is empty; the purged bytes are gone from storage. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            503: components["responses"]["Unavailable"];
        };
    };
    restoreTrash: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RestoreRequest"];
            };
        };
        responses: {
            /** @description What came back and what did not. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResultRestored"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    purgeTrashItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A trash item's id (the deleted album's or image's). Not a UUID names nothing (404). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Purged; its bytes are gone from storage. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["Unavailable"];
        };
    };
    getImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["ImageId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The image. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Image"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteImage: {
        parameters: {
            query?: {
                /** @description `true` skips the trash and deletes for good; default `false`. */
                permanent?: components["parameters"]["Permanent"];
            };
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["ImageId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description In the trash (or deleted); its content URLs now answer 404. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["Unavailable"];
        };
    };
    getImageContent: {
        parameters: {
            query?: {
                /**
                 * @description Forces one rendition; 404 when it does not exist (yet), e.g. `png` of an opaque photo,
                 *     and for `original`.
                 */
                format?: "jpeg" | "png" | "webp" | "avif";
                /** @description Expiry of the signature, in Unix seconds. */
                exp?: number;
                /** @description The URL signature (base64url HMAC-SHA256). */
                sig?: string;
            };
            header?: {
                /** @description A single byte range, e.g. `bytes=0-1023`. */
                Range?: string;
                "If-None-Match"?: string;
            };
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["ImageId"];
                /** @description An unknown size is a 404. */
                size: components["schemas"]["Size"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bytes. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    "Content-Length": components["headers"]["ContentLength"];
                    "Accept-Ranges": components["headers"]["AcceptRanges"];
                    Vary: components["headers"]["Vary"];
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                    "image/gif": string;
                    "image/webp": string;
                    "image/avif": string;
                    "image/heic": string;
                    "image/heif": string;
                };
            };
            /** @description The requested byte range. */
            206: {
                headers: {
                    "Content-Range": components["headers"]["ContentRange"];
                    ETag: components["headers"]["ETag"];
                    "Content-Length": components["headers"]["ContentLength"];
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                    "image/gif": string;
                    "image/webp": string;
                    "image/avif": string;
                    "image/heic": string;
                    "image/heif": string;
                };
            };
            /**
             * @description Only when the server runs with `ALBUMEN_CONTENT_DELIVERY=redirect` (S3 storage):
             *     access is checked as for 200, then the answer points at a short-lived presigned URL
             *     of the object store (default 5 minutes), which serves the bytes, Range included.
             */
            302: {
                headers: {
                    /** @description The presigned object-store URL. */
                    Location?: string;
                    /** @description Always `private, no-store`. */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client's copy (by `If-None-Match`) is current. */
            304: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            /** @description The range is outside the content. */
            416: {
                headers: {
                    "Content-Range": components["headers"]["ContentRange"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            503: components["responses"]["Unavailable"];
        };
    };
    headImageContent: {
        parameters: {
            query?: {
                /**
                 * @description Forces one rendition; 404 when it does not exist (yet), e.g. `png` of an opaque photo,
                 *     and for `original`.
                 */
                format?: "jpeg" | "png" | "webp" | "avif";
                /** @description Expiry of the signature, in Unix seconds. */
                exp?: number;
                /** @description The URL signature (base64url HMAC-SHA256). */
                sig?: string;
            };
            header?: never;
            path: {
                /** @description An id that is not a UUID names nothing (404). */
                id: components["parameters"]["ImageId"];
                /** @description An unknown size is a 404. */
                size: components["schemas"]["Size"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The headers the bytes would come with. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    "Content-Length": components["headers"]["ContentLength"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client's copy (by `If-None-Match`) is current. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A malformed parameter (e.g. an unknown `format`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, malformed, expired or forged credentials. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description It does not exist, or it belongs to someone else. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Storage or the database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            503: components["responses"]["Unavailable"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoCache"];
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": unknown;
                };
            };
        };
    };
    getApiDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reference page. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoCache"];
                    /** @description Allows only this origin. */
                    "Content-Security-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
}
