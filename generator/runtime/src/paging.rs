//! Every item of a paged list, as a stream that fetches page after page.
//!
//! One walk underlies every paging style: fetch the page at a position,
//! yield its items, move to the position the page leads to, until none.
//! The styles differ only in positions: page numbers ([`items`]), item
//! offsets ([`by_offset`]), and cursors or URLs that each page gives for the
//! next ([`linked`]). Each page is a whole request of the operation, so it
//! is authenticated, retried and checked as any other.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::stream::{self, Stream};
use reqwest::header::{HeaderMap, LINK};

use super::error::Error;

/// One page of a list: its items and, when the server says, how many there
/// are in all.
#[derive(Debug)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The number of items of the whole list.
    pub total: Option<u64>,
}

/// One page of a list that names the next: a cursor or a URL.
#[derive(Debug)]
pub struct Linked<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// What leads to the next page; none (or empty) on the last.
    pub next: Option<String>,
}

/// Streams the items of pages `first_page`, `first_page + 1`, … as `fetch`
/// returns them, one page at a time, until the pages reach `total`, a page
/// comes back shorter than `page_size` (or empty), or a fetch fails (its
/// error is the stream's last item).
pub fn items<T, E, F, Fut>(
    first_page: u32,
    page_size: Option<usize>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<E>>>,
{
    // Items before the first page fetched count towards the total too.
    let skipped = page_size.map_or(0, |size| {
        u64::from(first_page.saturating_sub(1)) * size as u64
    });
    let mut seen = skipped;
    walk(first_page, fetch, move |page_number, page: Page<T>| {
        seen += page.items.len() as u64;
        let next = match last(&page, page_size, seen) {
            true => None,
            false => page_number.checked_add(1),
        };
        (page.items, next)
    })
}

/// Streams the items of the pages starting at item `first_offset` and
/// after, as `fetch` returns them, one page at a time, until the items reach
/// `total`, a page comes back shorter than `limit` (or empty), or a fetch
/// fails (its error is the stream's last item).
pub fn by_offset<T, E, F, Fut>(
    first_offset: u64,
    limit: Option<usize>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<E>>>,
{
    walk(first_offset, fetch, move |offset, page: Page<T>| {
        let next = offset.saturating_add(page.items.len() as u64);
        let next = (!last(&page, limit, next)).then_some(next);
        (page.items, next)
    })
}

/// Streams the items of a list whose pages each name the next, by a cursor
/// or a URL: `fetch(None)` fetches the first page, `fetch(Some(next))` the
/// one the previous page named, until a page names none (or an empty one,
/// or the one it was fetched with), or a fetch fails (its error is the
/// stream's last item).
pub fn linked<T, E, F, Fut>(fetch: F) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Linked<T>, Error<E>>>,
{
    walk(None, fetch, |at: Option<String>, page: Linked<T>| {
        let next = page
            .next
            .filter(|next| !next.is_empty() && Some(next) != at.as_ref());
        (page.items, next.map(Some))
    })
}

/// The `rel="next"` target of `headers`' `Link` (RFC 8288), as written.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|link| {
            let (target, parameters) = link.trim().strip_prefix('<')?.split_once('>')?;
            let next = parameters.split(';').any(|parameter| {
                let Some((name, value)) = parameter.split_once('=') else {
                    return false;
                };
                let relations = value.trim().trim_matches('"');
                name.trim().eq_ignore_ascii_case("rel")
                    && relations
                        .split_ascii_whitespace()
                        .any(|relation| relation.eq_ignore_ascii_case("next"))
            });
            next.then(|| target.to_owned())
        })
}

/// Whether `page` is the last: empty, shorter than `page_size`, or
/// reaching its total with `seen` items.
fn last<T>(page: &Page<T>, page_size: Option<usize>, seen: u64) -> bool {
    let count = page.items.len();
    count == 0
        || page_size.is_some_and(|size| count < size)
        || page.total.is_some_and(|total| seen >= total)
}

/// Fetches the page at `first`, yields its items, and goes on to the
/// position `after` gives from the page, until it gives none.
fn walk<P, R, T, E, F, Fut, A>(
    first: P,
    fetch: F,
    after: A,
) -> impl Stream<Item = Result<T, Error<E>>>
where
    P: Clone,
    F: FnMut(P) -> Fut,
    Fut: Future<Output = Result<R, Error<E>>>,
    A: FnMut(P, R) -> (Vec<T>, Option<P>),
{
    let state = Walk {
        fetch,
        after,
        next: Some(first),
        buffered: VecDeque::new(),
    };
    stream::try_unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffered.pop_front() {
                return Ok(Some((item, state)));
            }
            let Some(position) = state.next.take() else {
                return Ok(None);
            };
            let page = (state.fetch)(position.clone()).await?;
            let (items, next) = (state.after)(position, page);
            state.next = next;
            state.buffered.extend(items);
        }
    })
}

