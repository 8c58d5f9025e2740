//! `client-generator --spec PATH --out DIR [--name CRATE_NAME] [--version VERSION]`:
//! writes a client crate for an OpenAPI 3.0 or 3.1 description.

use std::process::ExitCode;

/// The exit status of every refusal: bad arguments, a description the
/// generator cannot use, an output it cannot write, and its own bugs.
const REFUSED: u8 = 2;

fn main() -> ExitCode {
    client_generator::cli::quiet_panics();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match client_generator::cli::generate_command(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("client-generator: {message}");
            ExitCode::from(REFUSED)
        }
    }
}
