//! The typed client written from the command table, committed, and checked by the test below
//! so CI fails when it is stale: `ui/src/lib/api/commands.ts`. Regenerate it with
//! `CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-core generated`.

use std::collections::BTreeSet;

use ts_rs::{Config, TS};

use super::comments::CommentPage;

/// The typed client, relative to the workspace root.
pub const CLIENT_PATH: &str = "ui/src/lib/api/commands.ts";
const REGENERATE: &str = "CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-core generated";

/// One entry of the table, its types as TypeScript names.
pub struct Signature {
    pub module: &'static str,
    pub name: &'static str,
    pub docs: Vec<&'static str>,
    pub args: Vec<(&'static str, String)>,
    pub answer: String,
}

/// The TypeScript name of an argument or answer type.
pub trait TsType {
    fn ts() -> String;
}

impl<T: TS> TsType for T {
    fn ts() -> String {
        T::name(&config())
    }
}

fn config() -> Config {
    // JSON numbers, not bigint, as in bindings.ts: every integer the API sends is a safe integer.
    Config::new().with_large_int("number")
}

/// Where the types the client names come from, other than bindings.ts and its own declarations.
const OTHER_MODULES: &[(&str, &str)] = &[("JsonValue", "./json")];

/// A type this crate defines, declared in the client: its name, doc comment, `type Name = …;`.
fn declaration<T: TS>(cfg: &Config) -> (String, String, String) {
    (T::ident(cfg), T::docs().unwrap_or_default(), T::decl(cfg))
}

/// `case_id` → `caseId`: Tauri's default key for a command argument, and the client's names.
pub fn camel(snake: &str) -> String {
    let mut out = String::new();
    for (n, part) in snake.split('_').enumerate() {
        let mut chars = part.chars();
        match chars.next() {
            Some(first) if n > 0 => out.extend(first.to_uppercase().chain(chars)),
            _ => out.push_str(part),
        }
    }
    out
}

/// The type names a TypeScript type text refers to (`Array<Case> | null` → `Case`).
fn referenced(ts: &str, into: &mut BTreeSet<String>) {
    for word in ts.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        let named = word.starts_with(|c: char| c.is_ascii_uppercase());
        if named && !["Array", "Record", "Partial"].contains(&word) {
            into.insert(word.to_string());
        }
    }
}

fn jsdoc(docs: &[&str], out: &mut String) {
    let lines: Vec<&str> = docs.iter().map(|d| d.strip_prefix(' ').unwrap_or(d)).collect();
    match lines.as_slice() {
        [] => {}
        [one] => out.push_str(&format!("/** {one} */\n")),
        many => {
            out.push_str("/**\n");
            for line in many {
                out.push_str(&format!(" * {line}\n"));
            }
            out.push_str(" */\n");
        }
    }
}

/// ui/src/lib/api/commands.ts: one typed function per command, and the command names.
pub fn typescript() -> String {
    let cfg = config();
    let signatures = super::signatures();
    // The answers the API itself defines, declared here (the model's are in bindings.ts).
    let shell = [declaration::<CommentPage>(&cfg)];

    let mut names = BTreeSet::new();
    for s in &signatures {
        referenced(&s.answer, &mut names);
        s.args.iter().for_each(|(_, ts)| referenced(ts, &mut names));
    }
    shell.iter().for_each(|(_, _, decl)| referenced(decl, &mut names));
    let from = |module: &str| -> Vec<&str> {
        let other = |n: &str| OTHER_MODULES.iter().find(|(name, _)| *name == n).map(|(_, m)| *m);
        names
            .iter()
            .map(String::as_str)
            .filter(|n| !shell.iter().any(|(ident, _, _)| ident == n))
            .filter(|n| other(n).unwrap_or("./bindings") == module)
            .collect()
    };

    let mut out = format!(
        "// Generated from the command table (crates/core/src/api/table.rs). Do not edit by hand:\n\
         // run `{REGENERATE}`.\n\
         // One function per command. The argument keys are the table's names in camelCase, the\n\
         // keys Tauri (and `casebook serve --dev`) map to the commands' snake_case arguments.\n\n"
    );
    for module in ["./bindings", "./client", "./json"] {
        match from(module).as_slice() {
            [] => {}
            [one] => out.push_str(&format!("import type {{ {one} }} from \"{module}\";\n")),
            many => {
                out.push_str("import type {\n");
                many.iter().for_each(|name| out.push_str(&format!("  {name},\n")));
                out.push_str(&format!("}} from \"{module}\";\n"));
            }
        }
    }
    out.push_str("import { call } from \"./invoke\";\n");

    for (_, docs, decl) in &shell {
        out.push_str(&format!("\n{docs}export {decl}\n"));
    }

    out.push_str("\n/** Every command's IPC name, in the table's order. */\nexport const COMMAND_NAMES = [\n");
    for s in &signatures {
        out.push_str(&format!("  \"{}\",\n", s.name));
    }
    out.push_str("] as const;\nexport type CommandName = (typeof COMMAND_NAMES)[number];\n");
    out.push_str("\n/** The name of each command's function below. */\nexport type CommandFunction =\n");
    for s in &signatures {
        out.push_str(&format!("  | \"{}\"\n", camel(s.name)));
    }
    out.pop();
    out.push_str(";\n");

    let mut module = "";
    for s in &signatures {
        if s.module != module {
            module = s.module;
            out.push_str(&format!("\n// crates/core/src/api/{module}.rs\n"));
        }
        jsdoc(&s.docs, &mut out);
        // Trailing nullable arguments may be left out: Tauri reads a missing key as `None`.
        let required = s.args.iter().rposition(|(_, ts)| !ts.ends_with(" | null")).map_or(0, |n| n + 1);
        let params: Vec<String> = (s.args.iter().enumerate())
            .map(|(n, (name, ts))| format!("{}: {ts}{}", camel(name), if n < required { "" } else { " = null" }))
            .collect();
        let keys: Vec<String> = s.args.iter().map(|(name, _)| camel(name)).collect();
        let args = if keys.is_empty() { String::new() } else { format!(", {{ {} }}", keys.join(", ")) };
        let head = format!("export const {} = ({}) =>", camel(s.name), params.join(", "));
        let body = format!("call<{}>(\"{}\"{args});", s.answer, s.name);
        // Within 120 columns, as the hand-written TypeScript around it.
        let gap = if head.len() + body.len() < 120 { " " } else { "\n  " };
        out.push_str(&format!("{head}{gap}{body}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn generated_client_is_current() {
        let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(super::CLIENT_PATH);
        let fresh = super::typescript();
        if std::env::var_os("CASEBOOK_UPDATE_BINDINGS").is_some() {
            std::fs::write(&file, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(committed == fresh, "{} is stale: run `{}` and commit it", super::CLIENT_PATH, super::REGENERATE);
    }

    #[test]
    fn argument_keys_are_tauris_camel_case() {
        assert_eq!(super::camel("per_page"), "perPage");
        assert_eq!(super::camel("refresh_connector_metadata"), "refreshConnectorMetadata");
        assert_eq!(super::camel("space"), "space");
    }
}
