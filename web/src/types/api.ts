/**
 * Every type the web app exchanges with the server, in one place.
 *
 * The wire types are aliases of `schema.ts`, which `npm run typegen` generates
 * from the server's OpenAPI document (web/openapi.json, the same document the
 * server serves at GET /api/openapi.json), so the contract is never written
 * twice. Only client-side narrowings and helpers are declared here.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type Config = Schemas['Config'];
export type ModelConfig = Schemas['ModelSpec'];
export type AspectRatio = Schemas['AspectRatio'];
export type StyleOption = Schemas['Style'];
export type DimensionRange = Schemas['SizeRange'];
export type StepsRange = Schemas['StepRange'];
export type Health = Schemas['Health'];

export type User = Schemas['UserView'];
export type Usage = Schemas['UsageView'];
export type Me = Schemas['Me'];
export type SignUpRequest = Schemas['SignupRequest'];
export type LoginRequest = Schemas['LoginRequest'];
export type UserResponse = Schemas['UserEnvelope'];

export type AdminStats = Schemas['OperatorStats'];
export type DayStats = Schemas['DayStats'];
export type ModelStats = Schemas['ModelStats'];
export type FailureCount = Schemas['FailureCount'];
export type ClientErrorReport = Schemas['ClientErrorReport'];

/**
 * The API document lists the models and styles of the configuration it was
 * generated for; the app offers whatever `GET /api/config` lists, so here they
 * are plain ids.
 */
export type GenerationRequest = Omit<Schemas['GenerationRequest'], 'model' | 'style'> & {
  model?: string | null;
  style?: string | null;
};
export type Generation = Schemas['GenerationView'];
export type GenerationResponse = Schemas['GenerationEnvelope'];
/** A quick preview made in live mode: outside the gallery until kept, gone at `expires_at`. */
export type Draft = Schemas['DraftView'];
export type DraftResponse = Schemas['DraftEnvelope'];

export type Image = Schemas['ImageView'];
export type ImagePage = Schemas['ImagePageView'];
export type ImageUpdate = Schemas['ImageUpdate'];
export type TrashRequest = Schemas['TrashRequest'];
export type EmptyTrashResult = Schemas['EmptyTrashView'];
export type BulkRequest = Schemas['BulkRequest'];
export type BulkAction = BulkRequest['action'];
/**
 * Why one image of a bulk action was not done: the server's codes, or the
 * client's own when the request carrying it never got an answer.
 */
export type BulkFailure = Omit<Schemas['BulkFailure'], 'code'> & { code: ErrorCode };
export type BulkOutcome = Omit<Schemas['BulkOutcome'], 'failed'> & { failed: BulkFailure[] };

/** The picture a collection shows: its chosen cover, or else its newest image. */
export type CollectionCover = Schemas['CoverView'];
/**
 * The API document lists the nullable fields as optional; the server always
 * sends them, null when there is nothing (no description, an empty
 * collection, the newest image as cover).
 */
export type Collection = Omit<
  Schemas['CollectionView'],
  'description' | 'cover' | 'cover_image_id'
> & {
  description: string | null;
  cover: CollectionCover | null;
  cover_image_id: string | null;
};
/** GET /api/collections: most recently changed first. */
export type CollectionList = Omit<Schemas['CollectionList'], 'items'> & { items: Collection[] };
export type CollectionCreate = Schemas['NewCollectionRequest'];
export type CollectionUpdate = Schemas['CollectionUpdate'];

/** An API key as its owner sees it: never the secret, which is shown once, at creation. */
export type ApiKey = Schemas['ApiKeyView'];
/** GET /api/keys: the caller's keys that are not revoked. */
export type ApiKeyList = Schemas['ApiKeyList'];
export type ApiKeyCreate = Schemas['NewApiKeyRequest'];
/** POST /api/keys: the new key and its secret, which the server never sends again. */
export type NewApiKey = Schemas['NewApiKeyEnvelope'];
/** What a share link shows: `ShareView.kind`, documented as a string; these are its values. */
export type ShareKind = 'image' | 'collection';
/**
 * A share link as its owner sees it. `url` is the public page (`/s/{token}`),
 * absolute; `target_id` the shared image's or collection's id.
 */
export type Share = Omit<Schemas['ShareView'], 'kind'> & { kind: ShareKind };
/** GET /api/shares: the caller's links, newest first (also of images since trashed or deleted). */
export type ShareList = Omit<Schemas['ShareList'], 'items'> & { items: Share[] };
/** POST /api/images/{id}/share (or a collection's): 201 when made, 200 when it already was. */
export type ShareResponse = Omit<Schemas['ShareEnvelope'], 'share'> & { share: Share };
export type ShareRequest = Schemas['ShareRequest'];
/** GET /api/shared/{token}: what anyone with the link sees, signed in or not. */
export type SharedView = Schemas['SharedView'];
export type PublicImage = Schemas['PublicImage'];
/**
 * A ZIP of the caller's images: `url` is an absolute signed link (no sign-in
 * needed) that downloads it until `expires_at`.
 */
export type Export = Schemas['Export'];
/** POST /api/exports: the ZIP, built and stored before the answer. */
export type ExportCreated = Schemas['ExportCreated'];
/** GET /api/exports: the caller's exports whose link still works, newest first. */
export type ExportList = Schemas['ExportList'];
/**
 * What goes in a ZIP: exactly one of `ids`, `collection_id` or
 * `favorites: true`; `{}` for every image not in the trash.
 */
export type ExportRequest = Schemas['ExportRequest'];
/** POST /api/images/{id}/reproduce: the image made again from its recipe, compared. */
export type Reproduction = Schemas['ReproductionView'];

export type FieldError = Schemas['FieldError'];
/** RFC 9457 problem details, as every error response carries. */
export type Problem = Schemas['Problem'];

/** `config.auth.mode`: the server documents it as a string; these are its values. */
export type AuthMode = 'local' | 'clerk';

/** `provider` values the UI knows how to label; others are shown as sent. */
export type ProviderId = 'offline' | 'together' | (string & {});

/** Stable `code` values from API.md (plus client-side ones for network trouble). */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'email_taken'
  | 'not_found'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'budget_exceeded'
  | 'upstream_error'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'idempotency_conflict'
  | 'payload_too_large'
  | 'local_auth_disabled'
  | 'favorite_protected'
  | 'name_taken'
  | 'cover_not_in_collection'
  | 'too_many_images'
  | 'nothing_to_export'
  | (string & {});

/** Query parameters of GET /api/images (besides the cursor). */
export interface ImageListParams {
  q?: string;
  favorite?: boolean;
  limit?: number;
  /** Only this collection's images. */
  collection?: string;
}
