//! The translation catalogues are compiled into the binary: rebuild when any of them changes
//! (including a new file), not only when Rust code does.
fn main() {
    println!("cargo:rerun-if-changed=src/locales");
}
