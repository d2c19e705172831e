//! The shape of the code base, checked: every arrow points down (no import cycle among the source
//! files), nothing but an area's `mod.rs` imports its page files, files and handlers stay small,
//! and stored states are written only in their enum's file. Read as text: `use crate::…` lines
//! and `crate::…`/`super::…` paths in code, resolved to the file of the longest module they name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 800;
const MAX_HANDLER_LINES: usize = 60;

/// Stored codes that only their enum's file may spell (see src/domain/states.rs, role.rs and
/// src/audit/models.rs).
const STORED_CODES: &[&str] = &[
    "draft",
    "published",
    "archived",
    "automatic",
    "reviewed",
    "inclusive",
    "subject",
    "digital",
    "lesson",
    "quiz",
    "active",
    "completed",
    "withdrawn",
    "teacher",
    "coordinator",
    "admin",
    // Audit subjects (src/audit/models.rs); "region" is also a field and a sort word.
    "user",
    "course",
    "certificate",
    "enrolment",
    "target",
];
const ENUM_FILES: &[&str] = &[
    "domain/states.rs",
    "domain/role.rs",
    "audit/models.rs",
    "schema.rs",
];

struct Source {
    /// `accounts::admin::users` for src/accounts/admin/users.rs; `accounts` for its mod.rs.
    module: String,
    /// Relative to src/.
    path: String,
    /// The file without its `#[cfg(test)]` unit tests.
    code: String,
}

fn sources() -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|file| {
            let path = file
                .strip_prefix(&root)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            if path == "main.rs" {
                return None;
            }
            let text = std::fs::read_to_string(&file).expect("read source");
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => text[..at].to_owned(),
                None => text,
            };
            let stem = path.trim_end_matches(".rs");
            let stem = stem
                .strip_suffix("/mod")
                .unwrap_or(if stem == "lib" { "" } else { stem });
            Some(Source {
                module: stem.replace('/', "::"),
                path,
                code,
            })
        })
        .collect()
}

