//! Link settings of the shared library. The header is not generated here (that would
//! dirty the source tree on every build); see tools/gen-header.

/// ABI major version; must equal `CCGW_ABI_VERSION` in src/ffi/common.rs (a test compares
/// the built library's soname with `ccgw_abi_version()`).
const ABI_MAJOR: u32 = 1;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "android" || os.ends_with("bsd") {
        // The soname carries the ABI major: libccgw.so.1.
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libccgw.so.{ABI_MAJOR}");
        // Never unloaded: runtime threads and thread-locals outlive dlclose() otherwise.
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
}
