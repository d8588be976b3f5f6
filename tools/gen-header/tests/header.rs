//! The committed header must be exactly what the sources generate, and must declare only
//! prefixed names.

#[test]
fn committed_header_is_current() {
    let root = ccgw_gen_header::repo_root();
    let generated = ccgw_gen_header::generate(&root);
    let committed = std::fs::read_to_string(root.join("include/ccgw.h")).unwrap_or_default();
    assert!(
        committed == generated,
        "include/ccgw.h is stale: run `cargo run -p ccgw-gen-header` and commit the result"
    );
}

#[test]
fn header_declares_only_prefixed_names() {
    let root = ccgw_gen_header::repo_root();
    let bad = ccgw_gen_header::unprefixed_names(&ccgw_gen_header::generate(&root));
    assert!(bad.is_empty(), "names without the ccgw_/CCGW_ prefix in the header: {bad:?}");
}

#[test]
fn version_macros_follow_the_crate() {
    let root = ccgw_gen_header::repo_root();
    let header = ccgw_gen_header::generate(&root);
    let v = ccgw_gen_header::crate_version(&root);
    assert!(header.contains(&format!("#define CCGW_VERSION_STRING \"{v}\"")));
}
