//! The future a request builder becomes when it is awaited: [`Sending`],
//! named by the kind of answer it reads ([`answer`]).
//!
//! Why a named future rather than the builder's own `async` block boxed
//! into a `dyn Future`: boxing in the builder's `IntoFuture` made every
//! operation's whole send (retries, decoding of its answer type) compiled
//! into the client crate, used or not, which was half of a large client's
//! build. `Sending` is generic over its answer, so that work is compiled
//! only where a request is awaited. It still boxes the send itself when
//! first polled, as before.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use serde::de::DeserializeOwned;

use super::{ApiResponse, Client, Error, InvalidInput, Request};

/// How an operation's answer is read: the kinds of success body, each a
/// marker type naming the body and the API's error type.
pub mod answer {
    use super::*;

    /// What a request with the answer `A` gives.
    pub type Answered<A> = Result<ApiResponse<<A as Answer>::Body>, Error<<A as Answer>::Error>>;

    /// A kind of answer: what its success body decodes to, the API's error
    /// body, and the client's send method that reads them.
    pub trait Answer {
        /// The decoded success body.
        type Body;
        /// The API's own error body.
        type Error;

        /// Sends `request` and reads its answer as this kind says; `end`
        /// is the data that ends an event stream.
        fn send<'a>(
            client: &'a Client,
            request: Request,
            end: Option<&'static str>,
        ) -> BoxFuture<'a, Answered<Self>>;
    }

    macro_rules! answers {
        ($($(#[$doc:meta])* $name:ident<$($param:ident),*> => $body:ty, |$client:ident, $request:ident, $end:ident| $send:expr;)*) => {$(
            $(#[$doc])*
            pub struct $name<$($param),*>(PhantomData<fn() -> ($($param,)*)>);

            impl<$($param),*> Answer for $name<$($param),*>
            where
                $($param: DeserializeOwned + Send + 'static,)*
            {
                type Body = $body;
                type Error = E;

                fn send<'a>(
                    $client: &'a Client,
                    $request: Request,
                    $end: Option<&'static str>,
                ) -> BoxFuture<'a, Answered<Self>> {
                    Box::pin($send)
                }
            }
        )*};
    }

    answers! {
        /// A JSON body decoded as `T`.
        Json<T, E> => T, |client, request, _end| client.send_json(request);
        /// No body.
        Empty<E> => (), |client, request, _end| client.send_empty(request);
        /// A body handed over as the bytes received.
        Bytes<E> => bytes::Bytes, |client, request, _end| client.send_bytes(request);
        /// A text body, decoded from UTF-8.
        Text<E> => String, |client, request, _end| client.send_text(request);
        /// A binary body handed over unread.
        Streamed<E> => super::super::ByteStream, |client, request, _end| client.send_streamed(request);
        /// Server-sent events whose data is JSON of type `T`.
        Events<T, E> => super::super::EventStream<T>, |client, request, end| client.send_events(request, end);
        /// Server-sent events whose data is text.
        TextEvents<E> => super::super::EventStream<String>, |client, request, end| client.send_text_events(request, end);
        /// The connection a `101 Switching Protocols` answer hands over.
        Upgrade<E> => reqwest::Upgraded, |client, request, _end| client.send_upgrade(request);
    }
}

use answer::{Answer, Answered};

/// A request being sent: what awaiting a request builder gives. Its
/// request was built and checked when the builder was awaited; it is sent
/// when first polled, and refused without sending if a check failed.
#[must_use = "a request does nothing until it is awaited"]
pub struct Sending<'a, A: Answer> {
    client: &'a Client,
    end: Option<&'static str>,
    /// The request, until it is sent.
    request: Option<Result<Request, InvalidInput>>,
    /// The send, once started.
    running: Option<BoxFuture<'a, Answered<A>>>,
}

impl<'a, A: Answer> Sending<'a, A> {
    /// The sending of `request` (or the refusal of a request whose check
    /// failed) by `client`; `end` ends an event stream.
    pub fn new(
        client: &'a Client,
        request: Result<Request, InvalidInput>,
        end: Option<&'static str>,
    ) -> Self {
        Self {
            client,
            end,
            request: Some(request),
            running: None,
        }
    }
}

impl<A: Answer> Future for Sending<'_, A> {
    type Output = Answered<A>;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        // Every field is `Unpin` (the send is boxed), so the state is ours.
        let this = self.get_mut();
        if let Some(request) = this.request.take() {
            match request {
                Ok(request) => this.running = Some(A::send(this.client, request, this.end)),
                Err(invalid) => return Poll::Ready(Err(invalid.into())),
            }
        }
        let Some(running) = &mut this.running else {
            panic!("a `Sending` was polled after it was ready");
        };
        let answer = std::task::ready!(running.as_mut().poll(context));
        this.running = None;
        Poll::Ready(answer)
    }
}

impl<A: Answer> std::fmt::Debug for Sending<'_, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match (&self.request, &self.running) {
            (Some(_), _) => "built",
            (None, Some(_)) => "sending",
            (None, None) => "answered",
        };
        f.debug_struct("Sending").field("state", &state).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::ClientBuilder;
    use super::answer::{Empty, Json};
    use super::*;

    fn request() -> Request {
        Request::new("get", reqwest::Method::GET, "/thing", "application/json")
    }

    #[tokio::test]
    async fn a_request_is_sent_when_awaited_and_its_answer_decoded() {
        use wiremock::{Mock, ResponseTemplate, matchers::path};
        let server = wiremock::MockServer::start().await;
        Mock::given(path("/thing"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([1, 2])))
            .expect(1)
            .mount(&server)
            .await;
        let client = ClientBuilder::new(server.uri()).build().unwrap();

        let sending =
            Sending::<Json<Vec<u8>, serde_json::Value>>::new(&client, Ok(request()), None);
        assert_eq!(format!("{sending:?}"), r#"Sending { state: "built" }"#);
        let answer = sending.await.unwrap();

        assert_eq!(answer.into_inner(), [1, 2]);
    }

    #[tokio::test]
    async fn a_request_whose_check_failed_is_refused_without_sending() {
        // Nothing listens there: sending would fail otherwise.
        let client = ClientBuilder::new("http://127.0.0.1:9").build().unwrap();
        let invalid = InvalidInput::new("name", "must have at least 1 characters (has 0)");

        let answer = Sending::<Empty<serde_json::Value>>::new(&client, Err(invalid), None).await;

        match answer {
            Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "name"),
            other => panic!("{other:?}"),
        }
    }
}
