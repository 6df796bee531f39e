//! `casebook comment …`: the Markdown comments of a case.

use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::{Out, case_id};
use crate::input::text_or_stdin;
use crate::print;

#[derive(Subcommand, Debug)]
pub enum CommentCmd {
    /// Add a Markdown comment.
    Add {
        case: String,
        /// The comment; `-` reads it from standard input.
        #[arg(long, allow_hyphen_values = true)]
        body: String,
    },
    /// Replace a comment's text. --version must be the version you read.
    Edit {
        case: String,
        comment: String,
        #[arg(long)]
        version: String,
        /// The new text; `-` reads it from standard input.
        #[arg(long, allow_hyphen_values = true)]
        body: String,
    },
    /// Delete a comment.
    Delete { case: String, comment: String },
    /// List the comments of a case, oldest first.
    List {
        case: String,
        #[arg(long, default_value = "asc")]
        order: String,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 100)]
        per_page: u32,
    },
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &CommentCmd) -> Result<(), Error> {
    match cmd {
        CommentCmd::Add { case, body } => {
            let body = text_or_stdin("comment", body, casebook_core::validate::MAX_COMMENT_LENGTH)?;
            let c = book.add_comment(&case_id(book, out, case)?, &body)?;
            out.show(&c, print::comment);
        }
        CommentCmd::Edit { case, comment, version, body } => {
            let body = text_or_stdin("comment", body, casebook_core::validate::MAX_COMMENT_LENGTH)?;
            let c = book.edit_comment(&case_id(book, out, case)?, comment, version, &body)?;
            out.show(&c, print::comment);
        }
        CommentCmd::Delete { case, comment } => {
            book.delete_comment(&case_id(book, out, case)?, comment)?;
            out.show(&serde_json::json!({ "deleted": comment }), |_| say!("Deleted comment {comment}."));
        }
        CommentCmd::List { case, order, page, per_page } => {
            let (comments, total) = book.list_comments(&case_id(book, out, case)?, order.parse()?, *page, *per_page)?;
            let body = serde_json::json!({ "comments": comments, "page": page, "per_page": per_page, "total": total });
            out.show(&body, |_| {
                if comments.is_empty() {
                    say!("No comments yet. Add one with: casebook comment add {case} --body \"…\"");
                }
                for c in &comments {
                    print::comment(c);
                    say!();
                }
            });
        }
    }
    Ok(())
}
