fn main() {
    std::process::exit(lawful::cli::main());
}
