//! Generates `include/ccgw.h` from the ccgw crate with cbindgen, adding version macros
//! taken from the root `Cargo.toml` so they can never drift from the crate version.

use std::path::{Path, PathBuf};

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root exists")
}

/// `version = "x.y.z"` of the root package.
pub fn crate_version(root: &Path) -> String {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("root Cargo.toml is readable");
    let mut in_package = false;
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
        } else if in_package {
            if let Some(v) = t.strip_prefix("version").map(str::trim).and_then(|r| r.strip_prefix('=')) {
                return v.trim().trim_matches('"').to_string();
            }
        }
    }
    panic!("no version in [package] of the root Cargo.toml");
}

fn version_macros(version: &str) -> String {
    let parts: Vec<u32> = version.split(['.', '-', '+']).take(3).map(|p| p.parse().expect("numeric version")).collect();
    let (major, minor, patch) = (parts[0], parts[1], parts[2]);
    format!(
        "\n#if defined(_WIN32) && !defined(CCGW_STATIC)\n#define CCGW_API __declspec(dllimport)\n#else\n#define CCGW_API\n#endif\n\n\
         /** Version of this header: major, minor, patch, string, and packed (major << 16 | minor << 8 | patch). */\n\
         #define CCGW_VERSION_MAJOR {major}\n/** Minor version of this header. */\n#define CCGW_VERSION_MINOR {minor}\n\
         /** Patch version of this header. */\n#define CCGW_VERSION_PATCH {patch}\n\
         /** Version of this header as a string, \"MAJOR.MINOR.PATCH\". */\n#define CCGW_VERSION_STRING \"{version}\"\n\
         /** Version of this header packed as (major << 16 | minor << 8 | patch), for comparisons. */\n\
         #define CCGW_VERSION_NUMBER {}\n",
        (major << 16) | (minor << 8) | patch
    )
}

/// The header text for the crate at `root`.
pub fn generate(root: &Path) -> String {
    let mut config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml is valid");
    config.after_includes = Some(version_macros(&crate_version(root)));
    let bindings =
        cbindgen::Builder::new().with_crate(root).with_config(config).generate().expect("cbindgen can parse the crate");
    let mut out = Vec::new();
    bindings.write(&mut out);
    let text = String::from_utf8(out).expect("the header is UTF-8");
    // Negative macro values in parentheses, so `x-CCGW_UNSET` means what it says.
    text.lines()
        .map(|l| match l.strip_prefix("#define ").and_then(|r| r.split_once(' ')) {
            Some((name, value)) if value.starts_with('-') => format!("#define {name} ({value})"),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The header without its comments.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i + 2..].find("*/").map_or("", |j| &rest[i + 2 + j + 2..]);
    }
    out.push_str(rest);
    out
}

fn last_identifier(s: &str) -> Option<&str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).rfind(|t| !t.is_empty())
}

/// Names the header declares (macros, typedefs, functions) that lack the library's prefix.
pub fn unprefixed_names(header: &str) -> Vec<String> {
    let code = strip_comments(header);
    let mut names = Vec::new();
    for line in code.lines() {
        if let Some(rest) = line.trim_start().strip_prefix("#define ") {
            names.extend(rest.split_whitespace().next().map(str::to_string));
        }
    }
    // Top-level declarations only: drop the C++ guard and collapse `{ ... }` bodies.
    let mut top = String::new();
    let mut depth = 0usize;
    for line in code.lines().filter(|l| !l.trim_start().starts_with('#') && !l.contains("extern \"C\"")) {
        let line = line.split("//").next().unwrap_or("");
        for c in line.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ if depth == 0 => top.push(c),
                _ => {}
            }
        }
        top.push(' ');
    }
    for decl in top.split(';') {
        let d = decl.trim();
        if d.contains("CCGW_API") {
            names.extend(d.split('(').next().and_then(last_identifier).map(str::to_string));
        } else if let Some(t) = d.strip_prefix("typedef") {
            // `typedef ... name` or a function-pointer typedef `typedef R (*name)(...)`.
            let name = match t.find("(*") {
                Some(i) => t[i + 2..].split(')').next().map(str::trim),
                None => last_identifier(t),
            };
            names.extend(name.map(str::to_string));
        }
    }
    names.retain(|n| !(n.starts_with("ccgw_") || n.starts_with("CCGW_")));
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_prefix_check_finds_every_kind_of_declaration() {
        let h = "/* FOO in a comment */\n#define FOO 1\n#define CCGW_OK 0\ntypedef int bar;\n\
                 typedef struct ccgw_x { int y; } ccgw_x;\ntypedef void (*cb)(void *u);\n\
                 #ifdef __cplusplus\nextern \"C\" {\n#endif\nCCGW_API void baz(int a);\nCCGW_API\nint ccgw_ok(void);\n\
                 #ifdef __cplusplus\n}  // extern \"C\"\n#endif\n";
        assert_eq!(super::unprefixed_names(h), vec!["FOO", "bar", "baz", "cb"]);
    }
}
