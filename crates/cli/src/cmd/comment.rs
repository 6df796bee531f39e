use casebook_core::{Casebook, Error};

use super::{Out, case_id};
use crate::args::CommentCmd;
use crate::input::text_or_stdin;
use crate::print;

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
