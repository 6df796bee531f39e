// Kibana's limits as the core enforces them (crates/core/src/validate.rs): text is trimmed
// (Rust's trim), then measured in characters.
export const MAX_TITLE_LENGTH = 160;
export const MAX_DESCRIPTION_LENGTH = 30_000;
export const MAX_COMMENT_LENGTH = 30_000;
export const MAX_TAGS_PER_CASE = 200;
export const MAX_LENGTH_PER_TAG = 256;
export const MAX_CATEGORY_LENGTH = 50;
export const MAX_CASES_PER_PAGE = 100;
export const MAX_DOCS_PER_PAGE = 10_000;
export const MAX_SPACE_NAME_LENGTH = 100;
