fn main() {
    std::process::exit(lawful::cli::main());
}

/// jemalloc instead of the system allocator: `check` spends a fifth of its CPU in glibc's
/// malloc and free on large projects; jemalloc cuts `check` by about 15 % and `build`'s
/// peak memory by about 10 % (docs/performance.md, item 22). Not on Windows (MSVC), where
/// jemalloc does not build.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
