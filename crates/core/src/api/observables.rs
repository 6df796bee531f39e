//! A case's observables, their types, and the cases that share them.

use super::{Answer, Api};
use crate::{LeftOutPage, Observable, ObservableInput, ObservableType, Promotion, SimilarCasesPage};

pub async fn list_observables(api: &Api, case_id: String) -> Answer<Vec<Observable>> {
    api.run(move |b| b.list_observables(&case_id)).await
}

pub async fn add_observable(api: &Api, case_id: String, input: ObservableInput) -> Answer<Observable> {
    api.run(move |b| b.add_observable(&case_id, &input)).await
}

pub async fn update_observable(
    api: &Api,
    case_id: String,
    observable_id: String,
    input: ObservableInput,
) -> Answer<Observable> {
    api.run(move |b| b.update_observable(&case_id, &observable_id, &input)).await
}

pub async fn delete_observable(api: &Api, case_id: String, observable_id: String) -> Answer<()> {
    api.run(move |b| b.delete_observable(&case_id, &observable_id)).await
}

pub async fn left_out_observables(api: &Api, case_id: String, page: u32, per_page: u32) -> Answer<LeftOutPage> {
    api.run(move |b| b.left_out_observables(&case_id, page, per_page)).await
}

pub async fn promote_observable(api: &Api, case_id: String, type_key: String, value: String) -> Answer<Promotion> {
    api.run(move |b| b.promote_observable(&case_id, &type_key, &value)).await
}

pub async fn observable_types(api: &Api, space: String) -> Answer<Vec<ObservableType>> {
    api.run(move |b| b.observable_types(&space)).await
}

pub async fn similar_cases(api: &Api, case_id: String, page: u32, per_page: u32) -> Answer<SimilarCasesPage> {
    api.run(move |b| b.similar_cases(&case_id, page, per_page)).await
}
