//! Spaces, cases, and the values offered by the list filters.

use super::{Answer, Api};
use crate::validate::BULK_BATCH_CASES;
use crate::{
    BulkBatch, BulkChange, Case, CaseCreate, CasePatch, CaseStats, FindQuery, FindResult, MatchingCases,
    SeverityCounts, Space, TagCount,
};

pub async fn list_spaces(api: &Api) -> Answer<Vec<Space>> {
    api.run(|b| b.list_spaces()).await
}

pub async fn create_space(api: &Api, name: String) -> Answer<Space> {
    api.run(move |b| b.create_space(&name)).await
}

pub async fn find_cases(api: &Api, query: FindQuery) -> Answer<FindResult> {
    api.run(move |b| b.find_cases(&query)).await
}

pub async fn case_stats(api: &Api, query: FindQuery) -> Answer<CaseStats> {
    api.run(move |b| b.case_stats(&query)).await
}

pub async fn severity_counts(api: &Api, query: FindQuery) -> Answer<SeverityCounts> {
    api.run(move |b| b.severity_counts(&query)).await
}

/// `reference` is a case UUID or `#N` in `space`.
pub async fn get_case(api: &Api, space: String, reference: String) -> Answer<Case> {
    api.run(move |b| b.resolve_case(&space, &reference)).await
}

/// The case gets its number from a numbering pass asked for at once: on a desktop the case
/// just created is the one the analyst looks at next, so it must not wait for the schedule.
pub async fn create_case(api: &Api, space: String, input: CaseCreate) -> Answer<Case> {
    let case = api.run(move |b| b.create_case(&space, &input)).await?;
    api.ids().run_now();
    Ok(case)
}

pub async fn check_case_create(api: &Api, space: String, input: CaseCreate) -> Answer<()> {
    api.run(move |b| b.check_case_create(&space, &input)).await
}

/// All or nothing: a stale version in any patch fails the whole batch with `conflict`, a case
/// outside `space` with `not_found`.
pub async fn update_cases(api: &Api, space: String, patches: Vec<CasePatch>) -> Answer<Vec<Case>> {
    api.run(move |b| b.update_cases(&space, &patches)).await
}

pub async fn delete_cases(api: &Api, ids: Vec<String>) -> Answer<()> {
    api.run(move |b| b.delete_cases(&ids)).await
}

pub async fn select_matching_cases(api: &Api, query: FindQuery) -> Answer<MatchingCases> {
    api.run(move |b| b.select_matching_cases(&query)).await
}

pub async fn bulk_update_matching(
    api: &Api,
    query: FindQuery,
    snapshot: String,
    after: Option<String>,
    change: BulkChange,
) -> Answer<BulkBatch> {
    api.run(move |b| b.bulk_update_matching(&query, &snapshot, after.as_deref(), &change, BULK_BATCH_CASES)).await
}

pub async fn bulk_delete_matching(
    api: &Api,
    query: FindQuery,
    snapshot: String,
    after: Option<String>,
) -> Answer<BulkBatch> {
    api.run(move |b| b.bulk_delete_matching(&query, &snapshot, after.as_deref(), BULK_BATCH_CASES)).await
}

pub async fn list_tags(api: &Api, space: String) -> Answer<Vec<String>> {
    api.run(move |b| b.tags(&space)).await
}

pub async fn tag_counts(api: &Api, space: String) -> Answer<Vec<TagCount>> {
    api.run(move |b| b.tag_counts(&space)).await
}

pub async fn list_categories(api: &Api, space: String) -> Answer<Vec<String>> {
    api.run(move |b| b.categories(&space)).await
}

pub async fn list_reporters(api: &Api, space: String) -> Answer<Vec<String>> {
    api.run(move |b| b.reporters(&space)).await
}
