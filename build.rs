//! The translation catalogues and the migrations are compiled into the binary: rebuild when any
//! of them changes (including a new file or folder), not only when Rust code does.
fn main() {
    println!("cargo:rerun-if-changed=src/locales");
    println!("cargo:rerun-if-changed=migrations");
}
