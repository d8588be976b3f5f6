//! `cargo run -p ccgw-gen-header` writes include/ccgw.h; `-- --check` only compares.

fn main() {
    let root = ccgw_gen_header::repo_root();
    let header = ccgw_gen_header::generate(&root);
    let path = root.join("include/ccgw.h");
    if std::env::args().any(|a| a == "--check") {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != header {
            eprintln!("include/ccgw.h is stale: run `cargo run -p ccgw-gen-header`");
            std::process::exit(1);
        }
        println!("include/ccgw.h is up to date");
        return;
    }
    std::fs::create_dir_all(path.parent().expect("include dir")).expect("create include/");
    std::fs::write(&path, header).expect("write include/ccgw.h");
    println!("wrote {}", path.display());
}
