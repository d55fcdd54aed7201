//! Contract suites: the same cases against every backend. The metadata cases
//! run on SQLite and on DynamoDB, the object cases on local files and S3, and
//! the journeys and injected failures through the HTTP API on both pairs. The
//! AWS backends are served by a local moto server over the real wire protocol.

mod app;
mod app_cases;
mod backends;
mod collection_cases;
mod draft_cases;
mod export_cases;
mod export_journey;
mod faults;
mod key_cases;
mod media_cases;
mod metadata_cases;
mod moto;
mod s3_specifics;
mod share_cases;
mod statistics_cases;

/// Instantiates each named case once per backend.
macro_rules! contract {
    ($suite:ident, $cases:ident, $arg:ident => $expr:expr, [$($case:ident),* $(,)?]) => {
        mod $suite {
            mod local {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $case() {
                        let $arg = crate::backends::local().await;
                        crate::$cases::$case($expr).await;
                    }
                )*
            }
            mod aws {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $case() {
                        let $arg = crate::backends::aws().await;
                        crate::$cases::$case($expr).await;
                    }
                )*
            }
        }
    };
}

contract!(metadata, metadata_cases, backend => backend.metadata.clone(), [
    a_user_is_found_by_id_and_by_email_in_any_case,
    an_account_without_a_password_cannot_sign_in_with_one,
    an_email_is_registered_once_whatever_its_case,
    concurrent_signups_with_one_email_let_exactly_one_win,
    a_session_lasts_until_it_expires_or_is_deleted,
    a_gallery_pages_newest_first_without_duplicates_or_gaps,
    users_never_see_each_others_images,
    search_matches_word_prefixes_and_pages_through_sparse_matches,
    search_folds_case_and_accents_both_ways,
    a_search_ignores_single_letters_and_words_past_the_eighth,
    a_delete_stopped_half_way_is_listed_for_the_sweep_until_it_finishes,
    favourites_filter_and_survive_reads,
    deleting_hides_first_then_removes_the_record_and_its_counts,
    images_of_an_unknown_user_are_refused,
    the_monthly_quota_is_reserved_atomically,
    a_reservation_stays_until_its_generation_is_recorded_or_given_back,
    a_fixed_window_admits_up_to_its_limit,
    an_idempotency_key_moves_from_claimed_to_replayed,
    an_idempotency_key_is_kept_a_week_then_free_again,
    concurrent_identical_claims_let_exactly_one_run,
    the_storage_quota_refuses_whole_generations_atomically,
    trashed_images_leave_every_list_and_come_back_when_restored,
    favourites_are_trashed_only_when_included_and_the_first_time_stands,
    the_trash_pages_by_trashing_time_with_its_filters,
    expired_trash_is_found_across_users_and_deleting_clears_it,
    concurrent_trash_and_restore_keep_the_counts_exact,
]);

contract!(collections, collection_cases, backend => backend.metadata.clone(), [
    collections_are_named_once_per_user_renamed_and_deleted,
    a_collection_pages_its_images_and_counts_those_not_in_the_trash,
    concurrent_membership_changes_keep_the_count_exact,
    deleting_an_image_or_a_collection_fixes_the_other_side,
]);

contract!(statistics, statistics_cases, backend => backend.metadata.clone(), [
    generations_users_images_and_bytes_are_counted_as_they_are_written,
    a_failed_generation_is_counted_once_under_its_code,
    each_user_counts_in_the_day_they_were_last_active,
    refusals_and_client_errors_add_up_per_day,
]);

contract!(drafts, draft_cases, backend => backend.metadata.clone(), [
    drafts_and_generations_share_one_budget_and_keep_their_own_quotas,
    a_draft_is_kept_once_and_swept_once_expired,
    an_image_keeps_its_time_and_cost,
]);
contract!(keys, key_cases, backend => backend.metadata.clone(), [
    a_key_is_found_by_its_id_listed_for_its_owner_and_revoked_at_once,
    live_keys_are_limited_and_expired_ones_make_room,
    concurrent_creations_never_pass_the_limit,
    a_keys_use_is_recorded_at_most_once_a_minute,
]);
contract!(shares, share_cases, backend => backend.metadata.clone(), [
    a_thing_is_shared_once_and_found_by_id_and_by_owner,
    unsharing_removes_the_link_at_once,
    concurrent_shares_of_one_thing_make_one_link,
]);
contract!(exports, export_cases, backend => backend.metadata.clone(), [
    an_export_is_listed_until_it_expires_and_swept_once,
]);
contract!(objects, media_cases, backend => backend.media.clone(), [
    objects_round_trip_and_deletes_can_repeat,
    listing_finds_exactly_the_objects_under_a_prefix,
    links_are_stable_within_the_hour_and_differ_per_image,
]);

contract!(journeys, app_cases, backend => backend, [
    a_person_generates_lists_loads_and_deletes_images,
    concurrent_identical_requests_make_one_generation,
    a_failed_object_write_leaves_no_record_and_no_files,
    a_failed_clean_up_never_hides_why_a_generation_failed,
    files_orphaned_by_a_failed_record_are_swept_after_the_grace_period,
    a_lost_answer_to_recording_images_never_loses_a_recorded_image,
    a_delete_that_fails_half_way_can_be_run_again,
    a_delete_stopped_half_way_is_finished_by_the_sweep,
    bulk_actions_trash_restore_and_delete_with_files_on_every_store,
    an_operator_sees_what_was_made_and_what_failed,
    a_draft_is_kept_into_the_gallery_once_and_swept_when_it_expires,
]);
contract!(export_journeys, export_journey, backend => backend, [
    an_export_holds_the_selection_and_imports_into_the_other_store,
]);