/// Code without comments and string literals, so that paths in docs or text are not imports.
fn code_only(code: &str) -> String {
    code.lines()
        .map(|line| {
            let line = line.split("//").next().unwrap_or("");
            let mut out = String::new();
            let mut in_string = false;
            let mut escaped = false;
            for c in line.chars() {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        in_string = false;
                    }
                } else if c == '"' {
                    in_string = true;
                    out.push_str("\"\"");
                } else {
                    out.push(c);
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path a file refers to (`crate::a::b::c`, `super::x`, and each item of a
/// `use a::{b, c::d}` group), made absolute.
fn referenced_paths(source: &Source) -> Vec<String> {
    let code = code_only(&source.code);
    let parent: Vec<&str> = if source.module.is_empty() {
        Vec::new()
    } else {
        source.module.split("::").collect()
    };
    // `super::` is the module above this one, `self::` this one (for a mod.rs, its folder's).
    let super_base: Vec<&str> = parent[..parent.len().saturating_sub(1)].to_vec();
    let self_base: Vec<&str> = parent.clone();
    let mut paths = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        let starts_word = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_');
        let (base, skip) = if starts_word && rest.starts_with("crate::") {
            (Vec::new(), 7)
        } else if starts_word && rest.starts_with("super::") {
            (super_base.clone(), 7)
        } else if starts_word && rest.starts_with("self::") {
            (self_base.clone(), 6)
        } else {
            i += 1;
            continue;
        };
        i += skip;
        let start = i;
        // The path, including a `{…}` group.
        let mut depth = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if c == '{' {
                depth += 1;
            } else if c == '}' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') {
                break;
            }
            i += 1;
        }
        let text: String = bytes[start..i].iter().collect();
        let prefix = base.join("::");
        for path in expand(&text) {
            let path = path.trim_matches(':').to_owned();
            let full = match (prefix.is_empty(), path.is_empty()) {
                (true, _) => path,
                (false, true) => prefix.clone(),
                (false, false) => format!("{prefix}::{path}"),
            };
            paths.push(full);
        }
    }
    paths
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(text: &str) -> Vec<String> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = text.find('{') else {
        return vec![text.trim_end_matches("::").to_owned()];
    };
    let head = text[..open].trim_end_matches("::");
    let inner = &text[open + 1..text.rfind('}').unwrap_or(text.len())];
    let mut items = Vec::new();
    let (mut depth, mut current) = (0, String::new());
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
        .into_iter()
        .filter(|item| !item.is_empty())
        .flat_map(|item| {
            let item = item.split(" as ").next().unwrap_or("").to_owned();
            let item = item.trim_end_matches("as").to_owned();
            expand(&item)
                .into_iter()
                .map(|sub| match sub.as_str() {
                    "self" => head.to_owned(),
                    _ if head.is_empty() => sub,
                    _ => format!("{head}::{sub}"),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The file a path lands in: the longest module it names.
fn resolve<'a>(path: &str, modules: &'a BTreeMap<String, String>) -> Option<&'a String> {
    let mut parts: Vec<&str> = path.split("::").collect();
    while !parts.is_empty() {
        if let Some(file) = modules.get(&parts.join("::")) {
            return Some(file);
        }
        parts.pop();
    }
    None
}

fn graph(sources: &[Source]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeMap<String, String> = sources
        .iter()
        .map(|s| (s.module.clone(), s.path.clone()))
        .collect();
    sources
        .iter()
        .map(|source| {
            let targets = referenced_paths(source)
                .iter()
                .filter_map(|path| resolve(path, &modules))
                .filter(|target| **target != source.path && target.as_str() != "lib.rs")
                .cloned()
                .collect();
            (source.path.clone(), targets)
        })
        .collect()
}

/// A page file: an area's file (not its mod.rs) that renders a template or answers requests.
fn is_page_file(source: &Source) -> bool {
    let in_area = source.path.contains('/') && !source.path.starts_with("web/");
    in_area
        && !source.path.ends_with("mod.rs")
        && (source.code.contains("#[derive(Template)]")
            || source.code.contains("-> AppResult<HttpResponse>"))
}

#[test]
fn no_import_cycle_among_the_source_files() {
    let graph = graph(&sources());
    // Tarjan's strongly connected components; any with more than one file is a cycle.
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        cycles: Vec<Vec<&'a str>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            for next in self.graph.get(node).into_iter().flatten() {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    component.push(top);
                    if top == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.cycles.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        cycles: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    let described: Vec<String> = walk
        .cycles
        .iter()
        .map(|files| {
            let edges: Vec<String> = files
                .iter()
                .flat_map(|from| {
                    graph[*from]
                        .iter()
                        .filter(|to| files.contains(&to.as_str()))
                        .map(move |to| format!("    {from} -> {to}"))
                })
                .collect();
            format!("{} files:\n{}", files.len(), edges.join("\n"))
        })
        .collect();
    assert!(
        described.is_empty(),
        "import cycles among src/ files:\n{}",
        described.join("\n")
    );
}

#[test]
fn only_an_areas_mod_rs_imports_its_page_files() {
    let sources = sources();
    let graph = graph(&sources);
    let pages: BTreeSet<&str> = sources
        .iter()
        .filter(|s| is_page_file(s))
        .map(|s| s.path.as_str())
        .collect();
    let mut wrong = Vec::new();
    for (from, targets) in &graph {
        for to in targets.iter().filter(|t| pages.contains(t.as_str())) {
            // The mod.rs of the page's own folder, or of the area above it.
            let area = to.split('/').next().unwrap_or("");
            let allowed = from == &format!("{area}/mod.rs")
                || Path::new(to)
                    .parent()
                    .is_some_and(|dir| *from == format!("{}/mod.rs", dir.display()));
            if !allowed {
                wrong.push(format!("  {from} imports the page file {to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "page files imported from outside their area's mod.rs:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_file_is_over_800_lines() {
    let long: Vec<String> = sources()
        .iter()
        .filter(|s| s.path != "schema.rs")
        .map(|s| (s.path.clone(), s.code.lines().count()))
        .filter(|(_, lines)| *lines > MAX_FILE_LINES)
        .map(|(path, lines)| format!("  src/{path}: {lines} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines (tests aside):\n{}",
        long.join("\n")
    );
}

#[test]
fn no_handler_is_over_60_lines() {
    let mut long = Vec::new();
    for source in sources() {
        let lines: Vec<&str> = source.code.lines().collect();
        for (start, line) in lines.iter().enumerate() {
            if !line.starts_with("pub async fn ") && !line.starts_with("async fn ") {
                continue;
            }
            let length = lines[start..]
                .iter()
                .position(|l| *l == "}")
                .map_or(lines.len() - start, |end| end + 1);
            if length > MAX_HANDLER_LINES {
                let name = line
                    .split("fn ")
                    .nth(1)
                    .and_then(|rest| rest.split(['(', '<']).next())
                    .unwrap_or("?");
                long.push(format!(
                    "  src/{}:{} {name}: {length} lines",
                    source.path,
                    start + 1
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "handlers over {MAX_HANDLER_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn stored_states_are_spelled_only_in_their_enums() {
    let mut found = Vec::new();
    for source in sources() {
        if ENUM_FILES.contains(&source.path.as_str()) {
            continue;
        }
        for (n, line) in source.code.lines().enumerate() {
            // A comment or a word of a URL (`?sort=inclusive`, marked `// URL word`).
            if line.trim_start().starts_with("//") || line.ends_with("// URL word") {
                continue;
            }
            // Compared, matched or bound: `.eq("quiz")`, `== "quiz"`, `"quiz" =>`, `=> "quiz"`.
            // (A JSON key or a form field of the same name is not a stored state.)
            for code in STORED_CODES {
                let uses = [
                    format!("eq(\"{code}\")"),
                    format!("ne(\"{code}\")"),
                    format!("== \"{code}\""),
                    format!("!= \"{code}\""),
                    format!("\"{code}\" =>"),
                    format!("=> \"{code}\""),
                ];
                // An enum of the area's own spelling its codes (`Status::Active => "active"`).
                let spells_own_variant =
                    line.trim_start().split(" => ").next().is_some_and(|arm| {
                        arm.split("::").count() == 2
                            && arm
                                .chars()
                                .all(|c| c.is_alphanumeric() || c == ':' || c == '_')
                    });
                if !spells_own_variant && uses.iter().any(|u| line.contains(u.as_str())) {
                    found.push(format!("  src/{}:{}: {}", source.path, n + 1, line.trim()));
                }
            }
            // Audit actions: "area.something".
            for action in [
                "\"user.",
                "\"course.",
                "\"certificate.",
                "\"target.",
                "\"reminders.",
                "\"enrolment.",
            ] {
                if line.contains(action) {
                    found.push(format!("  src/{}:{}: {}", source.path, n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "stored states written as strings outside their enum (use the enum's as_str/parse):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_transaction_opens_through_db_transaction() {
    // `db::transaction` takes SQLite's write lock up front and retries PostgreSQL's aborted
    // transactions; a transaction opened any other way answers "database is locked" under load.
    let direct: Vec<String> = sources()
        .iter()
        .filter(|s| s.path != "db.rs")
        .flat_map(|s| {
            code_only(&s.code)
                .lines()
                .enumerate()
                .filter(|(_, line)| {
                    line.contains(".transaction(")
                        || line.contains(".transaction::<")
                        || line.contains("immediate_transaction")
                        || line.contains("build_transaction")
                })
                .map(|(n, line)| format!("  src/{}:{}: {}", s.path, n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        direct.is_empty(),
        "transactions opened around db::transaction:\n{}",
        direct.join("\n")
    );
}
