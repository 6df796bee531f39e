// The core's validation limits, generated into the bindings from crates/core/src/validate.rs
// so the UI can never drift from them.
export {
  MAX_CASES_PER_PAGE,
  MAX_CATEGORY_LENGTH,
  MAX_COMMENT_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  MAX_DOCS_PER_PAGE,
  MAX_LENGTH_PER_TAG,
  MAX_SPACE_NAME_LENGTH,
  MAX_TAGS_PER_CASE,
  MAX_TITLE_LENGTH,
} from "./api/bindings";
