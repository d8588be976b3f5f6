//! Link settings of the shared library, per platform. The header is not generated here
//! (that would dirty the source tree on every build); see tools/gen-header.
//!
//! * Linux and the BSDs: soname `libccgw.so.<ABI>`, and `-z nodelete` so `dlclose()`
//!   never unmaps code the library's threads still run.
//! * Windows: a VERSIONINFO resource in `ccgw.dll` (file and product version = the crate
//!   version), compiled with the target's resource compiler (mingw's windres) through
//!   embed-resource. Staying loaded is done at run time there (src/platform/windows.rs).

use std::path::PathBuf;

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
    if os == "windows" {
        version_resource();
    }
}

/// Writes `ccgw.rc` (a VERSIONINFO block) into OUT_DIR and links it into the DLL only.
fn version_resource() {
    // RC string literals escape a quote by doubling it.
    let var = |name: &str| std::env::var(name).unwrap_or_default().replace('"', "\"\"");
    let (major, minor, patch) =
        (var("CARGO_PKG_VERSION_MAJOR"), var("CARGO_PKG_VERSION_MINOR"), var("CARGO_PKG_VERSION_PATCH"));
    let version = var("CARGO_PKG_VERSION");
    let description = var("CARGO_PKG_DESCRIPTION");
    let license = var("CARGO_PKG_LICENSE");
    // Numbers instead of <winver.h> names, so no SDK header is needed:
    // VS_FFI_FILEFLAGSMASK 0x3F, VOS_NT_WINDOWS32 0x40004, VFT_DLL 2, VFT2_UNKNOWN 0;
    // language 0x0409 (U.S. English) with code page 1200 (UTF-16).
    let rc = format!(
        r#"1 VERSIONINFO
FILEVERSION {major},{minor},{patch},0
PRODUCTVERSION {major},{minor},{patch},0
FILEFLAGSMASK 0x3F
FILEFLAGS 0
FILEOS 0x40004
FILETYPE 2
FILESUBTYPE 0
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "FileDescription", "{description}"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "ccgw"
      VALUE "LegalCopyright", "Licensed under {license}"
      VALUE "OriginalFilename", "ccgw.dll"
      VALUE "ProductName", "ccgw"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
"#
    );
    let out = PathBuf::from(var("OUT_DIR")).join("ccgw.rc");
    std::fs::write(&out, rc).expect("OUT_DIR is writable");
    // A DLL without its version resource is not what we ship: fail the build rather than
    // warn (the message names the missing resource compiler).
    embed_resource::compile_for_cdylib(&out, embed_resource::NONE)
        .manifest_required()
        .expect("compiling the version resource (needs the target's windres, e.g. x86_64-w64-mingw32-windres)");
}
