//! `client-generator --spec PATH --out DIR [--name CRATE_NAME] [--version VERSION]`:
//! writes a client crate for an OpenAPI 3.0 description.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match client_generator::cli::generate_command(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("client-generator: {message}");
            ExitCode::FAILURE
        }
    }
}
