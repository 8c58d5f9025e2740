//! Stages 3 and 4 part by part, across threads: each part of a file (see
//! [`Planned`]) is emitted and rendered by one thread, because token streams
//! cannot cross threads.
//!
//! Rendering is most of a generation's time, and parts are independent, so
//! they are shared out to one thread per core. Each thread drops a part's
//! tokens as soon as its text is made, so at most one part's tokens per
//! thread are held at once. The texts are put back in plan order, so the
//! output does not depend on which thread made which part.

use std::num::NonZero;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::emit::{self, Planned};
use crate::error::Error;
use crate::model::Api;
use crate::{File, Options, render};

/// How many threads [`files`] uses: one per core the process may run on.
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, NonZero::get)
}

/// Every planned file of the crate for `api` in parts of up to
/// `items_per_part` items, emitted and rendered on up to `threads` threads
/// (the calling thread among them), in plan order.
pub fn files(
    api: &Api,
    options: &Options,
    threads: usize,
    items_per_part: usize,
) -> Result<Vec<File>, Error> {
    let planned = emit::plan(api, items_per_part);
    let next = AtomicUsize::new(0);
    // Each thread takes the next part not yet taken until none is left.
    let work = || {
        let mut made = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = planned.get(index) else {
                return made;
            };
            made.push((index, make(part, api, options)));
        }
    };
    let helpers = threads.min(planned.len()).saturating_sub(1);
    let mut made = if helpers == 0 {
        work()
    } else {
        std::thread::scope(|scope| {
            // A helper the system cannot start leaves its share to the
            // others; the calling thread alone can do all of it.
            let helpers: Vec<_> = (0..helpers)
                .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
                .collect();
            let mut made = work();
            for helper in helpers {
                // A panic in a helper is a generator bug; it stays a panic.
                made.extend(
                    helper
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
            }
            made
        })
    };
    made.sort_unstable_by_key(|(index, _)| *index);
    let parts = planned
        .into_iter()
        .zip(made)
        .map(|(part, (_, text))| Ok((part.path, part.first, text?)));
    join(parts)
}

/// Each file's text from its parts' texts, which come in plan order as
/// `(path, whether the part starts its file, text)`.
pub fn join(
    parts: impl IntoIterator<Item = Result<(String, bool, String), Error>>,
) -> Result<Vec<File>, Error> {
    let mut files: Vec<(String, Vec<String>)> = Vec::new();
    for part in parts {
        let (path, first, text) = part?;
        match files.last_mut() {
            Some((_, texts)) if !first => texts.push(text),
            _ => files.push((path, vec![text])),
        }
    }
    Ok(files
        .into_iter()
        .map(|(path, texts)| File {
            contents: render::file(&path, texts),
            path,
        })
        .collect())
}

/// One part's text: emitted, then rendered, on the calling thread.
fn make(part: &Planned<'_>, api: &Api, options: &Options) -> Result<String, Error> {
    render::part(&part.path, part.emit(api, options), part.first)
}
