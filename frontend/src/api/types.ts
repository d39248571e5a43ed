// Names for the generated schema types, so components can say `Album` instead of the long path.
// These are aliases only: every shape comes from schema.gen.ts (openapi.yaml).
import type { components, paths } from "./schema.gen";

type Schemas = components["schemas"];

export type Album = Schemas["Album"];
export type AlbumPage = Schemas["AlbumPage"];
export type Image = Schemas["Image"];
export type ImagePage = Schemas["ImagePage"];
export type Variant = Schemas["Variant"];
export type Size = Schemas["Size"];
export type User = Schemas["User"];
export type TokenResponse = Schemas["TokenResponse"];
export type Problem = Schemas["Problem"];
export type FieldError = Schemas["FieldError"];
export type Rejected = Schemas["Rejected"];
export type UploadResult = Schemas["UploadResult"];

/** The path of the bulk upload route, as the spec names it. */
export const UPLOAD_PATH = "/api/v1/albums/{id}/images" satisfies keyof paths;

/** The upload route's 201 body, taken from the operation itself. */
export type UploadCreated =
  paths[typeof UPLOAD_PATH]["post"]["responses"][201]["content"]["application/json"];
