//! Every item of a paged list, as a stream that fetches page after page.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::stream::{self, Stream};

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
    let state = Pages {
        fetch,
        next: Some(first_page),
        first_page,
        page_size,
        seen: 0,
        buffered: VecDeque::new(),
    };
    stream::try_unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffered.pop_front() {
                return Ok(Some((item, state)));
            }
            let Some(page_number) = state.next else {
                return Ok(None);
            };
            let page = (state.fetch)(page_number).await?;
            state.next = state.after(page_number, &page);
            state.buffered.extend(page.items);
        }
    })
}

struct Pages<T, F> {
    fetch: F,
    next: Option<u32>,
    first_page: u32,
    page_size: Option<usize>,
    seen: u64,
    buffered: VecDeque<T>,
}

impl<T, F> Pages<T, F> {
    /// The page to fetch after `page_number`, which returned `page`.
    fn after(&mut self, page_number: u32, page: &Page<T>) -> Option<u32> {
        let count = page.items.len();
        self.seen += count as u64;
        let short = count == 0 || self.page_size.is_some_and(|size| count < size);
        // Items before the first page fetched count towards the total too.
        let skipped = match self.page_size {
            Some(size) => u64::from(self.first_page.saturating_sub(1)) * size as u64,
            None => 0,
        };
        let complete = page.total.is_some_and(|total| skipped + self.seen >= total);
        if short || complete {
            None
        } else {
            page_number.checked_add(1)
        }
    }
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
}
