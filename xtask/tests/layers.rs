//! The module structure the crates promise: `xtask`'s modules in layers, each using only the
//! layers above it, and no module cycle in `xtask` or `game` (a cycle is two modules that
//! cannot be understood one without the other).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Which of a crate's top-level modules each one names through `crate::`.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// `xtask`'s layers, first to last (the order of `xtask/src/lib.rs`).
const XTASK_LAYERS: [&[&str]; 7] = [
    &["toolchain"],
    &["prerequisites"],
    &["site", "lambda"],
    &["dist"],
    &["aws"],
    &["serve", "deploy"],
    &["test", "bench", "load"],
];

fn crate_src(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name).join("src")
}

/// The top-level modules of the crate in `src` (files and folders beside `lib.rs`).
fn modules(src: &Path) -> BTreeSet<String> {
    fs::read_dir(src)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let stem = path.file_stem()?.to_str()?.to_owned();
            (path.is_dir() || path.extension()? == "rs").then_some(stem)
        })
        .filter(|name| !matches!(name.as_str(), "lib" | "main"))
        .collect()
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The first path segments after each `crate::` in `code`: `crate::site::build` names `site`,
/// `use crate::{Result, dist::{self, Arch}}` names `Result` and `dist`.
fn named_after_crate(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (index, _) in code.match_indices("crate::") {
        let rest = &code[index + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let (mut depth, mut item) = (0, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.extend(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            names.extend(first_segment(&item));
        } else {
            names.extend(first_segment(rest));
        }
    }
    names
}

fn first_segment(path: &str) -> Option<String> {
    let segment: String =
        path.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!segment.is_empty()).then_some(segment)
}

/// Each top-level module of the crate in `src` and the other top-level modules it names.
fn graph(src: &Path) -> Graph {
    let modules = modules(src);
    let mut graph: Graph = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    let mut files = Vec::new();
    rust_files(src, &mut files);
    for file in files {
        let top = file.strip_prefix(src).unwrap().components().next().unwrap();
        let top = Path::new(top.as_os_str()).file_stem().unwrap().to_str().unwrap().to_owned();
        let Some(uses) = graph.get_mut(&top) else { continue }; // lib.rs, main.rs
        let code = fs::read_to_string(&file).unwrap();
        uses.extend(
            named_after_crate(&code).into_iter().filter(|n| modules.contains(n) && *n != top),
        );
    }
    graph
}

/// A cycle in `graph`, as the modules along it, if there is one.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in &graph[node] {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_reader_of_crate_paths_finds_every_named_module() {
    let code = "use crate::{Result, dist::{self, Arch}, site};\nlet x = crate::lambda::build();";
    let names: Vec<_> = named_after_crate(code).into_iter().collect();
    assert_eq!(names, ["Result", "dist", "lambda", "site"]);
}

#[test]
fn a_cycle_is_found_and_a_layering_is_not_one() {
    let edges = |pairs: &[(&str, &str)]| {
        let mut graph = Graph::new();
        for (from, to) in pairs {
            graph.entry(from.to_string()).or_default().insert(to.to_string());
            graph.entry(to.to_string()).or_default();
        }
        graph
    };
    assert_eq!(cycle(&edges(&[("a", "b"), ("b", "c")])), None);
    let found = cycle(&edges(&[("a", "b"), ("b", "c"), ("c", "a")])).unwrap();
    assert_eq!(found.len(), 4, "{found:?}");
}

#[test]
fn xtask_modules_use_only_the_layers_above_them() {
    let graph = graph(&crate_src("xtask"));
    let layer_of = |module: &str| {
        XTASK_LAYERS
            .iter()
            .position(|layer| layer.contains(&module))
            .unwrap_or_else(|| panic!("module {module} is in no layer of XTASK_LAYERS"))
    };
    for (module, uses) in &graph {
        for used in uses {
            assert!(
                layer_of(used) < layer_of(module),
                "xtask::{module} uses xtask::{used}, which is not in a layer above it"
            );
        }
    }
}
#[test]
fn game_modules_have_no_cycle() {
    let graph = graph(&crate_src("game"));
    assert!(graph.len() > 3, "found the game's modules: {graph:?}");
    assert_eq!(cycle(&graph), None, "a module cycle in game");
}