struct Walk<P, T, F, A> {
    fetch: F,
    after: A,
    next: Option<P>,
    buffered: VecDeque<T>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{StreamExt, TryStreamExt};

    fn numbers(
        total: u64,
        size: usize,
    ) -> impl FnMut(u32) -> std::future::Ready<Result<Page<u64>, Error<()>>> {
        move |page| {
            let start = u64::from(page - 1) * size as u64;
            let items = (start..total.min(start + size as u64)).collect();
            std::future::ready(Ok(Page {
                items,
                total: Some(total),
            }))
        }
    }

    /// Polls to completion; every future here is ready at once, so no
    /// waker is ever needed (and no async runtime).
    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
                return output;
            }
        }
    }

    #[test]
    fn follows_pages_until_the_total() {
        let all: Vec<u64> = block_on(items(1, Some(3), numbers(7, 3)).try_collect()).unwrap();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn stops_at_a_short_page_without_a_total() {
        let mut calls = 0;
        let fetch = |page: u32| {
            calls += 1;
            let items = if page == 1 { vec![1, 2] } else { vec![3] };
            std::future::ready(Ok::<_, Error<()>>(Page { items, total: None }))
        };
        let all: Vec<u32> = block_on(items(1, Some(2), fetch).try_collect()).unwrap();
        assert_eq!(all, [1, 2, 3]);
        assert_eq!(calls, 2);
    }

    #[test]
    fn an_error_ends_the_stream() {
        let fetch = |page: u32| {
            std::future::ready(if page == 1 {
                Ok(Page {
                    items: vec![1, 2],
                    total: Some(10),
                })
            } else {
                Err(Error::<()>::InvalidInput {
                    field: "pageNum".into(),
                    rule: "test".into(),
                })
            })
        };
        let results: Vec<_> = block_on(items(1, Some(2), fetch).collect());
        assert_eq!(results.len(), 3);
        assert!(results[2].is_err());
    }

    #[test]
    fn offsets_advance_by_the_items_received() {
        let mut asked = Vec::new();
        let fetch = |offset: u64| {
            asked.push(offset);
            let items: Vec<u64> = (offset..7.min(offset + 3)).collect();
            std::future::ready(Ok::<_, Error<()>>(Page { items, total: None }))
        };
        let all: Vec<u64> = block_on(by_offset(0, Some(3), fetch).try_collect()).unwrap();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
        assert_eq!(asked, [0, 3, 6]);
    }

    #[test]
    fn linked_pages_end_without_a_next_or_with_the_same_one() {
        let pages = |next: &[Option<&str>]| {
            let next: Vec<Option<String>> = next.iter().map(|n| n.map(str::to_owned)).collect();
            let mut asked = Vec::new();
            let mut fetch = |at: Option<String>| {
                let index = asked.len();
                asked.push(at);
                std::future::ready(Ok::<_, Error<()>>(Linked {
                    items: vec![index],
                    next: next[index].clone(),
                }))
            };
            let all: Vec<usize> = block_on(linked(&mut fetch).try_collect()).unwrap();
            (all, asked)
        };
        let (all, asked) = pages(&[Some("b"), Some("c"), None]);
        assert_eq!(all, [0, 1, 2]);
        assert_eq!(asked, [None, Some("b".to_owned()), Some("c".to_owned())]);
        assert_eq!(pages(&[Some("b"), Some("")]).0, [0, 1]);
        assert_eq!(pages(&[Some("b"), Some("b")]).0, [0, 1]);
    }

    #[test]
    fn the_next_link_is_read_from_any_link_header() {
        let headers = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(LINK, value.parse().unwrap());
            }
            headers
        };
        let github = r#"<https://api.example.com/r?page=2>; rel="next", <https://api.example.com/r?page=5>; rel="last""#;
        assert_eq!(
            next_link(&headers(&[github])).as_deref(),
            Some("https://api.example.com/r?page=2")
        );
        let spread = headers(&[
            "</a?p=1>; rel=prev",
            "</a?p=3>; title=\"x\"; REL=\"last next\"",
        ]);
        assert_eq!(next_link(&spread).as_deref(), Some("/a?p=3"));
        assert_eq!(next_link(&headers(&["</a>; rel=\"prev\""])), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
