//! The rules crate's modules depend one way only: none uses (through `crate::…`) a module that
//! uses it back, directly or through others, so each reads on top of the ones it builds on.

use std::collections::{BTreeMap, BTreeSet};

/// Each module of `src/` and the modules it names as `crate::module`.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let module = path.file_stem().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        let used = source
            .split("crate::")
            .skip(1)
            .map(|rest| rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap())
            .filter(|&used| used != module)
            .map(str::to_owned)
            .collect();
        modules.insert(module, used);
    }
    modules
}

#[test]
fn no_module_depends_back_on_itself() {
    let modules = dependencies();
    assert!(modules["outcome"].contains("paytable"), "the parser sees `use crate::…`");
    for (start, direct) in &modules {
        let (mut reached, mut todo) = (BTreeSet::new(), direct.clone());
        while let Some(module) = todo.pop_first() {
            assert_ne!(&module, start, "{start} depends on itself through {reached:?}");
            if reached.insert(module.clone()) {
                todo.extend(modules.get(&module).into_iter().flatten().cloned());
            }
        }
    }
}
